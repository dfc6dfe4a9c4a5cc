"""One measured round of our poll plus a plain prometheus_client render, in this process.

    python benchmarks/snmp_inproc.py --targets 127.0.1.1,127.0.1.2 --seconds 6 --concurrency 8

Stands in for the HTTP exporter: each "scrape" polls module if_mib of one target and renders
its samples as exposition text. Prints one JSON line: scrapes, varbinds, failures, the CPU
seconds this process spent inside the window (from /proc/self/stat) and the wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from edunet.secrets import Secret, SnmpCredentials
from exporters.snmp.oids import MODULES
from exporters.snmp.poll import SnmpTarget, poll
from exporters.snmp.result import PollResult
from exporters.snmp.session import close_session

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | str = "self") -> float:
    """utime + stime of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class _Samples:
    """The poll's values as metric families, the way snmp_exporter exposes them."""

    def __init__(self, result: PollResult):
        self.result = result

    def collect(self) -> Iterator[Metric]:
        r = self.result
        for name, value in r.scalars.items():
            if isinstance(value, int):
                yield GaugeMetricFamily(name, name, value=value)
            else:
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                family = GaugeMetricFamily(name, name, labels=[name])
                family.add_metric([str(text)], 1)
                yield family
        for name, rows in r.columns.items():
            numeric = all(isinstance(v, int) for v in rows.values())
            labels = ["ifIndex"] if numeric else ["ifIndex", name]
            family = GaugeMetricFamily(name, name, labels=labels)
            for index, value in rows.items():
                key = ".".join(map(str, index))
                if isinstance(value, int):
                    family.add_metric([key], value)
                else:
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                    family.add_metric([key, str(text)], 1)
            yield family


async def scrape(target: SnmpTarget) -> tuple[bool, int, int]:
    result = await poll(target, MODULES["if_mib"], timeout_s=2.0, retries=1, budget_s=10.0)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Samples(result))
    body = generate_latest(registry)
    return result.ok, result.varbinds, len(body)


async def run(
    addresses: list[str], community: str, seconds: float, concurrency: int
) -> dict[str, float]:
    creds = SnmpCredentials("bench", "v2c", Secret(community), None, None, None, None, None)
    targets = [SnmpTarget(f"sw{i}", a, creds) for i, a in enumerate(addresses)]
    for target in targets:  # warm up: engine, socket, target tables
        await scrape(target)
    counts = {"scrapes": 0, "varbinds": 0, "failures": 0}
    deadline = time.monotonic() + seconds

    async def worker(offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            ok, varbinds, _ = await scrape(targets[i % len(targets)])
            i += 1
            counts["scrapes" if ok else "failures"] += 1
            counts["varbinds"] += varbinds

    cpu0, wall0 = cpu_seconds(), time.monotonic()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    cpu1, wall1 = cpu_seconds(), time.monotonic()
    close_session()
    return {**counts, "cpu_s": cpu1 - cpu0, "wall_s": wall1 - wall0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", required=True)
    parser.add_argument("--community", default="public")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    figures = asyncio.run(
        run(args.targets.split(","), args.community, args.seconds, args.concurrency)
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
