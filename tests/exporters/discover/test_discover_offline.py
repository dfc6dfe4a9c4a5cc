"""What one device tells, which inventory device it is, and where a new one belongs: from
recorded polls and the small city, no network.

The small city's IP plan: management 10.32.0.0/11, a /16 per area (0: the core, else the
district's number), a /26 per site slot; Quận 1 is area 1 (10.33.0.0/16)."""

from __future__ import annotations

import dataclasses

from edunet.model import Inventory
from exporters.discover.match import Catalogue, Matcher
from exporters.discover.tell import read
from exporters.snmp.oids import Oid
from exporters.snmp.result import PollResult, Value


def poll(
    name: str, model: str, serial: str, neighbours: list[tuple[int, str, str, str]]
) -> PollResult:
    """``neighbours``: (our ifIndex, their sysName, their port, their management address)."""
    cols: dict[str, dict[Oid, Value]] = {
        "ifName": {(1,): b"ether1", (2,): b"ether2"},
        "ifHighSpeed": {(1,): 1000, (2,): 100},
        "ifAlias": {(1,): b"uplink VNPT c-1", (2,): b""},
        "entPhysicalClass": {(1,): 3},
        "entPhysicalModelName": {(1,): model.encode()},
        "entPhysicalSerialNum": {(1,): serial.encode()},
        "lldpLocPortId": {(1,): b"ether1", (2,): b"ether2"},
        "lldpRemSysName": {},
        "lldpRemPortId": {},
        "lldpRemManAddrIfSubtype": {},
    }
    for rem, (local, sys_name, port, address) in enumerate(neighbours, 1):
        cols["lldpRemSysName"][(0, local, rem)] = sys_name.encode()
        cols["lldpRemPortId"][(0, local, rem)] = port.encode()
        octets = tuple(int(x) for x in address.split("."))
        cols["lldpRemManAddrIfSubtype"][(0, local, rem, 1, 4, *octets)] = 2
        cols["lldpRemManAddrIfSubtype"][(0, local, rem, 2, 16, *([0] * 16))] = 2  # IPv6: not used
    scalars: dict[str, Value] = {
        "sysName": f"{name}.hcm.edu.vn".encode(),
        "sysObjectID": "1.3.6.1.4.1.14988.1",
        "sysLocation": "Trường Tiểu học Lê Ngọc Hân, 2 Lê Ngọc Hân".encode(),
    }
    return PollResult(name, "127.0.0.1", "discover", ok=True, scalars=scalars, columns=cols)


def test_what_a_router_tells() -> None:
    told = read("10.33.3.1", poll("79760012-rt1", "RB750Gr3", "HEX7A1B2C3",
                                  [(1, "pgd-q1-rt1", "Gi0/1/6", "10.33.0.1")]))  # fmt: skip
    assert (told.name, told.model, told.serial) == ("79760012-rt1", "RB750Gr3", "HEX7A1B2C3")
    assert told.ports == ("ether1", "ether2") and told.speeds == {"ether1": 1000, "ether2": 100}
    assert told.aliases == {"ether1": "uplink VNPT c-1"}
    [heard] = told.neighbours
    assert (heard.port, heard.name, heard.remote_port, heard.address) == (
        "ether1", "pgd-q1-rt1", "Gi0/1/6", "10.33.0.1"
    )  # fmt: skip


def test_a_device_is_known_by_address_then_serial_then_name(small: Inventory) -> None:
    m = Matcher(small)
    told = read("10.33.3.1", poll("renamed", "RB750Gr3", "", []))
    assert m.device(told).name == "79760012-rt1"  # type: ignore[union-attr]
    moved = dataclasses.replace(told, address="10.99.0.1", serial="HEX7A1B2C3")
    assert m.device(moved).name == "79760012-rt1"  # type: ignore[union-attr]
    by_name = dataclasses.replace(told, address="10.99.0.1", name="79760031-SW1")
    assert m.device(by_name).name == "79760031-sw1"  # type: ignore[union-attr]
    assert m.device(dataclasses.replace(by_name, name="nobody")) is None


def test_a_new_device_s_site_from_its_management_subnet(small: Inventory) -> None:
    m = Matcher(small)
    known = m.site("10.33.3.40", "whatever-sw9")  # in 79760012's management /26
    assert (known.site, known.district) == ("79760012", "760")
    new = m.site("10.33.1.129", "79760006-rt1")  # Quận 1, slot 6: no site there yet
    assert (new.site, new.district, new.area, new.slot, new.code) == (None, "760", 1, 6, "79760006")
    office = m.site("10.54.0.70", "pgd-binh-chanh-sw2")
    assert office.site is None and office.slot == 1 and office.code == "PGD-BINH-CHANH"
    outside = m.site("192.168.1.1", "cam-1")
    assert (outside.site, outside.district, outside.code) == (None, None, "CAM")


def test_the_model_by_entity_name_else_a_unique_sys_object_id(small: Inventory) -> None:
    c = Catalogue(small)
    told = read("10.33.3.1", poll("x", "rb750gr3", "", []))
    model, how = c.model(told)
    assert (model.model if model else None, how) == ("RB750Gr3", "entity")
    unnamed = dataclasses.replace(told, model="")
    model, how = c.model(unnamed)
    assert (model.model if model else None, how) == ("RB750Gr3", "sysObjectID")
    assert c.model(dataclasses.replace(unnamed, object_id="1.3.6.1.4.1.9.1.1")) == (None, "")
