"""The whole intended configuration, pushed with netmiko, shows back with no drift.

Every Cisco IOS device of the small city and a few of the sample city (one per model that
the small city lacks: C1111, C9200L, C9300, C9500, ASR1001-X) gets its rendered config
(real secret values) with ``send_config_set``; ``config_diff`` against ``show
running-config`` must be empty, a second push must change nothing, and a line changed
behind our back must be exactly the drift reported.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fake_switches", reason="fake-switches is not installed")
pytest.importorskip("netmiko", reason="netmiko is not installed")

from ssh_helpers import LOGIN_ENV, connect
from support.ports import free_port_on

import edunet
from edunet.model import Device, Inventory
from lab import ssh
from lab.ssh.specs import inventory_specs, lab_devices
from playbooks.configs import config_diff, render_device

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).parents[3]
SMALL = ROOT / "tests" / "core" / "data" / "small.yaml"
SAMPLE = ROOT / "inventory.yaml"
SAMPLE_DEVICES = ("79760002-rt1", "79760007-sw1", "so-gddt-cs1", "ttdl-cs1", "ttdl-rt1")
USER, PASSWORD, ENABLE = (
    LOGIN_ENV[f"EDUNET_SSH_NETOPS_{k}"] for k in ("USER", "PASSWORD", "ENABLE")
)
SECRETS = {
    "ssh_user": USER,
    "ssh_password": PASSWORD,
    "enable": ENABLE,
    "snmp_user": "lab-snmp-user",
    "snmp_auth": "lab-auth-key-1",
    "snmp_priv": "lab-priv-key-1",
    "snmp_community": "lab-community-1",
}
WORKERS = 6


@dataclass
class Target:
    inv: Inventory
    device: Device
    host: str
    port: int

    @property
    def platform(self) -> str:
        return self.device.platform.name

    def session(self) -> Any:
        conn = connect(self.host, self.port, USER, PASSWORD, ENABLE)
        conn.enable()
        return conn


def config_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip() and ln.strip() != "!" and ln != "end"]


def running(conn: Any) -> str:
    text: str = conn.send_command("show running-config")
    return text


def without_size(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith("Current configuration"))


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Target]]:
    tmp = tmp_path_factory.mktemp("roundtrip")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUNET_SSH_")} | LOGIN_ENV
    small, sample = edunet.load(SMALL), edunet.load(str(SAMPLE))
    groups = [(SMALL, small, [d.name for d in lab_devices(small)])]
    groups.append((SAMPLE, sample, list(SAMPLE_DEVICES)))
    started: list[ssh.RunningSwitches] = []
    out: list[Target] = []
    try:
        for i, (path, inv, names) in enumerate(groups):
            hosts = [str(s.host) for s in inventory_specs(inv, 0, names)]
            running_ = ssh.start(
                path,
                devices=names,
                port=free_port_on(hosts),
                env=env,
                duration=300,
                log=tmp / f"switches-{i}.log",
            )
            started.append(running_)
            for name in names:
                out.append(Target(inv, inv.devices[name], *running_.address(name)))
        yield out
    finally:
        for running_ in started:
            assert running_.stop() == 0
        for log in tmp.glob("switches-*.log"):
            text = log.read_text()
            assert not any(v in text for k, v in SECRETS.items() if not k.endswith("_user"))


def push(target: Target) -> tuple[str, str, str, float]:
    """Push the intended config twice; (push output, running after 1st, after 2nd, seconds)."""
    lines = config_lines(render_device(target.inv, target.device, SECRETS))
    t0 = time.perf_counter()
    conn = target.session()
    try:
        output: str = conn.send_config_set(lines, read_timeout=60)
        first = running(conn)
        seconds = time.perf_counter() - t0
        output += conn.send_config_set(lines, read_timeout=60)
        second = running(conn)
    finally:
        conn.disconnect()
    return output, first, second, seconds


def test_intended_config_round_trips(targets: list[Target]) -> None:
    assert len(targets) == 10 + len(SAMPLE_DEVICES)
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(push, targets))
    times = []
    for target, (output, first, second, seconds) in zip(targets, results, strict=True):
        name = target.device.name
        assert "% Invalid" not in output, f"{name}: a line was refused"
        diff = config_diff(target.platform, render_device(target.inv, target.device), first)
        assert diff.drifted is False, f"{name}: {diff.lines}"
        assert without_size(second) == without_size(first), f"{name}: a second push changed it"
        # user names are no secrets: `snmp-server host … priv USER` shows one, as on IOS
        assert not any(v in first for k, v in SECRETS.items() if not k.endswith("_user"))
        assert "snmp-server user" not in first and "snmp-server community" not in first
        times.append(seconds)
    print(f"push+show per device: {min(times):.1f}-{max(times):.1f} s, {len(times)} devices")


def change_behind_our_back(target: Target, lines: list[str]) -> str:
    conn = target.session()
    try:
        out: str = conn.send_config_set(lines)
        assert "% Invalid" not in out
        return running(conn)
    finally:
        conn.disconnect()


def test_a_changed_line_is_the_drift(targets: list[Target]) -> None:
    switch = next(t for t in targets if t.device.name == "79760012-sw1")
    intended = render_device(switch.inv, switch.device)
    location = next(ln for ln in intended.splitlines() if ln.startswith("snmp-server location"))
    port = "GigabitEthernet1/0/3"
    now = change_behind_our_back(
        switch, ["snmp-server location somewhere else", f"interface {port}", "description moved"]
    )
    diff = config_diff(switch.platform, intended, now)
    assert sorted(diff.lines) == sorted(
        [
            "-" + location,
            "+snmp-server location somewhere else",
            f" interface {port}",
            "- description USERS staff",
            "+ description moved",
        ]
    )


def test_a_router_line_changed_is_the_drift(targets: list[Target]) -> None:
    router = next(t for t in targets if t.device.model.model == "ASR1001-X")
    intended = render_device(router.inv, router.device)
    route = next(ln for ln in intended.splitlines() if ln.startswith("ip route "))
    now = change_behind_our_back(router, ["no " + route, "line vty 5 15", "exec-timeout 5 0"])
    diff = config_diff(router.platform, intended, now)
    assert diff.lines == (
        "-" + route,
        " line vty 5 15",
        "- exec-timeout 10 0",
        "+ exec-timeout 5 0",
    )
