"""The SSH devices' part of ``edunet lab up``: one switch process beside the SNMP agents.

Every Cisco IOS / IOS XE device of the inventory gets a simulated switch at its lab address
on ``EDUNET_LAB_SSH_PORT`` (10022 by default: 22 may be taken by a real sshd). The logins
come from the lab's secrets file; the faults from its faults file, watched by the process.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path
from typing import Any

from edunet.model import Inventory
from lab import agents
from lab.ssh import launcher
from lab.ssh.specs import lab_devices
from lab.state import faults_path, secrets_path

SSH_PORT_ENV = "EDUNET_LAB_SSH_PORT"
DEFAULT_SSH_PORT = 10022
PROCESS_NAME = "ssh-switches"


def ssh_port(port: int | None = None) -> int:
    """The given port, else $EDUNET_LAB_SSH_PORT, else 10022."""
    return port if port is not None else int(os.environ.get(SSH_PORT_ENV) or DEFAULT_SSH_PORT)


def ready_path(state_dir: Path) -> Path:
    return state_dir / "ssh-ready.json"


def log_path(state_dir: Path) -> Path:
    return state_dir / "logs" / f"{PROCESS_NAME}.log"


def unavailable() -> str | None:
    """Why the switches cannot run here (a missing package), or None."""
    for module in ("fake_switches", "twisted.conch"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"SSH devices ({module} is not installed)"
    return None


def start(
    inventory: Path,
    inv: Inventory,
    state: dict[str, Any],
    processes: list[dict[str, Any]],
    started: dict[str, subprocess.Popen[bytes]],
) -> tuple[int, list[str]]:
    """Start the switch process for the lab whose ``state`` is being built (its secrets file
    and SSH port); returns (switches, skipped reasons)."""
    state_dir = Path(state["secrets_file"]).parent
    port = int(state["ssh_port"])
    count = len(lab_devices(inv))
    if count == 0:
        return 0, []
    reason = unavailable()
    if reason:
        return 0, [reason]
    ready = ready_path(state_dir)
    ready.unlink(missing_ok=True)
    argv = launcher.command(
        inventory, port=port, ready=ready, faults=faults_path(state_dir), duration=None
    )
    env = dict(os.environ)
    env["EDUNET_SECRETS_FILE"] = str(secrets_path(state_dir))  # the logins, never in argv
    proc = agents.start(argv, log_path(state_dir), env)
    started[PROCESS_NAME] = proc
    processes.append({"name": PROCESS_NAME, "pid": proc.pid, "argv": argv, "endpoints": count})
    return count, []


def wait_ready(state_dir: Path, started: dict[str, subprocess.Popen[bytes]]) -> None:
    """Until every switch listens; a LabError says why not."""
    from lab.errors import LabError

    proc = started.get(PROCESS_NAME)
    if proc is None:
        return
    try:
        launcher.wait_ready(proc, ready_path(state_dir), log_path(state_dir))
    except launcher.SwitchesError as e:
        raise LabError(f"{e} (log: {log_path(state_dir)})") from None


def check_device(inv: Inventory, device: str) -> str | None:
    """Why ``device`` has no simulated switch, or None when it has one."""
    d = inv.devices[device]
    if any(x.name == device for x in lab_devices(inv)):
        return None
    return f"{device} is not a simulated SSH device (platform {d.platform.name})"
