"""Two Prometheus shards scrape the small city's lab through the real SNMP exporter and
remote-write to one VictoriaMetrics: each target is scraped by exactly one shard, and the merged
view holds every device exactly once."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from stack_kit import small_lab, until
from support.ports import free_tcp_port
from test_prometheus_config import write_tree

from edunet.model import Inventory
from edunet.reach import LAB_MAP
from monitors import stack
from monitors.file_sd import polled, render_targets
from monitors.prometheus_config import render_prometheus
from monitors.settings import MonitoringSettings

SHARDED_JOBS = ("snmp", "snmp_inventory", "probe", "exporters", "api", "node", "alertmanager")


@dataclass
class LabExporter:
    address: str  # the SNMP exporter's host:port
    lab_up_s: float  # lab up and exporters answering


@pytest.fixture(scope="module")
def lab_exporter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabExporter]:
    """The small city's lab (``edunet lab up``) and the real exporters against it."""
    started = time.monotonic()
    with small_lab(tmp_path_factory.mktemp("shards-lab")) as lab:
        ready_s = time.monotonic() - started
        yield LabExporter(lab.snmp_exporter, ready_s)


def scraped(url: str, job: str) -> list[dict[str, Any]]:
    return [t for t in stack.targets(url) if t["labels"]["job"] == job]


def value(result: list[dict[str, Any]]) -> float | None:
    return float(result[0]["value"][1]) if result else None


@pytest.mark.integration
@pytest.mark.slow
def test_two_shards_split_and_merge(
    small: Inventory, lab_exporter: LabExporter, services: stack.Stack, tmp_path: Path
) -> None:
    started = time.monotonic()
    vm = services.victoria_metrics()
    ports = [free_tcp_port(), free_tcp_port()]
    unused = [f"127.0.0.1:{free_tcp_port()}" for _ in range(3)]  # nobody listens: "down"
    settings = MonitoringSettings.for_inventory(
        small,
        shards=2,
        scrape_interval_s=2,
        evaluation_interval_s=2,
        time_scale=1 / 8,
        snmp_exporter=lab_exporter.address,
        prober=unused[0],
        api=unused[1],
        alertmanager=unused[2],
        remote_write_url=f"{vm.url}/api/v1/write",
        address_map=LAB_MAP,
        node_exporter_port=free_tcp_port(),
    )
    selves = [f"127.0.0.1:{p}" for p in ports]
    configs = render_prometheus(small, settings, self_addresses=selves)
    base = write_tree(tmp_path, {**render_targets(small, settings), **configs})
    shards = [
        services.prometheus(base / Path(rel).name, listen=selves[i])
        for i, rel in enumerate(configs)
    ]
    stack_ready_s = time.monotonic() - started

    devices = sorted(d.name for d in small.devices.values() if polled(d))
    assert len(devices) == 21

    def split() -> dict[str, list[set[str]]] | None:
        """Per job, the target instances of each shard, once every shard has discovered."""
        out: dict[str, list[set[str]]] = {}
        for job in SHARDED_JOBS:
            out[job] = [{t["labels"]["instance"] for t in scraped(s.url, job)} for s in shards]
        return out if len(set.union(*out["snmp"])) == len(devices) else None

    per_job, split_s = until("the shards discovering every SNMP device", split, 30)
    for job, sets in per_job.items():
        assert sets[0].isdisjoint(sets[1]), f"{job}: a target in both shards"
    snmp = per_job["snmp"]
    assert sorted(snmp[0] | snmp[1]) == devices
    assert snmp[0] and snmp[1], "one shard got every device"
    assert per_job["snmp_inventory"] == snmp  # same hash of the same device name
    for job in ("probe", "exporters", "api", "alertmanager"):
        assert len(per_job[job][0]) + len(per_job[job][1]) == 1, job
    nodes = len([d for d in small.devices.values() if d.role.value == "server"]) + len(small.vms)
    assert len(per_job["node"][0] | per_job["node"][1]) <= nodes
    for s in shards:  # every shard watches itself
        assert len(scraped(s.url, "prometheus")) == 1

    def all_up() -> bool | None:
        health = [t["health"] for s in shards for t in scraped(s.url, "snmp")]
        return True if health.count("up") == len(devices) else None

    _, up_s = until("every SNMP scrape succeeding", all_up, 30)

    def merged() -> tuple[dict[str, int], float] | None:
        total = value(stack.query(vm.url, 'count(up{job="snmp"})'))
        by_shard = stack.query(vm.url, 'count by (shard) (up{job="snmp"})')
        counts = {r["metric"].get("shard", ""): int(float(r["value"][1])) for r in by_shard}
        answered = value(stack.query(vm.url, 'count(edunet_snmp_up{job="snmp"} == 1)'))
        if total != len(devices) or answered != len(devices):
            return None
        return counts, answered

    (counts, answered), merged_s = until("VictoriaMetrics holding every device", merged, 60)
    assert counts == {"0": len(snmp[0]), "1": len(snmp[1])}
    twice = stack.query(vm.url, 'count by (device) (up{job="snmp"}) > 1')
    assert twice == []
    per_device = stack.query(vm.url, 'count by (device) (up{job="snmp"})')
    assert sorted(r["metric"]["device"] for r in per_device) == devices
    one_shard = Counter(value(stack.query(s.url, 'count(up{job="snmp"})')) for s in shards)
    assert sum(int(k or 0) * n for k, n in one_shard.items()) == len(devices)
    print(
        f"\nshards: lab and exporters ready in {lab_exporter.lab_up_s:.1f} s, "
        f"VM + 2 Prometheus ready {stack_ready_s:.1f} s, "
        f"targets split {split_s:.1f} s, all scrapes up {up_s:.1f} s later, merged view "
        f"complete {merged_s:.1f} s later; devices per shard {counts}, answered {answered:.0f}"
    )


