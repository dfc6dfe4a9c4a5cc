"""The SNMP collector on recorded poll results: labels from the inventory, the uplink flag,
counters, a failed poll, and the fast renderer against prometheus_client's own."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from edunet.model import Inventory
from exporters.exposition import label_text
from exporters.snmp import collector
from exporters.snmp.collector import LabelSet, PollCollector, families, go_float, render
from exporters.snmp.oids import IF_COLUMNS, Oid
from exporters.snmp.reconcile import DeviceReport, Kind, Mismatch
from exporters.snmp.result import PollError, PollResult, Value

NOW = 1_750_000_000.0
ROUTER = "79760031-rt1"  # ether1: metronet uplink (VNPT), ether2: FTTH (Viettel), ether5: LAN
UPTIME_TICKS = 360_000  # one hour


def if_result(
    names: list[str], *, target: str = ROUTER, oper_down: tuple[str, ...] = ()
) -> PollResult:
    cols: dict[str, dict[Oid, Value]] = {c: {} for c in IF_COLUMNS}
    for i, name in enumerate(names, 1):
        ix = (i,)
        cols["ifName"][ix] = name.encode()
        cols["ifDescr"][ix] = name.encode()
        cols["ifType"][ix] = 6
        cols["ifAdminStatus"][ix] = 1
        cols["ifOperStatus"][ix] = 2 if name in oper_down else 1
        cols["ifLastChange"][ix] = 100 * i  # i seconds after boot
        cols["ifInErrors"][ix] = 3 * i
        cols["ifOutErrors"][ix] = 0
        cols["ifInDiscards"][ix] = i
        cols["ifOutDiscards"][ix] = 2 * i
        cols["ifHCInOctets"][ix] = 2**40 + i
        cols["ifHCOutOctets"][ix] = 2**33 + i
        cols["ifHighSpeed"][ix] = 1000
        cols["ifAlias"][ix] = b""
    return PollResult(
        target,
        "127.33.3.129",
        "if_mib",
        ok=True,
        duration_s=0.012,
        requests=3,
        varbinds=14 * len(names) + 4,
        scalars={
            "sysDescr": b"RouterOS RB750Gr3\nsecond line",
            "sysObjectID": "1.3.6.1.4.1.14988.1",
            "sysUpTime": UPTIME_TICKS,
            "sysName": target.encode(),
        },
        columns=cols,
    )


def samples(inv: Inventory, result: PollResult, **kw: object) -> list[Sample]:
    device = inv.find_device(result.target)
    text = render(families(result, device, inv, now=NOW, **kw))  # type: ignore[arg-type]
    return [s for fam in text_string_to_metric_families(text.decode()) for s in fam.samples]


def one(found: list[Sample], name: str, **labels: str) -> Sample:
    hits = [
        s for s in found if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(hits) == 1, (name, labels, hits)
    return hits[0]


def test_every_device_sample_carries_the_inventory_labels(small: Inventory) -> None:
    found = samples(small, if_result(["ether1", "ether2", "ether5"]))
    expected = {
        "device": ROUTER,
        "district": "Quận 1",
        "district_code": "760",
        "site": "79760031",
        "site_name": "Trường Tiểu học Kết Đoàn",
        "level": "tieu_hoc",
        "role": "router",
    }
    assert found
    for s in found:
        assert {k: s.labels[k] for k in expected} == expected, s


def test_uplink_ports_are_flagged_with_isp_and_medium(small: Inventory) -> None:
    found = samples(small, if_result(["ether1", "ether2", "ether5"]))
    up1 = one(found, "edunet_interface_oper_up", interface="ether1")
    assert (up1.labels["uplink"], up1.labels["isp"], up1.labels["medium"]) == (
        "true",
        "VNPT",
        "metronet",
    )
    up2 = one(found, "edunet_interface_oper_up", interface="ether2")
    assert (up2.labels["isp"], up2.labels["medium"]) == ("Viettel", "ftth")
    lan = one(found, "edunet_interface_oper_up", interface="ether5")
    assert (lan.labels["uplink"], lan.labels["isp"], lan.labels["medium"]) == ("false", "", "")


def test_interface_values_and_counters(small: Inventory) -> None:
    result = if_result(["ether1", "ether2", "ether5"], oper_down=("ether2",))
    found = samples(small, result)
    assert one(found, "edunet_interface_oper_up", interface="ether1").value == 1
    assert one(found, "edunet_interface_oper_up", interface="ether2").value == 0
    assert one(found, "edunet_interface_admin_up", interface="ether2").value == 1
    assert one(found, "edunet_interface_speed_bps", interface="ether5").value == 1e9
    assert one(found, "edunet_interface_in_octets_total", interface="ether1").value == 2**40 + 1
    assert one(found, "edunet_interface_out_octets_total", interface="ether5").value == 2**33 + 3
    assert one(found, "edunet_interface_in_errors_total", interface="ether2").value == 6
    assert one(found, "edunet_interface_out_discards_total", interface="ether5").value == 6
    boot = NOW - UPTIME_TICKS / 100
    assert one(found, "edunet_device_uptime_seconds").value == 3600
    assert one(found, "edunet_device_boot_time_seconds").value == boot
    assert one(found, "edunet_interface_last_change_seconds", interface="ether2").value == boot + 2
    text = render(families(result, small.devices[ROUTER], small, now=NOW)).decode()
    assert "# TYPE edunet_interface_in_octets_total counter" in text
    assert "# TYPE edunet_interface_oper_up gauge" in text


def test_device_info_and_poll_health(small: Inventory) -> None:
    found = samples(small, if_result(["ether1"]))
    info = one(found, "edunet_device_info")
    assert info.labels["sys_name"] == ROUTER
    assert info.labels["sys_object_id"] == "1.3.6.1.4.1.14988.1"
    assert info.labels["sys_descr"] == "RouterOS RB750Gr3"  # first line only
    assert one(found, "edunet_snmp_up").value == 1
    assert one(found, "edunet_snmp_requests").value == 3
    assert one(found, "edunet_snmp_varbinds").value == 18
    assert one(found, "edunet_snmp_poll_duration_seconds").value == 0.012
    assert not [s for s in found if s.name == "edunet_snmp_error"]


def test_a_failed_poll_is_up_0_with_its_reason_and_nothing_else(small: Inventory) -> None:
    failed = PollResult(
        ROUTER, "127.33.3.129", "if_mib", error=PollError.timeout, duration_s=2.0, requests=2
    )
    found = samples(small, failed)
    assert one(found, "edunet_snmp_up").value == 0
    assert one(found, "edunet_snmp_error", reason="timeout").value == 1
    assert one(found, "edunet_snmp_up").labels["site"] == "79760031"
    assert not [s for s in found if s.name.startswith(("edunet_interface", "edunet_device"))]


def test_an_unknown_target_keeps_the_label_set(small: Inventory) -> None:
    failed = PollResult("10.9.9.9", "", "if_mib", error=PollError.unknown_target)
    found = samples(small, failed)
    up = one(found, "edunet_snmp_up")
    assert up.labels["device"] == "10.9.9.9"
    assert up.labels["district"] == "" and up.labels["site"] == ""
    assert one(found, "edunet_snmp_error", reason="unknown_target").value == 1


def test_duplicate_interface_names_stay_apart(small: Inventory) -> None:
    found = samples(small, if_result(["ether1", "ether1"]))
    names = {s.labels["interface"] for s in found if s.name == "edunet_interface_oper_up"}
    assert names == {"ether1", "ether1 (ifIndex 2)"}


def test_reconcile_report_on_an_inventory_scrape(small: Inventory) -> None:
    result = PollResult(
        ROUTER, "127.33.3.129", "inventory", ok=True, scalars={"sysUpTime": UPTIME_TICKS}
    )
    report = DeviceReport(ROUTER, "79760031", polled=True)
    report.mismatches.append(Mismatch(Kind.serial, "", "HEX1", "HEX2"))
    found = samples(small, result, report=report)
    assert one(found, "edunet_reconcile_ok").value == 0
    bad = one(found, "edunet_reconcile_mismatch", kind="serial")
    assert (bad.labels["expected"], bad.labels["found"], bad.value) == ("HEX1", "HEX2", 1)
    assert not [s for s in found if s.name.startswith("edunet_interface")]


def test_fast_render_matches_prometheus_client(small: Inventory) -> None:
    names = [*small.devices["79760031-sw1"].model.interfaces, "Vlan1", 'odd "name"\\x']
    result = if_result(names, target="79760031-sw1")
    fams = families(result, small.devices["79760031-sw1"], small, now=NOW)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(PollCollector(fams))

    def parsed(text: bytes) -> set[tuple[str, tuple[tuple[str, str], ...], float]]:
        return {
            (s.name, tuple(sorted(s.labels.items())), s.value)
            for fam in text_string_to_metric_families(text.decode())
            for s in fam.samples
        }

    ours, theirs = parsed(render(fams)), parsed(generate_latest(registry))
    assert ours == theirs
    assert len(ours) > 9 * len(names)


def test_go_float_formats_like_prometheus_client() -> None:
    from prometheus_client.utils import floatToGoString

    for v in (0.0, 1.0, 0.012, 3600.0, 1e9, 2.0**40, 2.0**64, 1234567.0, -5.5, float("inf")):
        assert go_float(v) == floatToGoString(v), v  # type: ignore[no-untyped-call]


def test_interfaces_carry_snmp_exporters_if_mib_labels(small: Inventory) -> None:
    """ifIndex, ifName, ifDescr and ifAlias as snmp_exporter's if_mib module labels them:
    the port description for the NOC, the index to tell two ports of one name apart."""
    result = if_result(["ether1", "ether1", "ether5"])
    result.columns["ifAlias"] = {(1,): "tới VNPT".encode(), (2,): b"sub 10"}
    result.columns["ifDescr"][(3,)] = b"ether5 LAN"
    found = samples(small, result)
    rows = {
        s.labels["ifIndex"]: s.labels for s in found if s.name == "edunet_interface_in_octets_total"
    }
    assert set(rows) == {"1", "2", "3"}
    first, second, third = rows["1"], rows["2"], rows["3"]
    assert (first["interface"], first["ifName"], first["ifAlias"]) == (
        "ether1",
        "ether1",
        "tới VNPT",
    )
    assert (second["interface"], second["ifAlias"]) == ("ether1 (ifIndex 2)", "sub 10")
    assert (third["ifName"], third["ifDescr"], third["ifAlias"]) == ("ether5", "ether5 LAN", "")
    assert first["uplink"] == "true" and first["isp"] == "VNPT"
    for s in found:
        if s.name.startswith("edunet_interface_"):
            assert {"ifIndex", "ifName", "ifDescr", "ifAlias"} <= set(s.labels), s.name


def test_extended_label_sets_escape_only_the_new_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A device's labels are escaped once per scrape, not again for every interface."""
    base = LabelSet((("device", 'sw "a"'), ("site", "Trường\n1"), ("empty", "")))
    escaped: list[str] = []

    def counting(value: str) -> str:
        escaped.append(value)
        return label_text(value)

    monkeypatch.setattr(collector, "label_text", counting)
    extended = base.extend(("interface", "Gi1/0/1"), ("ifAlias", 'a\\b"'))
    assert escaped == ["Gi1/0/1", 'a\\b"']
    whole = LabelSet((*base.pairs, ("interface", "Gi1/0/1"), ("ifAlias", 'a\\b"')))
    assert extended == whole and extended.text == whole.text
    assert (base + LabelSet((("x", "1"),))).text == base.text + ',x="1"'
    assert (LabelSet(()) + base).text == base.text
    assert LabelSet(()).extend().text == ""
