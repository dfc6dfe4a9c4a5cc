"""Start simulated switches from Python (tests, benchmarks): a child process and its handle.

    with start(count=20, port=31000) as switches:
        host, port = switches.address("sw001")

The child is ``python -m lab.ssh``; its logins come from the environment it is given
(``EDUNET_SSH_<PROFILE>_USER``/``_PASSWORD``/``_ENABLE``, or the ``EDUNET_SECRETS_FILE``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from edunet.model import Device, Inventory

READY_TIMEOUT_S = 60.0
STOP_GRACE_S = 5.0


class SwitchesError(RuntimeError):
    """The switch process could not start; the message carries its error output."""


@dataclass(frozen=True, slots=True)
class SwitchAddress:
    device: str
    host: str
    port: int


@dataclass
class RunningSwitches:
    process: subprocess.Popen[bytes]
    switches: list[SwitchAddress]
    stats: dict[str, Any]
    ready_file: Path
    log_file: Path
    workdir: Path | None = None  # made by start() for its own files; removed by stop()
    _by_device: dict[str, SwitchAddress] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_device = {s.device: s for s in self.switches}

    @property
    def pid(self) -> int:
        return self.process.pid

    def address(self, device: str) -> tuple[str, int]:
        s = self._by_device[device]
        return s.host, s.port

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        """SIGTERM, SIGKILL after a grace period; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_GRACE_S)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
        return int(self.process.returncode)

    def __enter__(self) -> RunningSwitches:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def command(
    inventory: Path | None = None,
    devices: Iterable[str] = (),
    count: int | None = None,
    host: str = "127.0.0.1",
    port: int = 10022,
    layout: str = "ports",
    ready: Path | None = None,
    faults: Path | None = None,
    duration: float | None = None,
) -> list[str]:
    argv = [sys.executable, "-m", "lab.ssh"]
    if inventory is not None:
        argv.append(str(inventory))
        argv += [f"--device={name}" for name in devices]
    if count is not None:
        argv += [f"--count={count}", f"--host={host}", f"--layout={layout}"]
    argv.append(f"--port={port}")
    if ready is not None:
        argv.append(f"--ready={ready}")
    if faults is not None:
        argv.append(f"--faults={faults}")
    if duration is not None:
        argv.append(f"--duration={duration}")
    return argv


def _inventory_path(inventory: Path | str | Inventory) -> Path:
    if isinstance(inventory, Inventory):
        if len(inventory.sources) != 1:
            raise ValueError("pass the inventory's path: it was loaded from several sources")
        return Path(inventory.sources[0])
    return Path(inventory)


def read_ready(path: Path) -> tuple[list[SwitchAddress], dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [SwitchAddress(r["device"], r["host"], int(r["port"])) for r in data["switches"]]
    return rows, dict(data.get("stats") or {})


def wait_ready(
    proc: subprocess.Popen[bytes], ready: Path, log: Path, timeout: float = READY_TIMEOUT_S
) -> None:
    """Until the ready file exists; SwitchesError when the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:].strip()
            raise SwitchesError(f"the switch process exited ({proc.returncode}): {tail}")
        if time.monotonic() > deadline:
            raise SwitchesError(f"the switches were not ready within {timeout:.0f} s")
        time.sleep(0.05)


def start(
    inventory: Path | str | Inventory | None = None,
    devices: Iterable[str | Device] | None = None,
    count: int | None = None,
    host: str = "127.0.0.1",
    port: int = 10022,
    layout: str = "ports",
    ready: Path | None = None,
    faults: Path | None = None,
    env: Mapping[str, str] | None = None,
    duration: float | None = 3600.0,
    log: Path | None = None,
    timeout: float = READY_TIMEOUT_S,
) -> RunningSwitches:
    """Start the switches of an inventory (all its Cisco IOS devices, or ``devices``) or
    ``count`` anonymous ones, and wait until every one listens. ``duration`` bounds the
    child's life even if this process dies without stopping it."""
    if (inventory is None) == (count is None):
        raise ValueError("give an inventory or a count")
    work = Path(tempfile.mkdtemp(prefix="edunet-ssh-")) if ready is None or log is None else None
    ready = ready or Path(str(work)) / "ready.json"
    log = log or Path(str(work)) / "switches.log"
    ready.unlink(missing_ok=True)
    names = [d.name if isinstance(d, Device) else d for d in devices or ()]
    argv = command(
        _inventory_path(inventory) if inventory is not None else None,
        names,
        count,
        host,
        port,
        layout,
        ready,
        faults,
        duration,
    )
    environ = dict(os.environ if env is None else env)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=environ
        )
    try:
        wait_ready(proc, ready, log, timeout)
    except BaseException:
        if proc.poll() is None:
            proc.kill()
        proc.wait(STOP_GRACE_S)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        raise
    switches, stats = read_ready(ready)
    return RunningSwitches(proc, switches, stats, ready, log, work)
