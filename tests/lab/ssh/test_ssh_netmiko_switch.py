"""netmiko `cisco_ios` end to end against switches started with ``lab.ssh.start``."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fake_switches", reason="fake-switches is not installed")
pytest.importorskip("netmiko", reason="netmiko is not installed")

from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
)
from ssh_helpers import LOGIN_ENV, connect, refused, wait_for
from support.ports import free_port_on

from lab import ssh

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DATA = Path(__file__).parents[2] / "core" / "data"
SWITCH, ROUTER = "79760012-sw1", "pgd-q1-rt1"  # a WS-C2960X-24TS-L and an ISR4321
USER, PASSWORD, ENABLE = (
    LOGIN_ENV[f"EDUNET_SSH_NETOPS_{k}"] for k in ("USER", "PASSWORD", "ENABLE")
)


@pytest.fixture(scope="module")
def switches(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ssh.RunningSwitches, Path]]:
    tmp = tmp_path_factory.mktemp("ssh")
    faults = tmp / "faults.json"
    faults.write_text('{"devices": {}}\n')
    port = free_port_on(["127.33.3.9", "127.33.0.1"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUNET_SSH_")}
    running = ssh.start(
        DATA / "small.yaml",
        devices=[SWITCH, ROUTER],
        port=port,
        faults=faults,
        env=env | LOGIN_ENV,
        duration=300,
        log=tmp / "switches.log",
    )
    try:
        yield running, faults
    finally:
        assert running.stop() == 0
        assert not running.ready_file.exists()  # a clean stop removes it
        assert PASSWORD not in (tmp / "switches.log").read_text()


def test_addresses_follow_the_inventory(switches: tuple[ssh.RunningSwitches, Path]) -> None:
    running, _ = switches
    assert running.address(SWITCH)[0] == "127.33.3.9"
    assert running.address(ROUTER)[0] == "127.33.0.1"
    assert running.stats["count"] == 2


def test_login_enable_configure_save(switches: tuple[ssh.RunningSwitches, Path]) -> None:
    running, _ = switches
    conn = connect(*running.address(SWITCH), USER, PASSWORD, ENABLE)
    try:
        assert conn.find_prompt() == f"{SWITCH}>"
        conn.enable()
        assert conn.find_prompt() == f"{SWITCH}#"
        conn.send_config_set(
            ["vlan 30", "name staff", "interface Gi1/0/2", "switchport access vlan 30"],
            error_pattern=r"% Invalid",
        )
        assert "[OK]" in conn.save_config()
        startup = conn.send_command("show startup-config")
        assert "vlan 30\n name staff" in startup
        assert "interface GigabitEthernet1/0/2\n switchport access vlan 30" in startup
        section = conn.send_command(
            "show running-config | section ^interface GigabitEthernet1/0/2$"
        )
        assert section.split() == [
            "interface",
            "GigabitEthernet1/0/2",
            "switchport",
            "access",
            "vlan",
            "30",
        ]
        with pytest.raises(ConfigInvalidException, match="Invalid input"):
            conn.send_config_set(["vlan 31", "frobnicate the switch"], error_pattern=r"% Invalid")
        conn.exit_config_mode()
        assert "% Invalid input" in conn.send_command("show frobnication")
    finally:
        conn.disconnect()


def test_router_has_its_models_ports(switches: tuple[ssh.RunningSwitches, Path]) -> None:
    running, _ = switches
    conn = connect(*running.address(ROUTER), USER, PASSWORD, ENABLE)
    try:
        conn.enable()
        brief = conn.send_command("show ip interface brief")
        assert "GigabitEthernet0/0/0" in brief and "GigabitEthernet0/0/1" in brief
    finally:
        conn.disconnect()


def test_wrong_password_is_refused(switches: tuple[ssh.RunningSwitches, Path]) -> None:
    running, _ = switches
    with pytest.raises(NetmikoAuthenticationException):
        connect(*running.address(ROUTER), USER, "not-the-password", ENABLE)


def _closed_by_peer(s: socket.socket, timeout: float = 5.0) -> bool:
    """Read (the server's key exchange) until EOF; False if none comes within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if s.recv(4096) == b"":
                return True
        except ConnectionResetError:
            return True
    return False


def test_ssh_down_drops_sessions_and_refuses(switches: tuple[ssh.RunningSwitches, Path]) -> None:
    running, faults = switches
    host, port = running.address(ROUTER)
    with socket.create_connection((host, port), timeout=5) as s:
        s.settimeout(5)
        assert s.recv(64).startswith(b"SSH-2.0-")
        faults.write_text(json.dumps({"devices": {ROUTER: {"ssh_down": 1.0}}}))
        assert _closed_by_peer(s)  # dropped by the switch within a poll or two
    assert wait_for(lambda: refused(host, port))
    assert not refused(*running.address(SWITCH))  # only that device
    faults.write_text('{"devices": {}}\n')
    assert wait_for(lambda: not refused(host, port))


def test_anonymous_switches_with_default_login(tmp_path: Path) -> None:
    port = free_port_on(["127.0.0.1"])
    with ssh.start(count=2, port=port, duration=120, log=tmp_path / "log") as running:
        assert [s.port for s in running.switches] == [port, port + 1]
        conn = connect("127.0.0.1", port + 1, "admin", "admin", "wrong-secret")
        try:
            with pytest.raises(ValueError):
                conn.enable()
            conn.secret = "cisco"
            conn.enable()
            assert conn.find_prompt() == "sw002#"
        finally:
            conn.disconnect()
    assert not running.alive()
