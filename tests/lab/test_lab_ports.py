"""Without root the lab moves its ports up, and ``edunet lab env`` carries them to the
exporters: the same city, read through the moved ports."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.ports import free_tcp_port
from support.processes import spawn, stop

from lab import lifecycle

ROOT = Path(__file__).parent.parent.parent
SMALL = ROOT / "tests" / "core" / "data" / "small.yaml"


def test_real_ports_when_they_can_be_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifecycle, "privileged_ports", lambda: True)
    assert lifecycle.default_ports() == (161, 0)


def test_moved_ports_without_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifecycle, "privileged_ports", lambda: False)
    assert lifecycle.default_ports() == (1161, 10000)


def test_root_may_bind_privileged_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert lifecycle.privileged_ports()


def _edunet(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "edunet", *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return str(r.read().decode())


@pytest.mark.integration
@pytest.mark.slow
def test_moved_ports_reach_the_exporters(tmp_path: Path) -> None:
    env = {**os.environ, "EDUNET_LAB_DIR": str(tmp_path / "lab")}
    snmp_port = 20000 + os.getpid() % 20000
    up = _edunet("lab", "up", "-i", str(SMALL), "--port", str(snmp_port),
                 "--app-port-offset", "10000", env=env)  # fmt: skip
    assert up.returncode == 0, up.stderr
    exporters = None
    try:
        lines = _edunet("lab", "env", env=env).stdout.splitlines()
        for line in lines:
            key, _, value = line.removeprefix("export ").partition("=")
            env[key] = shlex.split(value)[0]
        assert env["EDUNET_SNMP_PORT"] == str(snmp_port)
        assert env["EDUNET_APP_PORT_OFFSET"] == "10000"
        snmp, probe = free_tcp_port(), free_tcp_port()
        argv = [sys.executable, "-m", "edunet", "exporters", "run", "all", "-i", str(SMALL)]
        argv += ["--listen-snmp", f"127.0.0.1:{snmp}", "--listen-probe", f"127.0.0.1:{probe}"]
        exporters = spawn(argv, env=env, new_session=True)
        deadline = time.monotonic() + 60
        while True:  # the first application round runs at start
            try:
                scrape = _get(f"http://127.0.0.1:{snmp}/snmp?target=79760012-sw1")
                checks = [
                    line for line in _get(f"http://127.0.0.1:{probe}/metrics").splitlines()
                    if line.startswith("edunet_app_up{")
                ]  # fmt: skip
                if checks and all(c.endswith(" 1.0") for c in checks):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the applications never answered on moved ports"
            time.sleep(1)
        assert "edunet_snmp_up{" in scrape and "} 1.0" in scrape.split("edunet_snmp_up{")[1]
    finally:
        if exporters is not None:
            stop(exporters, 15, group=True)
        _edunet("lab", "down", env=env)
