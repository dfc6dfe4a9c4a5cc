"""The lab and both exporters as subprocesses, for the live monitoring tests and the monitoring
benchmark: ``with lab_and_exporters(tmp, inventory) as lab: …``."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from support import processes
from support.ports import free_tcp_port, free_udp_port
from support.processes import ROOT

__all__ = ["ROOT", "LabRun", "edunet", "free_tcp_port", "lab_and_exporters", "lab_env"]


def edunet(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    """Run an ``edunet`` command; its output, or an error with its stderr's end."""
    done = processes.edunet(*args, env=env, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"edunet {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout + done.stderr


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
    try:
        env = lab_env(sd)
        snmp, probe = f"127.0.0.1:{free_tcp_port()}", f"127.0.0.1:{free_tcp_port()}"
        argv = [*processes.EDUNET, "exporters", "run", "all", "-i", str(inventory)]
        argv += ["--listen-snmp", snmp, "--listen-probe", probe, "--log-format", "logfmt"]
        argv += ["--probe-packets", str(probe_packets)]
        with processes.running(argv, log=tmp / "exporters.log", env=env, stop_timeout=20) as proc:
            yield LabRun(inventory, sd, env, snmp, probe, proc)
    finally:
        edunet("lab", "down", "--state-dir", str(sd))
