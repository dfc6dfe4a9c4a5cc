"""The lab and both exporters as subprocesses, for the monitoring benchmark and the live
monitoring tests: ``with lab_and_exporters(tmp, inventory) as lab: …``."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def edunet(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    """Run an ``edunet`` command; its output, or an error with its stderr's end."""
    done = subprocess.run(
        [sys.executable, "-m", "edunet", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"edunet {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout + done.stderr


def free_udp_port() -> int:
    """A free high UDP port for the lab's agents (not a privileged one)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port: int = s.getsockname()[1]
        if port > 10000:
            return port
    raise RuntimeError("no free UDP port")


def free_tcp_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class LabRun:
    inventory: Path
    state_dir: Path
    env: dict[str, str]
    snmp_exporter: str  # host:port
    prober: str  # host:port
    exporters: subprocess.Popen[bytes]

    def fault(self, *args: str) -> str:
        return edunet(
            "lab", "fault", *args, "-i", str(self.inventory), "--state-dir", str(self.state_dir)
        )


def lab_env(state_dir: Path) -> dict[str, str]:
    """The environment ``eval "$(edunet lab env)"`` would give."""
    env = dict(os.environ)
    for line in edunet("lab", "env", "--state-dir", str(state_dir)).splitlines():
        m = re.match(r"export (\w+)=(.*)$", line.strip())
        if m:
            env[m.group(1)] = m.group(2)
    return env


@contextmanager
def lab_and_exporters(
    tmp: Path, inventory: Path, probe_packets: int = 1, shards: int | None = None
) -> Iterator[LabRun]:
    """The lab of ``inventory`` and both exporters reading it; all stopped on exit."""
    sd = tmp / "lab"
    up = ["lab", "up", "-i", str(inventory), "--state-dir", str(sd), "--port", str(free_udp_port())]
    edunet(*up, *(["--shards", str(shards)] if shards else []))
    proc: subprocess.Popen[bytes] | None = None
    try:
        env = lab_env(sd)
        snmp, probe = f"127.0.0.1:{free_tcp_port()}", f"127.0.0.1:{free_tcp_port()}"
        argv = [sys.executable, "-m", "edunet", "exporters", "run", "all", "-i", str(inventory)]
        argv += ["--listen-snmp", snmp, "--listen-probe", probe, "--log-format", "logfmt"]
        argv += ["--probe-packets", str(probe_packets)]
        with open(tmp / "exporters.log", "ab") as log:
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        yield LabRun(inventory, sd, env, snmp, probe, proc)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        edunet("lab", "down", "--state-dir", str(sd))
