"""An SNMPv3 agent that restarts with a new engine ID is read again within one scrape, and
the change is counted: net-snmp's snmpd, both with the fast paths and with pysnmp's plain
path (``EDUNET_SNMP_FASTPATH=0``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from net_snmp import V2C, V3, LossyRelay, snmpd
from support.ports import LOOPBACK

from edunet.secrets import SnmpCredentials
from exporters.snmp import fastpath
from exporters.snmp.collector import families, render
from exporters.snmp.oids import MODULES
from exporters.snmp.poll import SnmpTarget, poll
from exporters.snmp.result import PollResult
from exporters.snmp.session import close_session

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# what the exporter's server passes by default: a 2 s request timeout, a 10 s budget
TIMEOUT_S, BUDGET_S = 2.0, 10.0
UNKNOWN_ENGINE_ID = bytes.fromhex("2b060106030f01010400")  # usmStatsUnknownEngineIDs.0


@pytest.fixture(params=["fast", "plain"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "plain":
        monkeypatch.setenv(fastpath.SWITCH, "0")
    else:
        monkeypatch.delenv(fastpath.SWITCH, raising=False)
    return str(request.param)


async def _scrape(port: int, credentials: SnmpCredentials = V3) -> PollResult:
    target = SnmpTarget("sw-restart", LOOPBACK, credentials, port)
    return await poll(target, MODULES["if_mib"], timeout_s=TIMEOUT_S, budget_s=BUDGET_S)


def _scenario(port: int, restart: Callable[[], None]) -> tuple[PollResult, PollResult]:
    """A scrape, the agent restarted, one more scrape: in one exporter (one session)."""

    async def main() -> tuple[PollResult, PollResult]:
        try:
            before = await _scrape(port)
            await asyncio.to_thread(restart)
            return before, await _scrape(port)
        finally:
            close_session()

    return asyncio.run(main())


@pytest.mark.parametrize("persistent", [False, True], ids=["snmpd -C", "new state"])
def test_a_new_engine_id_is_discovered_within_one_scrape(
    path: str, persistent: bool, tmp_path: Path
) -> None:
    with snmpd(tmp_path, persistent=persistent) as agent:
        # snmpd -C keeps no engine ID: a restart in the same state directory is a new one
        state = "second" if persistent else "first"
        before, after = _scenario(agent.port, lambda: agent.restart(state, persistent=persistent))
    assert before.ok, before.detail
    assert before.engine_id_changes == 0
    assert after.ok, f"{path}: {after.error} {after.detail}"
    assert after.duration_s < 1.0  # the Report names the new engine: no timeout waited
    assert after.engine_id_changes == 1
    page = render(families(after, None, None)).decode()
    assert 'edunet_snmp_engine_id_changes_total{device="sw-restart"' in page
    assert page.count("edunet_snmp_engine_id_changes_total{") == 1
    assert page.split("edunet_snmp_engine_id_changes_total{")[1].split("} ")[1].startswith("1.0")


def test_the_same_engine_one_boot_later_is_no_change(path: str, tmp_path: Path) -> None:
    with snmpd(tmp_path) as agent:
        before, after = _scenario(agent.port, lambda: agent.restart("first"))
    assert before.ok and after.ok, after.detail
    assert after.duration_s < 1.0
    assert after.engine_id_changes == 0


def test_an_agent_that_sends_no_report_is_discovered_after_one_timeout(
    path: str, tmp_path: Path
) -> None:
    """Some agents drop a message for an unknown engine silently: the first timeout after
    answers sends a discovery instead of the old engine ID again."""
    with (
        snmpd(tmp_path) as agent,
        LossyRelay(agent.port, loss=0.0, seed=1) as relay,
    ):

        async def main() -> tuple[PollResult, PollResult]:
            try:
                before = await _scrape(relay.port)
                # discovery still gets its Report; a request to the old engine gets nothing
                relay.drop = lambda data: UNKNOWN_ENGINE_ID in data and not _discovery(data)
                await asyncio.to_thread(agent.restart, "second")
                return before, await _scrape(relay.port)
            finally:
                close_session()

        before, after = asyncio.run(main())
    assert before.ok, before.detail
    assert after.ok, after.detail
    assert after.duration_s < TIMEOUT_S + 1.0  # one try's wait, then discovery
    assert after.engine_id_changes == 1
    assert relay.dropped >= 1


def _discovery(report: bytes) -> bool:
    """A Report to a discovery request: it names no user (an empty msgUserName)."""
    return b"\x04\x00\x04\x00\x04\x00" in report


def test_v2c_has_no_engine(tmp_path: Path) -> None:
    async def main() -> PollResult:
        try:
            return await _scrape(agent.port, V2C)
        finally:
            close_session()

    with snmpd(tmp_path) as agent:
        result = asyncio.run(main())
    assert result.ok and result.engine_id_changes is None
    assert "engine_id_changes" not in render(families(result, None, None)).decode()
