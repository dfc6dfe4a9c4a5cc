"""Declared vs discovered, on recorded ``inventory`` polls of the test city.

School 79760012::

    pgd-q1-rt1 ── (uplink, carrier) ── ether1 79760012-rt1 ether5 ── Gi1/0/25 79760012-sw1
                                                               Gi1/0/27 ── eth0 79760012-ap2
                                                               Gi1/0/28 ── eth0 79760012-ap1
"""

from __future__ import annotations

from edunet.model import Inventory
from exporters.snmp.oids import Oid
from exporters.snmp.reconcile import Kind, declared, reconcile, same_port
from exporters.snmp.result import PollError, PollResult, Value

RT, SW = "79760012-rt1", "79760012-sw1"
RT_SERIAL = "HEX7A1B2C3"  # the router's hardware record


def inventory_result(
    target: str,
    *,
    model: str,
    serial: str,
    neighbours: list[tuple[str, str, str]],  # our port, their sysName, their port
    ports: tuple[str, ...] = (),
) -> PollResult:
    cols: dict[str, dict[Oid, Value]] = {
        "entPhysicalDescr": {(1,): b"chassis", (2,): b"fan"},
        "entPhysicalClass": {(1,): 3, (2,): 7},
        "entPhysicalSerialNum": {(1,): serial.encode(), (2,): b"FAN-1"},
        "entPhysicalModelName": {(1,): model.encode(), (2,): b""},
        "lldpLocPortId": {},
        "lldpRemPortId": {},
        "lldpRemSysName": {},
    }
    for num, port in enumerate(ports, 1):
        cols["lldpLocPortId"][(num,)] = port.encode()
    for rem, (ours, name, theirs) in enumerate(neighbours, 1):
        num = ports.index(ours) + 1
        cols["lldpRemSysName"][(0, num, rem)] = name.encode()
        cols["lldpRemPortId"][(0, num, rem)] = theirs.encode()
    return PollResult(target, "127.0.0.1", "inventory", ok=True, columns=cols)


RT_PORTS = ("ether1", "ether2", "ether3", "ether4", "ether5")


def rt(neighbours: list[tuple[str, str, str]], **kw: str) -> PollResult:
    args = {"model": "RB750Gr3", "serial": RT_SERIAL, **kw}
    return inventory_result(RT, neighbours=neighbours, ports=RT_PORTS, **args)


CABLED = [("ether5", SW, "GigabitEthernet1/0/25")]


def kinds(inv: Inventory, result: PollResult) -> list[tuple[str, str, str, str]]:
    report = reconcile(inv, inv.devices[result.target], result)
    return [(m.kind.value, m.port, m.expected, m.found) for m in report.mismatches]


def test_a_device_as_declared_matches(small: Inventory) -> None:
    report = reconcile(small, small.devices[RT], rt(CABLED))
    assert report.ok and report.polled and report.chassis_reported
    assert report.neighbours_seen == 1


def test_serial_swapped_names_whose_serial_it_is(small: Inventory) -> None:
    report = reconcile(small, small.devices[RT], rt(CABLED, serial="CN7XK12"))
    [m] = report.mismatches
    assert (m.kind, m.expected, m.found) == (Kind.serial, RT_SERIAL, "CN7XK12")
    assert m.note == "serial of ttdl-srv1"
    assert not report.ok


def test_an_unknown_serial(small: Inventory) -> None:
    [m] = reconcile(small, small.devices[RT], rt(CABLED, serial="ZZZ999")).mismatches
    assert m.note == "serial not in the inventory"


def test_wrong_model(small: Inventory) -> None:
    assert kinds(small, rt(CABLED, model="RB4011iGS+")) == [("model", "", "RB750Gr3", "RB4011iGS+")]


def test_model_case_and_blanks_do_not_count(small: Inventory) -> None:
    assert kinds(small, rt(CABLED, model=" rb750gr3 ")) == []


def test_no_chassis_row_skips_the_chassis_checks(small: Inventory) -> None:
    result = rt(CABLED)
    result.columns["entPhysicalClass"] = {(2,): 7}
    report = reconcile(small, small.devices[RT], result)
    assert report.ok and not report.chassis_reported


def test_neighbour_missing(small: Inventory) -> None:
    assert kinds(small, rt([])) == [
        ("neighbour_missing", "ether5", f"{SW}:GigabitEthernet1/0/25", "")
    ]


def test_neighbour_missing_says_what_is_there_instead(small: Inventory) -> None:
    found = kinds(small, rt([("ether5", "rogue-sw", "port9")]))
    assert ("neighbour_missing", "ether5", f"{SW}:GigabitEthernet1/0/25", "rogue-sw") in found
    assert ("neighbour_unexpected", "ether5", "", "rogue-sw:port9") in found