# --- the process runner itself ------------------------------------------------------------------


def test_a_missing_daemon_names_its_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(stack.StackError, match="install victoria-metrics"):
        stack.start_victoria_metrics(tmp_path / "vm")
    with pytest.raises(stack.StackError, match="install prometheus-alertmanager"):
        stack.start_alertmanager(tmp_path / "am.yml", tmp_path / "am")


@pytest.mark.integration
def test_a_daemon_that_fails_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("global: {scrape_interval: nonsense}\n", encoding="utf-8")
    service = stack.start_prometheus(bad, tmp_path / "prom")
    started = time.monotonic()
    try:
        with pytest.raises(stack.StackError, match=r"exited with status \d+[\s\S]*nonsense"):
            service.wait_ready(20)
    finally:
        service.stop()
    assert time.monotonic() - started < 20
    assert not service.running


@pytest.mark.integration
def test_query_and_reload(services: stack.Stack, tmp_path: Path) -> None:
    config = tmp_path / "prometheus.yml"
    config.write_text("global: {scrape_interval: 1s, scrape_timeout: 1s}\n", encoding="utf-8")
    prom = services.prometheus(config)
    vm = services.victoria_metrics()
    assert stack.query(prom.url, "1 + 1")[0]["value"][1] == "2"  # a scalar, as a vector item
    assert stack.query(vm.url, "vector(3)")[0]["value"][1] == "3"
    with pytest.raises(stack.StackError, match="bad_data"):
        stack.query(prom.url, "sum(")
    config.write_text(
        f"scrape_configs: [{{job_name: self, static_configs: [{{targets: ['{prom.listen}']}}]}}]\n",
        encoding="utf-8",
    )
    stack.reload(prom)
    loaded = stack.get_json(prom.url, "/api/v1/status/config")["data"]["yaml"]
    assert "job_name: self" in loaded
    with pytest.raises(stack.StackError, match="no configuration"):
        stack.reload(vm)
    for s in services.services:
        s.stop()
        assert not s.running
