"""A month of history in a real VictoriaMetrics: the raw series imported, then edunet's own
recording rules evaluated over the past by ``vmalert -replay`` (a test and benchmark helper)."""

from __future__ import annotations

import subprocess
import urllib.request
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from edunet.model import Inventory
from monitors import stack
from monitors.rules.common import Windows
from monitors.rules.recording import recording_groups
from monitors.rules.topology import topology_groups
from monitors.settings import MonitoringSettings

EVALUATION = "1m"
# the topology's static series first, what reads them next, the KPIs over those last: each
# pass is flushed before the next reads it
PASSES: tuple[tuple[str, ...], ...] = (
    ("edunet-topology-sites", "edunet-topology-applications", "edunet-topology-thresholds"),
    ("edunet-sites", "edunet-links", "edunet-applications"),
    ("edunet-kpis",),
)


def start(base: Path) -> stack.Service:
    # a month back must stay inside the retention; queries may read every step of it
    return stack.start_victoria_metrics(
        base, extra_args=["-retentionPeriod=5y", "-search.maxPointsPerTimeseries=100000"]
    )


def flush(vm: stack.Service) -> None:
    urllib.request.urlopen(f"{vm.url}/internal/force_flush", timeout=60).read()


def load(vm: stack.Service, lines: Iterable[str]) -> None:
    """POST the JSON lines in batches (VictoriaMetrics' /api/v1/import)."""
    batch: list[str] = []

    def send() -> None:
        body = "".join(batch).encode()
        request = urllib.request.Request(f"{vm.url}/api/v1/import", data=body, method="POST")
        urllib.request.urlopen(request, timeout=300).read()
        batch.clear()

    for line in lines:
        batch.append(line)
        if len(batch) >= 50:
            send()
    if batch:
        send()
    flush(vm)


def _groups(inv: Inventory) -> dict[str, dict[str, Any]]:
    settings = MonitoringSettings(city="79", domain="hcm.edu.vn")
    every = [*topology_groups(inv), *recording_groups(Windows(settings))]
    return {g["name"]: g for g in every}


def replay(vm: stack.Service, inv: Inventory, start: datetime, end: datetime, work: Path) -> None:
    groups = _groups(inv)
    for i, names in enumerate(PASSES):
        chosen: list[dict[str, Any]] = []
        for name in names:
            group = dict(groups[name])
            group["interval"] = EVALUATION
            chosen.append(group)
        rules = work / f"replay-{i}.yml"
        rules.write_text(yaml.safe_dump({"groups": chosen}, allow_unicode=True), encoding="utf-8")
        # the static group's rules do not read each other: no wait between them
        delay = "0s" if i == 0 else "1s"
        _vmalert(
            [
                f"-rule={rules}",
                f"-datasource.url={vm.url}",
                f"-remoteWrite.url={vm.url}",
                f"-replay.timeFrom={start.isoformat()}",
                f"-replay.timeTo={end.isoformat()}",
                "-replay.maxDatapointsPerQuery=10000",
                f"-replay.rulesDelay={delay}",
                f"-evaluationInterval={EVALUATION}",
                "-replay.disableProgressBar",
            ],
            work / f"replay-{i}.log",
        )
        flush(vm)


def _vmalert(args: Sequence[str], log: Path) -> None:
    with open(log, "wb") as out:
        done = subprocess.run(
            ["vmalert", *args], stdout=out, stderr=subprocess.STDOUT, timeout=1800, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"vmalert -replay failed:\n{log.read_text()[-3000:]}")
