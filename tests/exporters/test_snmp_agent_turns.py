"""Polls of one agent take turns: at most MAX_POLLS_PER_AGENT of them send at once.

An agent that is slow to answer (here: one that never does) sees the first requests of
only that many polls; the others wait in the exporter, within their budget, and polls of
another agent are not held up behind them.
"""

from __future__ import annotations

import asyncio
import socket

from support.ports import free_udp_port
from support.snmp_agents import drain

from edunet.secrets import Secret, SnmpCredentials
from exporters.snmp.agents import MAX_POLLS_PER_AGENT
from exporters.snmp.oids import MODULES
from exporters.snmp.poll import SnmpTarget, poll
from exporters.snmp.result import PollError, PollResult
from exporters.snmp.session import close_session

V2C = SnmpCredentials("turns", "v2c", Secret("public"), None, None, None, None, None)
SLOW, OTHER = "127.0.81.1", "127.0.81.2"


def test_polls_of_one_agent_take_turns() -> None:
    port = free_udp_port(SLOW)
    slow, other = (socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2))
    slow.bind((SLOW, port))
    other.bind((OTHER, port))
    for sock in (slow, other):
        sock.setblocking(False)

    async def main() -> tuple[list[PollResult], int, int]:
        try:
            polls = [
                poll(SnmpTarget(f"sw-{i}", SLOW, V2C, port), MODULES["if_mib"], budget_s=0.6)
                for i in range(3 * MAX_POLLS_PER_AGENT)
            ]
            polls.append(
                poll(SnmpTarget("sw-other", OTHER, V2C, port), MODULES["if_mib"], budget_s=0.6)
            )
            running = asyncio.gather(*polls)
            await asyncio.sleep(0.3)  # before any retry (the first waits a second)
            at_once = drain(slow), drain(other)
            return await running, *at_once
        finally:
            close_session()

    results, slow_requests, other_requests = asyncio.run(main())
    assert slow_requests == MAX_POLLS_PER_AGENT
    assert other_requests == 1
    assert all(r.error == PollError.timeout for r in results)
    slow.close()
    other.close()