def test_neighbour_unexpected(small: Inventory) -> None:
    found = kinds(small, rt([*CABLED, ("ether3", "79760031-sw1", "GigabitEthernet1/0/1")]))
    assert found == [("neighbour_unexpected", "ether3", "", "79760031-sw1:GigabitEthernet1/0/1")]


def test_wrong_remote_port(small: Inventory) -> None:
    found = kinds(small, rt([("ether5", SW, "GigabitEthernet1/0/26")]))
    assert found == [
        (
            "neighbour_port",
            "ether5",
            f"ether5 -> {SW}:GigabitEthernet1/0/25",
            f"ether5 -> {SW}:GigabitEthernet1/0/26",
        )
    ]


def test_wrong_local_port(small: Inventory) -> None:
    found = kinds(small, rt([("ether4", SW, "GigabitEthernet1/0/25")]))
    assert found == [
        (
            "neighbour_port",
            "ether5",
            f"ether5 -> {SW}:GigabitEthernet1/0/25",
            f"ether4 -> {SW}:GigabitEthernet1/0/25",
        )
    ]


def test_abbreviated_ports_and_domain_names_match(small: Inventory) -> None:
    assert kinds(small, rt([("ether5", f"{SW}.hcm.edu.vn", "Gi1/0/25")])) == []
    assert same_port("Te0/0/1", "TenGigabitEthernet0/0/1")
    assert not same_port("Gi1/0/2", "GigabitEthernet1/0/25")
    assert not same_port("eth0", "eno1")


def test_uplink_far_ends_may_show_but_need_not(small: Inventory) -> None:
    upstream = [*CABLED, ("ether1", "pgd-q1-rt1", "GigabitEthernet0/1/0")]
    assert kinds(small, rt(upstream)) == []
    isp_box = [*CABLED, ("ether1", "VNPT-MX-0042", "ge-0/0/7")]
    assert kinds(small, rt(isp_box)) == []  # the carrier's equipment is not ours to declare
    assert kinds(small, rt(CABLED)) == []


def test_a_switch_with_two_access_points(small: Inventory) -> None:
    ports = tuple(small.devices[SW].model.interfaces)
    seen = [
        ("GigabitEthernet1/0/25", RT, "ether5"),
        ("GigabitEthernet1/0/28", "79760012-ap1", "eth0"),
    ]
    result = inventory_result(SW, model="WS-C2960X-24TS-L", serial="", neighbours=seen, ports=ports)
    assert kinds(small, result) == [
        ("neighbour_missing", "GigabitEthernet1/0/27", "79760012-ap2:eth0", "")
    ]


def test_local_port_from_the_model_when_the_agent_omits_lldpLocPortId(small: Inventory) -> None:
    result = rt(CABLED)
    result.columns["lldpLocPortId"] = {}
    assert kinds(small, result) == []


def test_declared_neighbours(small: Inventory) -> None:
    found = {
        (e.port, e.device, e.remote_port, e.required) for e in declared(small, small.devices[RT])
    }
    assert found == {
        ("ether5", SW, "GigabitEthernet1/0/25", True),
        ("ether1", "pgd-q1-rt1", None, False),
    }


def test_a_failed_poll_is_not_a_match(small: Inventory) -> None:
    failed = PollResult(RT, "127.0.0.1", "inventory", error=PollError.timeout, detail="no answer")
    report = reconcile(small, small.devices[RT], failed)
    assert not report.ok and not report.polled
    assert report.error is PollError.timeout and report.mismatches == []


def test_the_routers_a_device_serves_may_show_on_any_port(small: Inventory) -> None:
    """pgd-q1-rt1 hears its schools' routers over the carrier, on a port no link records."""
    pgd = "pgd-q1-rt1"
    ports = small.devices[pgd].model.interfaces
    heard = [
        ("GigabitEthernet0/0/0", "so-gddt-rt1", "GigabitEthernet0/1/6"),
        ("GigabitEthernet0/1/7", "pgd-q1-sw1", "GigabitEthernet1/0/25"),
        ("GigabitEthernet0/1/6", "79760012-rt1", "ether1"),
        ("GigabitEthernet0/1/6", "79760031-rt1", "ether1"),
    ]
    result = inventory_result(pgd, model="ISR4321", serial="", neighbours=heard, ports=ports)
    assert kinds(small, result) == []
    stranger = [*heard, ("GigabitEthernet0/1/6", "79785007-rt1", "ether1")]  # not served here
    result = inventory_result(pgd, model="ISR4321", serial="", neighbours=stranger, ports=ports)
    assert kinds(small, result) == [
        ("neighbour_unexpected", "GigabitEthernet0/1/6", "", "79785007-rt1:ether1")
    ]
