"""The lab's records, straight from the model: no process, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from edunet import load
from edunet.model import Inventory
from exporters.discover.tell import DISCOVER
from exporters.snmp.oids import ENT_CLASS_CHASSIS, MODULES, oid
from lab import snmprec

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture(scope="module")
def sample_city() -> Inventory:
    return load(ROOT / "inventory.yaml")


def _table(inv: Inventory, device: str) -> dict[tuple[int, ...], tuple[str, str]]:
    out = {}
    for line in snmprec.device_records(inv, inv.devices[device]):
        o, tag, value = line.split("|", 2)
        out[oid(o)] = (tag, value)
    return out


def _column(table: dict[tuple[int, ...], tuple[str, str]], col: tuple[int, ...]) -> dict:
    return {k[len(col) :]: v for k, v in table.items() if k[: len(col)] == col}


def test_every_snmp_device_has_what_the_exporter_asks(small: Inventory) -> None:
    devices = snmprec.lab_devices(small)
    assert devices and all(d.snmp is not None for d in devices)
    for d in devices:
        table = _table(small, d.name)
        for module in MODULES.values():
            for name, o in module.scalars.items():
                assert o in table, f"{d.name} lacks {name}"
        for col in (*MODULES["if_mib"].columns.values(),):
            rows = _column(table, col)
            assert sorted(rows) == [(i,) for i in range(1, d.model.ports + 1)], (d.name, col)


def test_records_are_sorted_and_only_the_asked_oids(small: Inventory) -> None:
    modules = [*MODULES.values(), DISCOVER]
    asked = [o for m in modules for o in (*m.scalars.values(), *m.columns.values())]
    system = oid("1.3.6.1.2.1.1")
    for d in snmprec.lab_devices(small):
        oids = list(_table(small, d.name))
        assert oids == sorted(oids)
        for o in oids:
            assert o[: len(system)] == system or any(o[: len(a)] == a for a in asked), o


def test_system_group(small: Inventory) -> None:
    d = small.devices["79760012-sw1"]
    t = _table(small, d.name)
    assert t[oid("1.3.6.1.2.1.1.5.0")] == ("4", d.name)
    assert t[oid("1.3.6.1.2.1.1.2.0")][1] == (d.model.sys_object_id or snmprec.FALLBACK_OBJECT_ID)
    tag, value = t[oid("1.3.6.1.2.1.1.6.0")]
    assert tag == "4x" and bytes.fromhex(value).decode().startswith(small.sites[d.site].name)
    assert t[oid("1.3.6.1.2.1.1.3.0")][0] == "67:edunet_live"


def test_ifalias_names_far_end_and_uplinks(small: Inventory) -> None:
    t = _table(small, "79760012-sw1")
    alias = _column(t, MODULES["if_mib"].columns["ifAlias"])
    names = _column(t, MODULES["if_mib"].columns["ifName"])
    by_name = {v[1]: k for k, v in names.items()}
    assert alias[by_name["GigabitEthernet1/0/25"]][1] == "79760012-rt1:ether5"
    rt = _table(small, "79760012-rt1")
    rt_alias = {v[1] for v in _column(rt, MODULES["if_mib"].columns["ifAlias"]).values()}
    assert "uplink VNPT 79760012-up1" in rt_alias


def test_linked_ports_are_up(small: Inventory) -> None:
    for d in snmprec.lab_devices(small):
        for p in snmprec.device_ports(small, d):
            if p.linked:
                assert p.up, (d.name, p.name)


def test_entity_chassis_matches_hardware(sample_city: Inventory) -> None:
    links = snmprec.port_links(sample_city)
    checked = 0
    for d in snmprec.lab_devices(sample_city)[:200]:
        lines = snmprec.device_records(sample_city, d, links)
        t = {oid(line.split("|")[0]): line.split("|", 2)[1:] for line in lines}
        ent = oid("1.3.6.1.2.1.47.1.1.1.1")
        assert t[(*ent, 5, 1)] == ["2", str(ENT_CLASS_CHASSIS)]
        assert t[(*ent, 13, 1)] == ["4", d.model.model]
        serial = t[(*ent, 11, 1)]
        assert serial[0] == "4:edunet_live"
        if d.hardware is not None:
            assert f"v={d.hardware.serial}" in serial[1]
            checked += 1
    assert checked > 100


def test_lldp_matches_links(small: Inventory) -> None:
    expected = set()
    links = snmprec.port_links(small)
    for link in small.links.values():
        if link.kind not in ("lan", "core"):
            continue
        for near, far in ((link.a, link.b), (link.b, link.a)):
            if near.device and near.port and far.device and far.port:
                expected.add((near.device, near.port, far.device, far.port))
    for link in small.links.values():  # uplinks over a carrier's layer 2, on both ends
        if link.kind == "uplink" and str(link.medium) in snmprec.LLDP_MEDIA:
            assert link.a.device and link.a.port and link.b.device
            upstream = snmprec.lldp_port(small, link.b.device, links)
            expected.add((link.a.device, link.a.port, link.b.device, upstream))
            expected.add((link.b.device, upstream, link.a.device, link.a.port))
    seen = set()
    for d in snmprec.lab_devices(small):
        t = _table(small, d.name)
        loc = {k[0]: v[1] for k, v in _column(t, oid("1.0.8802.1.1.2.1.3.7.1.3")).items()}
        names = _column(t, oid("1.0.8802.1.1.2.1.4.1.1.9"))
        ports = _column(t, oid("1.0.8802.1.1.2.1.4.1.1.7"))
        assert names.keys() == ports.keys()
        for idx, (_, far_dev) in names.items():
            time_mark, local, _rem = idx
            assert time_mark == 0
            seen.add((d.name, loc[local], far_dev, ports[idx][1]))
    assert seen == expected and expected


def test_lldp_neighbours_advertise_their_management_address(small: Inventory) -> None:
    """lldpRemManAddrTable: index timeMark.localPort.remIndex.subtype.length.address."""
    for d in snmprec.lab_devices(small):
        t = _table(small, d.name)
        names = _column(t, oid("1.0.8802.1.1.2.1.4.1.1.9"))
        subtypes = _column(t, oid("1.0.8802.1.1.2.1.4.2.1.3"))
        addresses = {}
        for idx in subtypes:
            assert idx[3:5] == (1, 4)  # IPv4, four octets
            addresses[idx[:3]] = ".".join(map(str, idx[5:]))
        assert addresses.keys() == names.keys()
        for idx, (_, far) in names.items():
            assert addresses[idx] == str(small.devices[far].mgmt_ip)


def test_internet_uplinks_carry_no_lldp(small: Inventory) -> None:
    rt = _table(small, "79760031-rt1")  # ether1: metronet to PGD-Q1; ether2: FTTH to Viettel
    loc = {k[0]: v[1] for k, v in _column(rt, oid("1.0.8802.1.1.2.1.3.7.1.3")).items()}
    names = _column(rt, oid("1.0.8802.1.1.2.1.4.1.1.9"))
    assert {(loc[i[1]], v[1]) for i, v in names.items()} == {
        ("ether1", "pgd-q1-rt1"),
        ("ether5", "79760031-sw1"),
    }


@pytest.mark.slow
def test_sample_city_records_are_quick(sample_city: Inventory) -> None:
    import time

    t0 = time.perf_counter()
    links = snmprec.port_links(sample_city)
    n = sum(
        len(snmprec.device_records(sample_city, d, links)) for d in snmprec.lab_devices(sample_city)
    )
    assert n > 300_000
    assert time.perf_counter() - t0 < 10
