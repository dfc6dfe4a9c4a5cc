"""``edunet exporters run`` and ``edunet reconcile``: bad input, and the processes started,
scraped and stopped with SIGTERM within the bound."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.ports import free_tcp_port
from typer.testing import CliRunner

from edunet.cli.main import app

SMALL = "tests/core/data/small.yaml"
runner = CliRunner()


def test_help_lists_the_commands() -> None:
    done = runner.invoke(app, ["exporters", "--help"])
    assert done.exit_code == 0 and "run" in done.output
    done = runner.invoke(app, ["exporters", "run", "--help"])
    assert "--listen-snmp" in done.output and "--address-map" in done.output
    done = runner.invoke(app, ["reconcile", "--help"])
    assert done.exit_code == 0 and "--concurrency" in done.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--device", "no-such-device"], "no device 'no-such-device'"),
        (["--site", "NOPE"], "no site 'NOPE'"),
        (["--district", "Quận 99"], "no district"),
        (["--address-map", "10.0.0.0/8"], "write FROM_PREFIX=TO_PREFIX"),
        (["--secrets-file", "/nonexistent/secrets.yaml"], "not found"),
    ],
)
def test_reconcile_bad_input_exits_2(args: list[str], message: str) -> None:
    done = runner.invoke(app, ["reconcile", "-i", SMALL, *args])
    assert done.exit_code == 2, done.output
    assert message in done.output


def test_run_bad_listen_exits_2() -> None:
    done = runner.invoke(app, ["exporters", "run", "snmp", "-i", SMALL, "--listen-snmp", "9116"])
    assert done.exit_code == 2 and "write HOST:PORT" in done.output


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.status, resp.read().decode()


def wait_for(url: str, proc: subprocess.Popen[str], bound_s: float = 20) -> str:
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"exited early with {proc.returncode}")
        try:
            return get(url)[1]
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {bound_s} s")


def start(which: str, snmp: int, probe: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUNET_")}
    env |= {"EDUNET_ADDRESS_MAP": "10.0.0.0/8=127.0.0.0/8"}
    argv = [sys.executable, "-m", "edunet", "exporters", "run", which, "-i", SMALL]
    argv += ["--listen-snmp", f"127.0.0.1:{snmp}", "--listen-probe", f"127.0.0.1:{probe}"]
    argv += ["--shutdown-timeout", "2"]
    return subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def stop(proc: subprocess.Popen[str], bound_s: float) -> tuple[int, float, str, str]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        out, err = proc.communicate(timeout=bound_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=5)
        pytest.fail(f"still running {bound_s} s after SIGTERM: {err[-800:]}")
    return proc.returncode, time.monotonic() - started, out, err


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.integration
def test_run_snmp_serves_and_stops_on_sigterm() -> None:
    snmp = free_tcp_port()
    proc = start("snmp", snmp, free_tcp_port())
    try:
        wait_for(f"http://127.0.0.1:{snmp}/-/healthy", proc)
        # no credentials in this environment: a clear reason, not a crash
        status, text = get(f"http://127.0.0.1:{snmp}/snmp?target=79760012-rt1")
        assert status == 200 and 'reason="credentials"} 1.0' in text
        assert "process_cpu_seconds_total" in get(f"http://127.0.0.1:{snmp}/metrics")[1]
    finally:
        code, took, out, err = stop(proc, 5)
    assert code == 0 and took < 4, err
    assert f"http://127.0.0.1:{snmp}/snmp?target=DEVICE&module=if_mib" in out
    assert '"msg":"poll failed"' in err and '"reason":"credentials"' in err
    assert "EDUNET_SNMP_V3_DEFAULT_USER" in err  # the variable to set is named


@pytest.mark.integration
@pytest.mark.slow
def test_run_all_starts_two_processes_and_stops_both() -> None:
    snmp, probe = free_tcp_port(), free_tcp_port()
    proc = start("all", snmp, probe)
    try:
        wait_for(f"http://127.0.0.1:{snmp}/metrics", proc)
        assert "process_cpu_seconds_total" in wait_for(f"http://127.0.0.1:{probe}/metrics", proc)
        kids = children(proc.pid)
        assert len(kids) == 2
    finally:
        code, took, out, err = stop(proc, 8)
    assert code == 0 and took < 6, err
    assert f"http://127.0.0.1:{probe}/metrics" in out
    assert all(not Path(f"/proc/{k}").exists() for k in kids)
