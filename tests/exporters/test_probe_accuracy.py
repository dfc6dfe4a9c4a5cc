"""The prober against real network faults (root): injected loss and delay read back.

Acceptance: 10 % injected loss reads 10 ± 3 %; +80 ms reads 80 ± 10 ms. Here over a
short window at a higher packet rate (50 packets/s each, ~1,200 packets: the binomial
spread of the loss reading is under 1 %).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
from collections.abc import Iterator
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from exporters.probe.icmp import IcmpProber
from lab.netfaults import NetFaults

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        NetFaults.unavailable_reason() is not None,
        reason=f"network faults: {NetFaults.unavailable_reason()}",
    ),
]

# Lab addresses no inventory uses, apart from the network faults' own tests.
LOSSY, SLOW, BOTH, BLOCKED, CLEAN = (IPv4Address(f"127.79.251.{n}") for n in (1, 2, 3, 4, 5))


class Tally:
    def __init__(self, n: int) -> None:
        self.sent = [0] * n
        self.lost = [0] * n
        self.rtts: list[list[float]] = [[] for _ in range(n)]

    def on_sent(self, target: int) -> None:
        self.sent[target] += 1

    def on_reply(self, target: int, rtt_s: float) -> None:
        self.rtts[target].append(rtt_s)

    def on_lost(self, target: int) -> None:
        self.lost[target] += 1

    def loss_pct(self, target: int) -> float:
        answered = len(self.rtts[target]) + self.lost[target]  # in-flight ones left out
        return 100.0 * self.lost[target] / answered

    def median_ms(self, target: int) -> float:
        return 1000.0 * statistics.median(self.rtts[target])


def probe(addresses: list[IPv4Address], seconds: float, interval_s: float) -> Tally:
    tally = Tally(len(addresses))
    engine = IcmpProber(addresses, tally, interval_s=interval_s, timeout_s=1.0)

    async def main() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(seconds, stop.set)
        await engine.run(stop)

    asyncio.run(asyncio.wait_for(main(), seconds + 15))
    return tally


def assert_still_in_place(faults: NetFaults, count: int) -> None:
    """Readings mean nothing if another run swept our namespaces away meanwhile."""
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    cages = [f.namespace for f in faults.active() if f.namespace]
    assert len(cages) == count
    missing = [c for c in cages if c not in listed]
    assert not missing, f"namespaces {missing} were torn down by something else during the run"


@pytest.fixture
def faults(tmp_path: Path) -> Iterator[NetFaults]:
    nf = NetFaults(tmp_path / "lab")
    try:
        yield nf
    finally:
        for fault in nf.active():
            nf.clear(fault.key)  # only ours: other work may have faults of its own


@pytest.mark.slow
def test_injected_loss_and_delay_read_back(faults: NetFaults) -> None:
    faults.impair("probe-test-loss", LOSSY, loss_pct=10)
    faults.impair("probe-test-delay", SLOW, delay_ms=80)
    faults.impair("probe-test-both", BOTH, loss_pct=10, delay_ms=80)
    tally = probe([LOSSY, SLOW, BOTH, CLEAN], seconds=24.0, interval_s=0.02)
    assert_still_in_place(faults, 3)
    for target in (0, 1, 2, 3):
        assert tally.sent[target] >= 1000
        loss, median = tally.loss_pct(target), tally.median_ms(target)
        print(f"target {target}: loss {loss:.1f} %, median {median:.1f} ms")
    assert tally.loss_pct(0) == pytest.approx(10, abs=3)
    assert tally.loss_pct(1) < 1.0
    assert tally.median_ms(1) == pytest.approx(80, abs=10)
    assert tally.loss_pct(2) == pytest.approx(10, abs=3)
    assert tally.median_ms(2) == pytest.approx(80, abs=10)
    assert tally.loss_pct(3) == 0.0 and tally.median_ms(3) < 1.0  # no fault: untouched


@pytest.mark.slow
def test_blocked_address_is_total_loss_and_clearing_restores_it(faults: NetFaults) -> None:
    faults.block("probe-test-block", [BLOCKED])
    tally = probe([BLOCKED, CLEAN], seconds=2.0, interval_s=0.05)
    assert tally.sent[0] >= 35 and tally.rtts[0] == []
    assert tally.lost[0] >= 15  # the rest were still within their 1 s timeout
    assert len(tally.rtts[1]) >= 30
    faults.clear("probe-test-block")
    tally = probe([BLOCKED], seconds=1.0, interval_s=0.05)
    assert tally.lost[0] == 0 and len(tally.rtts[0]) >= 15
