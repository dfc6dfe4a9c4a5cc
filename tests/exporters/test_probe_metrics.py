"""What the prober probes, and the series it exposes: names, labels, values."""

from __future__ import annotations

import asyncio
import math
from ipaddress import IPv4Address

import pytest
from prometheus_client.parser import text_string_to_metric_families

from edunet.model import Inventory
from edunet.reach import LAB_MAP, AddressMap, probe_address
from exporters.probe.metrics import RTT_BUCKETS, AppCollector, AppResult, ProbeStats
from exporters.probe.server import Prober, build_app, parse_listen
from exporters.probe.targets import LABELS, Target, app_targets, probe_targets


def families(text: str) -> dict[str, list[tuple[dict[str, str], float, str]]]:
    out: dict[str, list[tuple[dict[str, str], float, str]]] = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out.setdefault(s.name, []).append((s.labels, s.value, fam.type))
    return out


def test_every_site_and_the_data_centers_hosts_are_targets(small: Inventory) -> None:
    targets = probe_targets(small, LAB_MAP)
    by_name = {t.name: t for t in targets}
    for site in small.sites.values():
        host = probe_address(small, site)
        assert host is not None
        assert by_name[site.code].address == LAB_MAP(host)  # translated for sending
        assert dict(zip(LABELS, by_name[site.code].labels, strict=True))["host"] == str(host)
    dc = small.datacenter
    for device in small.site_devices(dc.code):
        if LAB_MAP(device.mgmt_ip) not in {by_name[s].address for s in small.sites}:
            assert by_name[device.name].address == LAB_MAP(device.mgmt_ip)
    for vm in small.vms.values():
        assert by_name[vm.name].address == LAB_MAP(vm.ip.ip)
    assert len({t.address for t in targets}) == len(targets)  # no address probed twice


def test_site_labels_come_from_the_inventory(small: Inventory) -> None:
    school = small.schools()[0]
    target = next(t for t in probe_targets(small, AddressMap()) if t.name == school.code)
    labels = dict(zip(LABELS, target.labels, strict=True))
    first = small.links[school.uplinks[0]]
    assert labels == {
        "target": school.code,
        "kind": "site",
        "host": str(probe_address(small, school)),
        "site": school.code,
        "site_name": school.name,
        "district": small.districts[school.district].name,
        "level": school.level.value if school.level else "",
        "role": "school",
        "isp": first.isp or "",
        "medium": first.medium.value,
    }
    assert target.address == probe_address(small, school)  # the empty map sends as is


def test_application_checks_use_the_vm_and_the_url_host(small: Inventory) -> None:
    checks = app_targets(small, LAB_MAP)
    assert [c.vm for c in checks] == ["portal-01", "portal-02"]
    c = checks[0]
    assert (c.server_name, c.port, c.path, c.tls) == ("hcm.edu.vn", 443, "/", True)
    assert c.address == IPv4Address("127.0.40.10")
    assert c.labels == (
        "portal",
        "Cổng thông tin điện tử ngành Giáo dục",
        "critical",
        "portal-01",
        "http",
    )


