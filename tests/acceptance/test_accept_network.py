"""Acceptance with real network faults (root): the prober reads an impaired uplink's loss and
delay, and dead devices do not slow the scrapes of the live ones."""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import aiohttp
import pytest

if TYPE_CHECKING:
    from lab_kit import Exporter, Lab, Metrics

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="network faults need root"),
]

# --- the prober ----------------------------------------------------------------------------------

LOSSY, SLOW, CLEAN = "PGD-Q1", "PGD-Q12", "PGD-THU-DUC"  # district offices, one gateway each
WINDOW_S = 120.0
PACKETS = 20  # echo requests per target per second: 2,400 in the window, loss sd 0.61 points
LOSS_PCT, DELAY_MS = 10.0, 80.0


@pytest.fixture
def prober(kit: ModuleType, lab: Lab, tmp_path: Path) -> Iterator[str]:
    """``edunet exporters run probe`` over the whole city, at a raised packet rate."""
    extra = ("--probe-packets", str(PACKETS), "--probe-interval", "1")
    exp = kit.start_exporter(lab, tmp_path / "prober.log", which="probe", extra=extra)
    try:
        yield exp.base
    finally:
        exp.stop()


def _site(m: Metrics, name: str, site: str) -> float:
    return m.one(name, target=site, kind="site")


def _median_ms(before: Metrics, after: Metrics, site: str) -> float:
    """The median RTT of the window from the histogram's buckets, interpolated."""
    buckets = []
    for labels, value in after.all("edunet_probe_rtt_seconds_bucket", target=site, kind="site"):
        old = before.one(
            "edunet_probe_rtt_seconds_bucket", target=site, kind="site", le=labels["le"]
        )
        buckets.append((float(labels["le"]), value - old))
    buckets.sort()
    total = buckets[-1][1]
    lower, below = 0.0, 0.0
    for bound, count in buckets:
        if count >= total / 2:
            share = (total / 2 - below) / (count - below) if count > below else 0.0
            return 1000 * (lower + (bound - lower) * share)
        lower, below = bound, count
    return math.nan


def test_uplink_loss_and_delay_read_by_the_prober(kit: ModuleType, lab: Lab, prober: str) -> None:
    lab.fault("uplink", LOSSY, "--loss", str(LOSS_PCT))
    lab.fault("uplink", SLOW, "--delay", str(DELAY_MS))
    try:
        time.sleep(3)  # packets sent before the faults are answered or timed out
        before = kit.Metrics.parse(kit.http_get(prober + "/metrics", 10)[1])
        time.sleep(WINDOW_S)
        after = kit.Metrics.parse(kit.http_get(prober + "/metrics", 10)[1])
    finally:
        lab.clear_all()

    def delta(name: str, site: str) -> float:
        return _site(after, name, site) - _site(before, name, site)

    figures = {}
    for site in (LOSSY, SLOW, CLEAN):
        sent = delta("edunet_probe_sent_total", site)
        received = delta("edunet_probe_received_total", site)
        count = delta("edunet_probe_rtt_seconds_count", site)
        mean_ms = 1000 * delta("edunet_probe_rtt_seconds_sum", site) / count if count else math.nan
        loss = 100 * (1 - received / sent)
        sd = 100 * math.sqrt(LOSS_PCT / 100 * (1 - LOSS_PCT / 100) / sent)
        figures[site] = (sent, loss, mean_ms, _median_ms(before, after, site), sd)
    kit.figure(
        "prober",
        f"{PACKETS} pkt/s per target over {WINDOW_S:.0f} s; "
        + "; ".join(
            f"{site}: sent {s:.0f}, loss {loss:.2f}% (sd at 10%: {sd:.2f}), RTT mean "
            f"{mean:.2f} ms, median ~{med:.1f} ms"
            for site, (s, loss, mean, med, sd) in figures.items()
        ),
    )
    sent, loss, _, _, _ = figures[LOSSY]
    assert sent >= 0.9 * PACKETS * WINDOW_S
    assert abs(loss - LOSS_PCT) <= 3, f"{LOSSY}: loss {loss:.2f}% for --loss {LOSS_PCT}"
    _, slow_loss, mean, median, _ = figures[SLOW]
    assert abs(mean - DELAY_MS) <= 10, f"{SLOW}: mean RTT {mean:.2f} ms for --delay {DELAY_MS}"
    assert abs(median - DELAY_MS) <= 10 + 12.5, median  # buckets 75-100 ms: +-12.5 ms coarse
    assert slow_loss <= 1
    _, clean_loss, clean_mean, _, _ = figures[CLEAN]
    assert clean_loss <= 1 and clean_mean < 10


