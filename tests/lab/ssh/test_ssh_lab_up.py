"""`edunet lab up` with SSH devices: the small city's Cisco switches, their logins, faults."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fake_switches", reason="fake-switches is not installed")
pytest.importorskip("netmiko", reason="netmiko is not installed")

from netmiko.exceptions import ConfigInvalidException
from ssh_helpers import connect, refused, wait_for
from support.ports import free_port_on
from typer.testing import CliRunner

from edunet.model import Inventory
from edunet.reach import LAB_MAP
from edunet.secrets import SecretStore, SshCredentials
from lab import agents, lifecycle, state
from lab.cli import app
from lab.ssh.specs import lab_devices

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DATA = Path(__file__).parents[2] / "core" / "data"
SWITCH, OTHER, MIKROTIK = "79760012-sw1", "pgd-q1-sw1", "79760012-rt1"


@pytest.fixture(scope="module")
def running(small: Inventory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    sd = tmp_path_factory.mktemp("lab") / "state"
    addresses = [str(LAB_MAP(d.mgmt_ip)) for d in lab_devices(small)]
    snmp_port = free_port_on(["127.0.0.1"])
    while any(
        agents.address_in_use(str(LAB_MAP(d.mgmt_ip)), snmp_port) for d in small.devices.values()
    ):
        snmp_port = free_port_on(["127.0.0.1"])
    result = lifecycle.up(
        DATA / "small.yaml", sd, shards=1, port=snmp_port, ssh_port=free_port_on(addresses)
    )
    try:
        yield sd
    finally:
        lifecycle.down(sd)
        for p in result.state["processes"]:
            assert not agents.process_alive(p["pid"]), p


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _where(sd: Path, inv: Inventory, device: str) -> tuple[str, int]:
    st = state.read_state(sd)
    assert st is not None
    return str(LAB_MAP(inv.devices[device].mgmt_ip)), int(st["ssh_port"])


def _login(sd: Path, inv: Inventory) -> SshCredentials:
    profile = inv.devices[SWITCH].ssh
    assert profile is not None
    return SecretStore(env={}, file=state.secrets_path(sd)).ssh(profile)


def _session(sd: Path, inv: Inventory, device: str) -> Any:
    creds = _login(sd, inv)
    assert creds.password is not None and creds.enable is not None
    return connect(
        *_where(sd, inv, device), creds.user, creds.password.reveal(), creds.enable.reveal()
    )


def test_status_env_and_secrets(running: Path, small: Inventory) -> None:
    st = lifecycle.status(running)
    ssh = [p for p in st["processes"] if p["name"] == "ssh-switches"]
    assert ssh and ssh[0]["alive"] and ssh[0]["endpoints"] == len(lab_devices(small))
    assert st["ssh_devices"] == len(lab_devices(small))
    code, out = _cli("env", "--state-dir", str(running))
    assert code == 0 and f"export EDUNET_SSH_PORT={st['ssh_port']}" in out
    secrets = state.secrets_path(running)
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    code, out = _cli("status", "--state-dir", str(running))
    assert code == 0 and "ssh-switches" in out
    password = _login(running, small).password
    assert password is not None and password.reveal() not in out


def test_switch_answers_as_its_device(running: Path, small: Inventory) -> None:
    conn = _session(running, small, SWITCH)
    try:
        conn.enable()
        assert conn.find_prompt() == f"{SWITCH}#"
        run = conn.send_command("show running-config")
        assert "interface GigabitEthernet1/0/28" in run  # the model's real last port
    finally:
        conn.disconnect()


def test_ssh_down_fault(running: Path, small: Inventory) -> None:
    sd = str(running)
    host, port = _where(running, small, SWITCH)
    code, out = _cli("fault", "ssh-down", SWITCH, "--state-dir", sd)
    assert code == 0, out
    assert wait_for(lambda: refused(host, port))
    assert not refused(*_where(running, small, OTHER))
    code, out = _cli("fault", "list", "--state-dir", sd)
    assert f"ssh-down:{SWITCH}" in out
    code, out = _cli("fault", "clear", f"ssh-down:{SWITCH}", "--state-dir", sd)
    assert code == 0, out
    assert wait_for(lambda: not refused(host, port))
    code, out = _cli("fault", "ssh-down", MIKROTIK, "--state-dir", sd)
    assert code == 1 and "not a simulated SSH device" in out


def test_config_reject_fault(running: Path, small: Inventory) -> None:
    sd = str(running)
    code, out = _cli("fault", "config-reject", OTHER, "--state-dir", sd)
    assert code == 0, out
    # the switch re-reads the faults file every 0.5 s
    conn = _session(running, small, OTHER)
    try:
        conn.enable()
        assert wait_for(lambda: "% Invalid" in conn.send_config_set(["vlan 77"]))
        with pytest.raises(ConfigInvalidException):
            conn.send_config_set(["vlan 77", "name x"], error_pattern=r"% Invalid")
        conn.exit_config_mode()
        code, out = _cli("fault", "clear", f"config-reject:{OTHER}", "--state-dir", sd)
        assert code == 0, out
        assert wait_for(lambda: "% Invalid" not in conn.send_config_set(["vlan 77", "name x"]))
        assert "vlan 77" in conn.send_command("show running-config | section ^vlan")
    finally:
        conn.disconnect()
