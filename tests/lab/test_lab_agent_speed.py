"""The agents answer from memory: cheap per varbind, the same OIDs by GETNEXT and GETBULK."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from lab import agents, lifecycle, state

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SMALL = Path(__file__).parent.parent / "core" / "data" / "small.yaml"
DEVICE, ADDR = "79760012-sw1", "127.33.3.9"


@pytest.fixture(scope="module")
def running(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[int, dict[str, str], list[int]]]:
    if shutil.which("snmpbulkwalk") is None:
        pytest.skip("net-snmp's snmpbulkwalk is not installed")
    sd = tmp_path_factory.mktemp("lab-speed") / "state"
    port = next(p for p in (random.randint(20000, 50000) for _ in range(50))
                if not agents.address_in_use(ADDR, p))  # fmt: skip
    result = lifecycle.up(SMALL, sd, shards=1, port=port)
    secrets = yaml.safe_load(state.secrets_path(sd).read_text())
    pids = [p["pid"] for p in result.state["processes"] if p["name"].startswith("snmpsim")]
    try:
        yield port, secrets, pids
    finally:
        lifecycle.down(sd)


def _snmp(secrets: dict[str, str], port: int, cmd: str, *args: str) -> list[str]:
    p = "EDUNET_SNMP_V3_DEFAULT_"
    argv = [cmd, "-On", "-t", "2", "-r", "1", "-v3", "-l", "authPriv", "-u", secrets[p + "USER"],
            "-a", "SHA", "-A", secrets[p + "AUTH_KEY"], "-x", "AES", "-X", secrets[p + "PRIV_KEY"],
            "-n", "public", *args[:-1], f"{ADDR}:{port}", args[-1]]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return done.stdout.splitlines()


def _cpu_s(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def test_getnext_and_getbulk_walk_the_same_oids(
    running: tuple[int, dict[str, str], list[int]],
) -> None:
    port, secrets, _ = running
    walk = _snmp(secrets, port, "snmpwalk", "1.3")
    bulk = _snmp(secrets, port, "snmpbulkwalk", "-Cr30", "1.3")
    assert len(walk) > 28 * 14
    assert [line.split(" = ")[0] for line in walk] == [line.split(" = ")[0] for line in bulk]
    static = [line for line in walk if ".1.3.6.1.2.1.31.1.1.1.1." in line]  # ifName
    assert static and set(static) <= set(bulk)


def test_a_set_is_answered_and_changes_nothing(
    running: tuple[int, dict[str, str], list[int]],
) -> None:
    port, secrets, _ = running
    _snmp(secrets, port, "snmpset", "1.3.6.1.2.1.1.5.0", "s", "renamed")
    assert _snmp(secrets, port, "snmpget", "1.3.6.1.2.1.1.5.0") == [
        f'.1.3.6.1.2.1.1.5.0 = STRING: "{DEVICE}"'
    ]


def test_a_varbind_costs_the_agent_little(running: tuple[int, dict[str, str], list[int]]) -> None:
    port, secrets, pids = running
    _snmp(secrets, port, "snmpbulkwalk", "-Cr50", "1.3.6.1.2.1.2.2.1")  # table loaded, USM known
    before, varbinds = _cpu_s(pids), 0
    for _ in range(20):
        varbinds += len(_snmp(secrets, port, "snmpbulkwalk", "-Cr50", "1.3.6.1.2.1.2.2.1"))
    per_varbind_us = (_cpu_s(pids) - before) / varbinds * 1e6
    assert varbinds >= 20 * 28 * 9
    # snmpsim's dbm-indexed data files cost ~240 us a varbind here; the tables ~35
    assert per_varbind_us < 120, per_varbind_us