# --- scrape latency with dead targets ------------------------------------------------------------

N_TARGETS = 120
DEAD_EVERY = 10, 3  # of every 10 targets, 3 go down: 30 %
INTERVAL_S = 10.0
SCRAPE_TIMEOUT_S = 10.0
ROUNDS = 3  # scrape intervals per phase


def _targets(kit: ModuleType, lab: Lab) -> tuple[list[str], list[str]]:
    """N devices spread over the city's sites (every k-th SNMP device), and 30 % of them."""
    devices = sorted(kit.snmp_devices(lab.inv), key=lambda d: (d.site, d.name))
    step = len(devices) // N_TARGETS
    chosen = [d.name for d in devices[::step][:N_TARGETS]]
    dead = [n for i, n in enumerate(chosen) if i % DEAD_EVERY[0] < DEAD_EVERY[1]]
    return chosen, dead


def _scrape_rounds(exporter: Exporter, targets: list[str]) -> dict[str, list[tuple[float, float]]]:
    """Every target once per interval, spread evenly over it, as Prometheus does; returns
    target -> [(seconds, edunet_snmp_up)]."""
    out: dict[str, list[tuple[float, float]]] = {t: [] for t in targets}
    spacing = INTERVAL_S / len(targets)

    async def run() -> None:
        timeout = aiohttp.ClientTimeout(total=SCRAPE_TIMEOUT_S + 2)
        headers = {"X-Prometheus-Scrape-Timeout-Seconds": str(SCRAPE_TIMEOUT_S)}
        async with aiohttp.ClientSession(timeout=timeout) as http:
            t0 = time.monotonic()

            async def one(target: str, at: float) -> None:
                await asyncio.sleep(max(0.0, t0 + at - time.monotonic()))
                url = f"{exporter.base}/snmp?target={target}&module=if_mib"
                started = time.monotonic()
                async with http.get(url, headers=headers) as response:
                    body = await response.text()
                up = math.nan
                for line in body.splitlines():
                    if line.startswith("edunet_snmp_up{"):
                        up = float(line.rsplit(" ", 1)[1])
                out[target].append((time.monotonic() - started, up))

            jobs = [
                one(t, r * INTERVAL_S + i * spacing)
                for r in range(ROUNDS)
                for i, t in enumerate(targets)
            ]
            await asyncio.gather(*jobs)

    asyncio.run(asyncio.wait_for(run(), ROUNDS * INTERVAL_S + SCRAPE_TIMEOUT_S + 20))
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def test_dead_targets_do_not_slow_the_live_ones(
    kit: ModuleType, lab: Lab, exporter: Exporter
) -> None:
    targets, dead = _targets(kit, lab)
    assert len(targets) == N_TARGETS and len(dead) == 36
    sites = {lab.inv.devices[t].site for t in targets}
    live = [t for t in targets if t not in dead]
    exporter.scrape(targets[0])  # the first scrape pays for imports and the session

    clean = _scrape_rounds(exporter, targets)
    not_up = [t for t, rs in clean.items() if any(up != 1.0 for _, up in rs)]
    assert not_up == [], f"not up without faults: {not_up}"

    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda d: lab.cli("lab", "fault", "down", d), dead))
    lab.note_network_faults()
    try:
        assert all(d.returncode == 0 for d in done), [d.stderr for d in done if d.returncode]
        faulty = _scrape_rounds(exporter, targets)
    finally:
        lab.clear_all()
    assert all(up == 0.0 for t in dead for _, up in faulty[t])
    assert all(up == 1.0 for t in live for _, up in faulty[t])

    p95_clean = _p95([s for t in live for s, _ in clean[t]])
    p95_faulty = _p95([s for t in live for s, _ in faulty[t]])
    dead_p50 = sorted(s for t in dead for s, _ in faulty[t])[len(dead) * ROUNDS // 2]
    kit.figure(
        "dead targets",
        f"{N_TARGETS} targets over {len(sites)} sites, {len(dead)} down, every {INTERVAL_S:.0f} s "
        f"x {ROUNDS}; live p95 {1000 * p95_clean:.0f} ms without faults, "
        f"{1000 * p95_faulty:.0f} ms with ({p95_faulty / p95_clean:.2f}x); dead median "
        f"{dead_p50:.1f} s",
    )
    assert p95_faulty <= 1.5 * p95_clean
