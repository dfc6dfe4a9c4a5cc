"""The small city resolved: what profiles, defaults and the IP plan make of a few lines."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from edunet.model import Inventory, SiteKind
from edunet.schema import DeviceRole, HardwareStatus


def test_profile_expands_to_named_devices(small: Inventory) -> None:
    school = small.sites["79760012"]
    assert school.devices == ("79760012-rt1", "79760012-sw1", "79760012-ap1", "79760012-ap2")
    assert school.gateway == "79760012-rt1"
    assert [v.name for v in school.vlans] == ["management", "staff", "lab", "wifi"]
    assert school.endpoints.workstations == 35


def test_defaults_resolved_once(small: Inventory) -> None:
    rt = small.devices["79760012-rt1"]
    assert rt.snmp is not None and rt.snmp.name == "v3-default"
    assert rt.snmp.env_prefix == "EDUNET_SNMP_V3_DEFAULT"
    assert rt.ssh is not None and rt.ssh.port == 22
    assert rt.platform.netmiko_device_type == "mikrotik_routeros"
    assert rt.platform.ansible_network_os == "community.routeros.routeros"
    assert rt.model.interfaces == ("ether1", "ether2", "ether3", "ether4", "ether5")


def test_hardware_record_by_short_name(small: Inventory) -> None:
    rec = small.devices["79760012-rt1"].hardware
    assert rec is not None
    assert (rec.serial, rec.site, rec.device, rec.model) == (
        "HEX7A1B2C3",
        "79760012",
        "79760012-rt1",
        "RB750Gr3",
    )
    assert rec.status is HardwareStatus.in_service
    assert len(small.hardware()) == 2


def test_addresses_follow_the_plan(small: Inventory) -> None:
    # Quận 1 is area 1; school serial 012 is slot 12: management 10.33.0.0/16 → /26 number 12
    school = small.sites["79760012"]
    assert (school.area, school.slot) == (1, 12)
    assert school.vlan("management").prefix == IPv4Network("10.33.3.0/26")
    assert school.vlan("staff").prefix == IPv4Network("10.132.12.0/26")
    assert school.vlan("lab").prefix == IPv4Network("10.132.12.64/26")
    assert school.vlan("wifi").prefix == IPv4Network("10.132.12.128/26")
    assert small.devices["79760012-rt1"].mgmt_ip == IPv4Address("10.33.3.1")  # gateway: .1
    assert small.devices["79760012-sw1"].mgmt_ip == IPv4Address("10.33.3.9")
    assert small.devices["79760012-ap2"].mgmt_ip == IPv4Address("10.33.3.26")
    assert small.devices["79760012-rt1"].loopback == IPv4Address("10.16.16.48")


def test_uplinks_become_links_with_p2p(small: Inventory) -> None:
    up = small.links["79760012-up1"]
    assert up.kind == "uplink"
    assert (up.a.device, up.a.port, up.b.device, up.b.site) == (
        "79760012-rt1",
        "ether1",
        "pgd-q1-rt1",
        "PGD-Q1",
    )
    assert up.p2p == IPv4Network("10.20.32.96/31")
    assert up.a.ip == IPv4Interface("10.20.32.97/31")
    assert up.b.ip == IPv4Interface("10.20.32.96/31")
    assert small.sites["79760012"].upstream == ("PGD-Q1",)
    # a second uplink to the Internet: no p2p from our plan, the ISP addresses it
    net = small.links["79760031-up2"]
    assert net.to_internet and net.isp == "Viettel" and net.p2p is None
    assert small.sites["PGD-BINH-CHANH"].upstream == ("SO-GDDT", "TTDL")


def test_lan_wiring(small: Inventory) -> None:
    lan = small.links["79760012-ap1--79760012-sw1"]
    assert lan.kind == "lan"
    assert lan.a.port == "eth0"
    assert lan.b.port == "GigabitEthernet1/0/28"  # access ports are handed out from the top
    sw = small.links["79760012-sw1--79760012-rt1"]
    assert sw.a.port == "GigabitEthernet1/0/25"  # the switch's first uplink port
    assert sw.b.port == "ether5"


def test_vms_get_segment_addresses(small: Inventory) -> None:
    vm = small.vms["portal-02"]
    assert vm.ip == IPv4Interface("10.0.40.11/24")
    assert vm.gateway == IPv4Address("10.0.40.1")
    assert vm.vlan_id == 140
    assert small.applications["portal"].vms == ("portal-01", "portal-02")


def test_views(small: Inventory) -> None:
    assert small.datacenter.code == "TTDL"
    assert small.department.kind is SiteKind.department
    assert small.district_office("785") is not None
    assert small.find_device("10.33.3.9") is small.devices["79760012-sw1"]
    roles = {d.role for d in small.site_devices("TTDL")}
    assert roles == {DeviceRole.router, DeviceRole.server}
    assert {link.id for link in small.site_links("79760012")} >= {"79760012-up1"}
