"""The port plan: what each port carries, derived from links and the site's VLANs.

Cases are numbered; each draws the part of the topology it looks at.
"""

from __future__ import annotations

from ipaddress import IPv4Interface

from edunet.model import Inventory
from edunet.portplan import PortMode, PortPlan, port_plan, vlan_ranges


def _plan(inv: Inventory, device: str) -> dict[str, PortPlan]:
    return {p.name: p for p in port_plan(inv, inv.devices[device])}


def test_01_school_switch_trunks_to_its_router_and_aps(small: Inventory) -> None:
    """
    79760012-rt1 ether5 ──trunk── Gi1/0/25 79760012-sw1 Gi1/0/27 ──trunk── ap2
                                                        Gi1/0/28 ──trunk── ap1
    Trunks: native = management VLAN 10, every site VLAN allowed (APs map SSIDs to VLANs).
    """
    plan = _plan(small, "79760012-sw1")
    for port, peer in (
        ("GigabitEthernet1/0/25", "79760012-rt1 ether5"),
        ("GigabitEthernet1/0/27", "79760012-ap2 eth0"),
        ("GigabitEthernet1/0/28", "79760012-ap1 eth0"),
    ):
        p = plan[port]
        assert p.mode is PortMode.trunk and p.vlan == 10 and p.allowed == (10, 20, 30, 40)
        assert p.peer == peer
    assert plan["GigabitEthernet1/0/27"].description.startswith("AP ")
    assert plan["GigabitEthernet1/0/25"].description.startswith("TRUNK ")


def test_02_free_switch_ports_split_in_blocks_over_wired_vlans(small: Inventory) -> None:
    """
    sw1: Gi1/0/1-24 free, Gi1/0/26 a spare uplink port.
    staff │ lab │ wifi    (small.yaml's wifi is wired: it takes a block too)
    1 – 8 │ 9–16│ 17–24   equal contiguous blocks in catalogue order; the spare uplink is shut.
    """
    plan = _plan(small, "79760012-sw1")
    vlans = [plan[f"GigabitEthernet1/0/{i}"].vlan for i in range(1, 25)]
    assert vlans == [20] * 8 + [30] * 8 + [40] * 8
    assert plan["GigabitEthernet1/0/26"].mode is PortMode.shutdown


def test_03_vlan_without_wired_users_gets_no_access_ports(sample_city: Inventory) -> None:
    """
    The sample city's wifi VLAN is ``wired: false``: access ports go to staff, lab and
    cameras only; wifi still rides the AP trunks.
    """
    plan = port_plan(sample_city, sample_city.devices["79760002-sw4"])
    access = {p.vlan for p in plan if p.mode is PortMode.access}
    assert access == {20, 30, 50}
    assert all(40 in p.allowed for p in plan if p.mode is PortMode.trunk)


def test_04_uplink_is_a_routed_port_with_its_p2p_address(small: Inventory) -> None:
    """
    79760012-rt1 ether1 (10.20.32.97/31) ══ VNPT metronet 100M ══ PGD-Q1
    """
    p = _plan(small, "79760012-rt1")["ether1"]
    assert p.mode is PortMode.routed
    assert p.address == IPv4Interface("10.20.32.97/31")
    assert p.description == "UPLINK PGD-Q1 VNPT 100M"


def test_05_router_free_ports_are_shut(small: Inventory) -> None:
    """A router's ports with no link (ether2-4) are shut, never left open in a VLAN."""
    plan = _plan(small, "79760012-rt1")
    assert [plan[f"ether{i}"].mode for i in (2, 3, 4)] == [PortMode.shutdown] * 3


def test_06_server_port_is_access_in_management(sample_city: Inventory) -> None:
    """
    ttdl-srv1 ens3f0 ── HundredGigE1/0/28 ttdl-cs1: an access port in the management VLAN.
    """
    p = _plan(sample_city, "ttdl-cs1")["HundredGigE1/0/28"]
    assert p.mode is PortMode.access and p.vlan == 10
    assert p.description == "SERVER ttdl-srv1 ens3f0"


def test_07_hosts_and_access_points_have_no_plan(small: Inventory) -> None:
    assert port_plan(small, small.devices["ttdl-srv1"]) == ()
    assert port_plan(small, small.devices["79760012-ap1"]) == ()


def test_08_every_port_once_in_model_order(sample_city: Inventory) -> None:
    for device in sample_city.devices.values():
        plan = port_plan(sample_city, device)
        if plan:
            names = [p.name for p in plan]
            assert names == list(device.model.interfaces), device.name


def test_vlan_ranges_read_like_ios() -> None:
    assert vlan_ranges((10, 20, 21, 22, 40)) == "10,20-22,40"
    assert vlan_ranges([5]) == "5"
    assert vlan_ranges([3, 1, 2]) == "1-3"
