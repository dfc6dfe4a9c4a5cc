"""The lab for real: snmpsim agents for the small city, read with net-snmp's tools."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support.ports import free_port_on

from lab import agents, device_faults, faults, lifecycle, state

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DATA = Path(__file__).parent.parent / "core" / "data"
V3_DEVICE, V3_ADDR = "79760012-sw1", "127.33.3.9"
V2_DEVICE, V2_ADDR = "79785007-rt1", "127.54.1.193"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int, dict[str, str]]]:
    if shutil.which("snmpget") is None:
        pytest.skip("net-snmp's snmpget is not installed")
    tmp = tmp_path_factory.mktemp("lab")
    # the small city, with one school on a v2c profile
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    v3-default: {version: v3, auth: sha, priv: aes}\n",
        "    v3-default: {version: v3, auth: sha, priv: aes}\n    v2-legacy: {version: v2c}\n",
    ).replace("pupils: 1210}", "pupils: 1210, snmp: v2-legacy}")
    inventory = tmp / "city.yaml"
    inventory.write_text(text, encoding="utf-8")
    sd, port = tmp / "state", free_port_on((V3_ADDR, V2_ADDR), socket.SOCK_DGRAM)
    result = lifecycle.up(inventory, sd, shards=2, port=port)
    secrets = yaml.safe_load(state.secrets_path(sd).read_text())
    try:
        yield sd, port, secrets
    finally:
        lifecycle.down(sd)
        for p in result.state["processes"]:
            assert not agents.process_alive(p["pid"]), p


def v3(secrets: dict[str, str], port: int, addr: str, *args: str, cmd: str = "snmpget") -> str:
    p = "EDUNET_SNMP_V3_DEFAULT_"
    argv = [cmd, "-On", "-t", "1", "-r", "1", "-v3", "-l", "authPriv", "-u", secrets[p + "USER"],
            "-a", "SHA", "-A", secrets[p + "AUTH_KEY"], "-x", "AES", "-X", secrets[p + "PRIV_KEY"],
            "-n", secrets[p + "CONTEXT"], f"{addr}:{port}", *args]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout


def v2(secrets: dict[str, str], port: int, addr: str, *args: str, cmd: str = "snmpget") -> str:
    community = secrets["EDUNET_SNMP_V2_LEGACY_COMMUNITY"]
    argv = [cmd, "-On", "-t", "1", "-r", "1", "-v2c", "-c", community, f"{addr}:{port}", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout


def value(out: str) -> str:
    return out.split(" = ", 1)[1].split(": ", 1)[-1].strip().strip('"')


def test_v3_device_answers_with_its_data(running: tuple[Path, int, dict[str, str]]) -> None:
    _sd, port, secrets = running
    assert value(v3(secrets, port, V3_ADDR, "1.3.6.1.2.1.1.5.0")) == V3_DEVICE
    names = v3(secrets, port, V3_ADDR, "1.3.6.1.2.1.31.1.1.1.1", cmd="snmpbulkwalk")
    assert len(names.splitlines()) == 28
    lldp = v3(secrets, port, V3_ADDR, "1.0.8802.1.1.2.1.4.1.1.9", cmd="snmpwalk")
    assert '"79760012-rt1"' in lldp
    assert v2(secrets, port, V3_ADDR, "1.3.6.1.2.1.1.5.0") == ""  # v3 only: silence


def test_v2c_device_answers_only_v2c(running: tuple[Path, int, dict[str, str]]) -> None:
    _sd, port, secrets = running
    assert value(v2(secrets, port, V2_ADDR, "1.3.6.1.2.1.1.5.0")) == V2_DEVICE
    assert v3(secrets, port, V2_ADDR, "1.3.6.1.2.1.1.5.0") == ""


def test_counters_grow_and_uptime_runs(running: tuple[Path, int, dict[str, str]]) -> None:
    _sd, port, secrets = running
    oids = ("1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.31.1.1.1.6.25")
    first = v3(secrets, port, V3_ADDR, *oids).splitlines()
    time.sleep(1.2)
    second = v3(secrets, port, V3_ADDR, *oids).splitlines()
    up1, up2 = (int(value(x[0]).split(")")[0].strip("(")) for x in (first, second))
    assert 100 <= up2 - up1 <= 300
    assert int(value(second[1])) > int(value(first[1]))


def test_faults_show_in_the_agents(running: tuple[Path, int, dict[str, str]]) -> None:
    sd, port, secrets = running
    device_faults.reboot(sd, V3_DEVICE)
    device_faults.swap_serial(sd, V3_DEVICE, "SWAPPED42")
    device_faults.flap(sd, V3_DEVICE, "GigabitEthernet1/0/3")
    time.sleep(0.7)  # the agents look at faults.json at most every 0.5 s
    out = v3(secrets, port, V3_ADDR, "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.47.1.1.1.1.11.1")
    uptime, serial = out.splitlines()
    assert int(value(uptime).split(")")[0].strip("(")) < 500
    assert value(serial) == "SWAPPED42"
    seen = set()
    deadline = time.monotonic() + 25
    while len(seen) < 2 and time.monotonic() < deadline:
        seen.add(value(v3(secrets, port, V3_ADDR, "1.3.6.1.2.1.2.2.1.8.3")))
        time.sleep(1)
    assert seen == {"1", "2"}
    for row in device_faults.data_fault_rows(sd):
        faults.clear_fault(sd, row["key"])
    time.sleep(0.7)
    assert value(v3(secrets, port, V3_ADDR, "1.3.6.1.2.1.47.1.1.1.1.11.1")) == ""


def test_up_twice_says_already_up(running: tuple[Path, int, dict[str, str]]) -> None:
    sd, port, _ = running
    st = state.read_state(sd)
    assert st is not None
    again = lifecycle.up(Path(st["inventory"]), sd, shards=2, port=port)
    assert again.already
    status = lifecycle.status(sd)
    assert status["up"] and status["endpoints"] == 21
    assert {p["name"] for p in status["processes"]} >= {"snmpsim-0", "snmpsim-1"}