def test_probe_families_carry_counts_histogram_jitter_and_labels(small: Inventory) -> None:
    prober = Prober(probe_targets(small, LAB_MAP))
    st = prober.stats
    for rtt in (0.010, 0.030, 0.020):  # diffs 20 ms and 10 ms: jitter 15 ms
        st.on_sent(0)
        st.on_reply(0, rtt)
    st.on_sent(0)
    st.on_lost(0)
    fams = families(prober.metrics().decode())
    first = dict(zip(LABELS, prober.targets[0].labels, strict=True))

    def value(name: str, **extra: str) -> float:
        return next(v for lab, v, _ in fams[name] if lab == {**first, **extra})

    assert value("edunet_probe_sent_total") == 4
    assert value("edunet_probe_received_total") == 3
    assert value("edunet_probe_jitter_seconds") == pytest.approx(0.015)
    assert value("edunet_probe_last_rtt_seconds") == pytest.approx(0.020)
    assert value("edunet_probe_rtt_seconds_count") == 3
    assert value("edunet_probe_rtt_seconds_sum") == pytest.approx(0.060)
    assert value("edunet_probe_rtt_seconds_bucket", le="0.01") == 1
    assert value("edunet_probe_rtt_seconds_bucket", le="0.025") == 2
    assert value("edunet_probe_rtt_seconds_bucket", le="+Inf") == 3
    buckets = [
        lab["le"]
        for lab, _, _ in fams["edunet_probe_rtt_seconds_bucket"]
        if lab["target"] == first["target"]
    ]
    assert buckets[0] == "0.0001" and buckets[-2] == "2.0" and len(buckets) == len(RTT_BUCKETS) + 1
    # a target never answered: NaN gauges, zero counts, one series per target
    untouched = fams["edunet_probe_jitter_seconds"][1][1]
    assert math.isnan(untouched)
    assert len(fams["edunet_probe_sent_total"]) == len(prober.targets)
    assert fams["edunet_probe_targets"][0][1] == len(prober.targets)


def test_label_values_are_escaped() -> None:
    target = Target(IPv4Address("127.0.0.1"), ('a"b', "c\\d", "e\nf", *[""] * (len(LABELS) - 3)))
    prober = Prober([target])
    fams = families(prober.metrics().decode())
    ((labels, _, _),) = fams["edunet_probe_sent_total"]
    assert (labels["target"], labels["kind"], labels["host"]) == ('a"b', "c\\d", "e\nf")


def test_app_families_by_application_and_vm(small: Inventory) -> None:
    checks = app_targets(small, LAB_MAP)
    results: list[AppResult | None] = [
        AppResult(True, 0.05, 200, 86400.0 * 10),
        AppResult(False, None, error="refused"),
    ]
    fams = families("".join(_render(AppCollector(checks, results))))
    up = {lab["vm"]: v for lab, v, _ in fams["edunet_app_up"]}
    assert up == {"portal-01": 1.0, "portal-02": 0.0}
    ((labels, status, _),) = fams["edunet_app_http_status"]
    assert status == 200 and labels == {
        "application": "portal",
        "name": "Cổng thông tin điện tử ngành Giáo dục",
        "criticality": "critical",
        "vm": "portal-01",
        "check": "http",
    }
    assert fams["edunet_app_tls_expiry_seconds"][0][1] == 864000.0
    assert len(fams["edunet_app_latency_seconds"]) == 1  # nothing to time on a refusal


def _render(collector: AppCollector) -> list[str]:
    from prometheus_client import CollectorRegistry, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return [generate_latest(registry).decode()]


def test_stats_loss_and_jitter_window() -> None:
    st = ProbeStats(1, window=3)
    for i, rtt in enumerate((0.0, 1.0, 0.0, 1.0, 1.0)):
        st.on_sent(0)
        if i != 2:
            st.on_reply(0, rtt)
    assert st.loss(0) == pytest.approx(0.2)
    assert st.jitter(0) == pytest.approx((1.0 + 0.0 + 0.0) / 3)  # the lost one leaves no gap


def test_parse_listen() -> None:
    assert parse_listen("127.0.0.1:9375") == ("127.0.0.1", 9375)
    assert parse_listen(":9375") == ("0.0.0.0", 9375)
    with pytest.raises(ValueError):
        parse_listen("9375")


@pytest.mark.integration
def test_metrics_endpoint_serves_the_text_format(small: Inventory) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    prober = Prober(probe_targets(small, LAB_MAP))

    async def main() -> str:
        async with TestClient(TestServer(build_app(prober))) as client:
            resp = await client.get("/metrics")
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/plain")
            return await resp.text()

    text = asyncio.run(main())
    fams = families(text)
    assert "edunet_probe_rtt_seconds_bucket" in fams and "process_cpu_seconds_total" in fams
