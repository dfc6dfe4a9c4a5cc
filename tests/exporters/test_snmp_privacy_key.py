"""A wrong SNMPv3 privacy key against net-snmp, which drops what it cannot decrypt and sends
no Report: the reason is ``timeout``, and once the same user and authentication key were
accepted there, the detail names the likely cause."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from net_snmp import V3, snmpd
from support.ports import LOOPBACK

from edunet.secrets import Secret, SnmpCredentials
from exporters.snmp.agents import PRIVACY_HINT
from exporters.snmp.oids import MODULES
from exporters.snmp.poll import SnmpTarget, poll
from exporters.snmp.result import PollError, PollResult
from exporters.snmp.session import close_session

pytestmark = [pytest.mark.integration, pytest.mark.slow]

WRONG_PRIV = dataclasses.replace(V3, profile="wrong-priv", priv_key=Secret("not-the-priv-key"))
WRONG_AUTH = dataclasses.replace(V3, profile="wrong-auth", auth_key=Secret("not-the-auth-key"))


def _polls(port: int, *credentials: SnmpCredentials) -> list[PollResult]:
    """Polls one after the other in one exporter (one session)."""

    async def main() -> list[PollResult]:
        try:
            return [
                await poll(
                    SnmpTarget("sw-keys", LOOPBACK, c, port),
                    MODULES["if_mib"],
                    timeout_s=0.5,
                    budget_s=1.5,
                )
                for c in credentials
            ]
        finally:
            close_session()

    return asyncio.run(main())


def test_a_wrong_privacy_key_after_the_keys_were_accepted(tmp_path: Path) -> None:
    with snmpd(tmp_path) as agent:
        good, wrong = _polls(agent.port, V3, WRONG_PRIV)
    assert good.ok, good.detail
    assert (wrong.ok, wrong.error) == (False, PollError.timeout)
    assert wrong.detail.startswith(PRIVACY_HINT), wrong.detail
    assert PRIVACY_HINT == "timeout (wrong privacy key or unreachable)"
    assert "not-the-priv-key" not in wrong.detail


def test_a_wrong_privacy_key_from_the_start_is_a_plain_timeout(tmp_path: Path) -> None:
    with snmpd(tmp_path) as agent:
        [wrong] = _polls(agent.port, WRONG_PRIV)
    assert (wrong.ok, wrong.error) == (False, PollError.timeout)
    assert PRIVACY_HINT not in wrong.detail  # nothing says the keys were ever right here


def test_a_wrong_authentication_key_is_auth(tmp_path: Path) -> None:
    with snmpd(tmp_path) as agent:
        good, wrong = _polls(agent.port, V3, WRONG_AUTH)
    assert good.ok, good.detail
    assert (wrong.ok, wrong.error) == (False, PollError.auth), wrong.detail
