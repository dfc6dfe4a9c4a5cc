"""The poll against a real agent (snmpsim): values as net-snmp reads them, v3, failures."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.snmp_agents import (
    COUNTER64,
    GAUGE32,
    HEX,
    INTEGER,
    IPADDR,
    OCTETS,
    OID,
    drain,
    if_mib_records,
    snmpsim_binary,
    start_snmpsim,
    stop,
    wait_for_agent,
    write_snmprec,
)

from edunet.secrets import Secret, SnmpCredentials
from exporters.snmp.oids import MODULES, Module, oid
from exporters.snmp.poll import SnmpTarget, poll
from exporters.snmp.result import PollError, PollResult
from exporters.snmp.session import close_session, session

pytestmark = [pytest.mark.integration, pytest.mark.slow]

AGENT, PORT = "127.0.77.1", 11161
SILENT = "127.0.77.2"  # a socket that swallows everything: a blackholed device
USER, AUTH, PRIV = "edunet-test", "auth-key-test-1", "priv-key-test-1"
PORTS = 54

V2C = SnmpCredentials("t", "v2c", Secret("public"), None, None, None, None, None)
V3 = SnmpCredentials("t3", "v3", None, USER, "sha", Secret(AUTH), "aes", Secret(PRIV), "public")

EXTRA = Module(
    "extra",
    {},
    {
        "big": oid("1.3.6.1.4.1.99999.1.1"),
        "neg": oid("1.3.6.1.4.1.99999.1.2"),
        "str": oid("1.3.6.1.4.1.99999.1.3"),
        "ip": oid("1.3.6.1.4.1.99999.1.4"),
        "oid": oid("1.3.6.1.4.1.99999.1.5"),
    },
)
EXTRA_ROWS = [
    ("1.3.6.1.4.1.99999.1.1.1", COUNTER64, str(2**64 - 1)),
    ("1.3.6.1.4.1.99999.1.1.2", COUNTER64, "0"),
    ("1.3.6.1.4.1.99999.1.1.4294967295", GAUGE32, str(2**32 - 1)),
    ("1.3.6.1.4.1.99999.1.2.1", INTEGER, str(-(2**31))),
    ("1.3.6.1.4.1.99999.1.2.2", INTEGER, "-1"),
    ("1.3.6.1.4.1.99999.1.3.1", OCTETS, ""),
    ("1.3.6.1.4.1.99999.1.3.2", HEX, "00ff8081"),
    ("1.3.6.1.4.1.99999.1.4.1", IPADDR, "10.20.30.40"),
    ("1.3.6.1.4.1.99999.1.5.1", OID, "1.3.6.1.4.1.2636.3.1.2.1.268435455"),
]


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if snmpsim_binary() is None or shutil.which("snmpget") is None:
        pytest.skip("snmpsim and net-snmp's tools are needed")
    data = tmp_path_factory.mktemp("snmpsim")
    write_snmprec(data / "public.snmprec", if_mib_records(PORTS) + EXTRA_ROWS)
    process = start_snmpsim(
        data,
        [f"{AGENT}:{PORT}"],
        v3_user=USER,
        auth_key=AUTH,
        priv_key=PRIV,
        log=data / "agent.log",
    )
    try:
        wait_for_agent(AGENT, PORT, "public")
        yield data
    finally:
        stop(process)


def run(coro: object) -> PollResult:
    async def main() -> PollResult:
        try:
            return await coro  # type: ignore[misc,no-any-return]
        finally:
            close_session()

    return asyncio.run(main())


def target(credentials: SnmpCredentials = V2C, address: str = AGENT) -> SnmpTarget:
    return SnmpTarget("sw-test", address, credentials, PORT)


def net_snmp_walk(column: str) -> dict[tuple[int, ...], str]:
    """net-snmp's view of a column: row index -> value text (-Oq: no type names)."""
    done = subprocess.run(
        [
            *("snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oq", "-Oe", "-Ot"),
            *(f"udp:{AGENT}:{PORT}", column),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    prefix = "." + column + "."
    rows = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        rows[tuple(int(x) for x in name.removeprefix(prefix).split("."))] = value.strip('"')
    return rows


def test_if_mib_values_equal_net_snmp(agent: Path) -> None:
    result = run(poll(target(), MODULES["if_mib"]))
    assert result.ok, result.detail
    assert set(result.columns) == set(MODULES["if_mib"].columns)
    assert all(len(rows) == PORTS for rows in result.columns.values())
    for name in ("ifHCInOctets", "ifInErrors", "ifOperStatus", "ifHighSpeed", "ifLastChange"):
        theirs = net_snmp_walk(".".join(map(str, MODULES["if_mib"].columns[name])))
        assert {k: str(v) for k, v in result.columns[name].items()} == theirs
    names = net_snmp_walk("1.3.6.1.2.1.31.1.1.1.1")
    assert {k: v.decode() for k, v in result.columns["ifName"].items()} == names  # type: ignore[union-attr]
    assert result.scalars["sysName"] == b"sw-1.school.edu.vn"
    assert result.scalars["sysObjectID"] == "1.3.6.1.4.1.9.1.2494"
    assert result.scalars["sysUpTime"] == 123457
    assert result.varbinds >= PORTS * len(MODULES["if_mib"].columns) + 4
    assert 2 <= result.requests < 40


def test_every_type_and_extreme(agent: Path) -> None:
    result = run(poll(target(), EXTRA))
    assert result.ok, result.detail
    assert result.columns == {
        "big": {(1,): 2**64 - 1, (2,): 0, (4294967295,): 2**32 - 1},
        "neg": {(1,): -(2**31), (2,): -1},
        "str": {(1,): b"", (2,): b"\x00\xff\x80\x81"},
        "ip": {(1,): "10.20.30.40"},
        "oid": {(1,): "1.3.6.1.4.1.2636.3.1.2.1.268435455"},
    }


def test_v3_auth_priv_reads_the_same(agent: Path) -> None:
    v2 = run(poll(target(), MODULES["if_mib"]))
    v3 = run(poll(target(V3), MODULES["if_mib"]))
    assert v3.ok, v3.detail
    assert (v3.scalars, v3.columns) == (v2.scalars, v2.columns)


def _wrong(**change: object) -> SnmpCredentials:
    values = {f: getattr(V3, f) for f in V3.__slots__}
    values.update(change)
    return SnmpCredentials(**values)


@pytest.fixture
def silent() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((SILENT, PORT))
    sock.setblocking(False)
    yield sock
    sock.close()


def test_failures_are_classified_quickly_and_the_poller_recovers(
    agent: Path, silent: socket.socket
) -> None:
    cases = [
        (
            target(SnmpCredentials("x", "v2c", Secret("wrong"), None, None, None, None, None)),
            PollError.timeout,
        ),
        (target(_wrong(auth_key=Secret("not-the-auth-key"))), PollError.auth),
        (target(_wrong(priv_key=Secret("not-the-priv-key"))), PollError.auth),
        (target(_wrong(user="nobody")), PollError.auth),
        (SnmpTarget("down", "127.0.77.3", V2C, PORT), PollError.network),  # nothing listens
        (target(address=SILENT), PollError.timeout),
    ]

    async def main() -> list[PollResult]:
        try:
            results = [await poll(t, MODULES["if_mib"], timeout_s=0.3, retries=1) for t, _ in cases]
            results.append(await poll(target(V3), MODULES["if_mib"]))
            return results
        finally:
            close_session()

    started = time.monotonic()
    results = asyncio.run(main())
    assert time.monotonic() - started < 10
    for (_, reason), result in zip(cases, results, strict=False):
        assert (result.ok, result.error) == (False, reason), result.detail
        assert result.duration_s < 1.5
        for secret in (AUTH, PRIV, "not-the-auth-key", "not-the-priv-key", "wrong"):
            assert secret not in result.detail
    assert results[-1].ok and results[-1].varbinds > 700
    assert results[-2].requests == 2  # one retry to the silent device
    assert drain(silent) == 2


def test_budget_and_cancellation_stop_the_walk(silent: socket.socket) -> None:
    async def main() -> tuple[PollResult, int, int]:
        try:
            started = time.monotonic()
            spent = await poll(target(address=SILENT), MODULES["if_mib"], timeout_s=5, budget_s=0.4)
            assert time.monotonic() - started < 1.0
            task = asyncio.create_task(poll(target(address=SILENT), MODULES["if_mib"]))
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            sent = drain(silent)
            await asyncio.sleep(2.5)  # past the first request's timeout: no retry may follow
            pending = sum(len(e.pending) for e in session().engines)
            return spent, sent, drain(silent) + pending
        finally:
            close_session()

    spent, sent, after = asyncio.run(main())
    assert (spent.ok, spent.error, spent.requests) == (False, PollError.timeout, 1)
    assert sent == 2  # the budgeted poll's request and the cancelled poll's
    assert after == 0


def test_many_polls_at_once(agent: Path) -> None:
    async def main() -> list[PollResult]:
        try:
            jobs = [poll(target(V3 if i % 2 else V2C), MODULES["if_mib"]) for i in range(40)]
            return await asyncio.gather(*jobs)
        finally:
            close_session()

    results = asyncio.run(main())
    assert all(r.ok for r in results), {r.detail for r in results if not r.ok}
    assert len({repr(r.columns) for r in results}) == 1
