"""A live poll goes through the hand-written message paths, for SNMPv2c and SNMPv3.

The fast paths sit inside copies of pysnmp functions; a pysnmp release that renames or
restructures them would quietly put every message back through pyasn1. Here a real agent
(snmpsim) is polled twice and, on the second (warm) poll, pyasn1's BER codec must not run
at all, while the fast decoders, encoders and crypto services do. With the direct path on
(the default), the warm poll does not even pass through pysnmp: every request is sent and
every answer taken by :mod:`exporters.snmp.fastpath.direct`.
"""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pyasn1.codec.ber import decoder, encoder
from support.snmp_agents import (
    if_mib_records,
    snmpsim_binary,
    start_snmpsim,
    stop,
    wait_for_agent,
    write_snmprec,
)

from edunet.secrets import Secret, SnmpCredentials
from exporters.snmp.fastpath import SWITCH, direct, message, usm, usm_crypto, usm_encode
from exporters.snmp.oids import MODULES
from exporters.snmp.poll import SnmpTarget, poll
from exporters.snmp.result import PollResult
from exporters.snmp.session import close_session

pytestmark = [pytest.mark.integration, pytest.mark.slow]

AGENT, PORT = "127.0.78.1", 11162
USER, AUTH, PRIV = "edunet-fast", "auth-key-fast-1", "priv-key-fast-1"
V2C = SnmpCredentials("f2", "v2c", Secret("public"), None, None, None, None, None)
V3 = SnmpCredentials("f3", "v3", None, USER, "sha", Secret(AUTH), "aes", Secret(PRIV), "public")


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    if snmpsim_binary() is None or shutil.which("snmpget") is None:
        pytest.skip("snmpsim and net-snmp's tools are needed")
    data = tmp_path_factory.mktemp("snmpsim-fast")
    write_snmprec(data / "public.snmprec", if_mib_records(24))
    process = start_snmpsim(data, [f"{AGENT}:{PORT}"], v3_user=USER, auth_key=AUTH, priv_key=PRIV)
    try:
        wait_for_agent(AGENT, PORT, "public")
        yield
    finally:
        stop(process)


def _count(calls: Counter[str], name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return func(*args, **kwargs)

    return counted


def _two_polls(
    credentials: SnmpCredentials, monkeypatch: pytest.MonkeyPatch, *, direct_path: bool = False
) -> tuple[PollResult, Counter[str]]:
    """Poll twice in one session; the calls counted during the second poll. Without
    ``direct_path`` every request goes through pysnmp (with its fast paths)."""
    calls: Counter[str] = Counter()
    monkeypatch.delenv(SWITCH, raising=False)
    if not direct_path:
        monkeypatch.setattr(direct.Direct, "request", lambda *_args: None)
    target = SnmpTarget("sw-fast", AGENT, credentials, PORT)

    async def main() -> PollResult:
        try:
            first = await poll(target, MODULES["if_mib"])
            assert first.ok, first.detail
            # counted from here on: discovery and key localisation are behind us
            monkeypatch.setattr(decoder, "decode", _count(calls, "pyasn1 decode", decoder.decode))
            monkeypatch.setattr(encoder, "encode", _count(calls, "pyasn1 encode", encoder.encode))
            for owner, name, label in (
                (usm._Decoder, "decode", "v3 decoder"),
                (usm_encode._Encoder, "encode", "v3 encoder"),
                (message._Decoder, "decode", "v2c decoder"),
                (message._Encoder, "encode", "v2c encoder"),
            ):
                monkeypatch.setattr(
                    owner, name, staticmethod(_count(calls, label, getattr(owner, name)))
                )
            for name in ("fast_v3_message", "fast_usm_parameters", "fast_scoped_pdu"):
                monkeypatch.setattr(usm, name, _count(calls, name, getattr(usm, name)))
            monkeypatch.setattr(
                message,
                "fast_v2c_message",
                _count(calls, "fast_v2c_message", message.fast_v2c_message),
            )
            for name in ("_answer", "receive"):
                counted = _count(calls, f"direct {name}", getattr(direct.Direct, name))
                monkeypatch.setattr(direct.Direct, name, counted)
            for cls, name in (
                (usm_crypto.FastAes, "decrypt_data"),
                (usm_crypto.FastAes, "encrypt_data"),
                (usm_crypto.FastHmacSha, "authenticate_incoming_message"),
                (usm_crypto.FastHmacSha, "authenticate_outgoing_message"),
            ):
                monkeypatch.setattr(cls, name, _count(calls, name, getattr(cls, name)))
            return await poll(target, MODULES["if_mib"])
        finally:
            close_session()

    result = asyncio.run(main())
    assert result.ok, result.detail
    return result, calls


def test_v2c_poll_takes_the_fast_paths(agent: None, monkeypatch: pytest.MonkeyPatch) -> None:
    result, calls = _two_polls(V2C, monkeypatch)
    assert result.varbinds > 300
    assert calls["pyasn1 decode"] == 0 and calls["pyasn1 encode"] == 0, calls
    assert calls["v2c decoder"] == calls["fast_v2c_message"] == result.requests, calls
    assert calls["v2c encoder"] == result.requests, calls


def test_v3_poll_takes_the_fast_paths(agent: None, monkeypatch: pytest.MonkeyPatch) -> None:
    result, calls = _two_polls(V3, monkeypatch)
    assert result.varbinds > 300
    assert calls["pyasn1 decode"] == 0 and calls["pyasn1 encode"] == 0, calls
    n = result.requests
    # per request: message, USM parameters and scoped PDU decoded; three parts encoded
    assert calls["fast_v3_message"] == calls["fast_usm_parameters"] == n, calls
    assert calls["fast_scoped_pdu"] == n and calls["v3 decoder"] == 3 * n, calls
    assert calls["v3 encoder"] == 3 * n, calls
    for name in (
        "decrypt_data",
        "encrypt_data",
        "authenticate_incoming_message",
        "authenticate_outgoing_message",
    ):
        assert calls[name] == n, (name, calls)


@pytest.mark.parametrize("credentials", [V2C, V3], ids=["v2c", "v3"])
def test_warm_polls_take_the_direct_path(
    agent: None, monkeypatch: pytest.MonkeyPatch, credentials: SnmpCredentials
) -> None:
    result, calls = _two_polls(credentials, monkeypatch, direct_path=True)
    assert result.varbinds > 300
    assert calls["direct _answer"] == calls["direct receive"] == result.requests, calls
    passed = {"direct _answer", "direct receive"}
    assert not {name for name in calls if name not in passed}, calls  # pysnmp saw nothing
