"""At 30% datagram loss each way, a request is tried again while the scrape's budget lasts:
most scrapes answer, each within its budget and a bounded number of requests (net-snmp's
snmpd behind a lossy relay on loopback, the drops drawn from a seeded generator)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from net_snmp import V2C, V3, LossyRelay, snmpd
from support.ports import LOOPBACK

from edunet.secrets import SnmpCredentials
from exporters.snmp.agents import MAX_TRIES
from exporters.snmp.oids import MODULES
from exporters.snmp.poll import SnmpTarget, poll
from exporters.snmp.result import PollResult
from exporters.snmp.session import close_session

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TIMEOUT_S, BUDGET_S = 2.0, 10.0  # the exporter's defaults: one request, one whole poll
SCRAPES = 10
LOSS = 0.3


@pytest.mark.parametrize("credentials", [V2C, V3], ids=["v2c", "v3"])
def test_most_scrapes_answer_at_30_percent_loss(
    credentials: SnmpCredentials, tmp_path: Path
) -> None:
    async def main(port: int) -> list[PollResult]:
        target = SnmpTarget("sw-lossy", LOOPBACK, credentials, port)
        try:
            return [
                await poll(target, MODULES["if_mib"], timeout_s=TIMEOUT_S, budget_s=BUDGET_S)
                for _ in range(SCRAPES)
            ]
        finally:
            close_session()

    with snmpd(tmp_path) as agent, LossyRelay(agent.port, loss=LOSS, seed=15) as relay:
        started = time.monotonic()
        results = asyncio.run(main(relay.port))
        took = time.monotonic() - started
    answered = [r for r in results if r.ok]
    assert len(answered) >= SCRAPES - 1, [(r.error, r.detail) for r in results if not r.ok]
    assert relay.dropped > 0.2 * (relay.passed + relay.dropped)  # the loss was real
    for r in results:
        assert r.duration_s <= BUDGET_S + 0.3
        assert r.requests <= MAX_TRIES * 4  # a few requests per poll, each tried a bounded time
    assert took < SCRAPES * BUDGET_S
    # an answered scrape did not need the whole budget: lost tries cost round trips
    assert sorted(r.duration_s for r in answered)[len(answered) // 2] < BUDGET_S / 2
