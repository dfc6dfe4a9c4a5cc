"""A fake IOS-like device for the pure tests: it keeps its configuration as blocks and
applies lines the way IOS does (a top-level line leaves a sub-mode by itself)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from playbooks.configs.text import blocks, config_lines
from playbooks.devices.session import ConfigRejected, Session, Target, Unreachable

TOP = ("interface ", "vlan ", "snmp-server ", "hostname ", "ip route ", "ntp ", "logging ")

BASE = """Building configuration...

Current configuration : 321 bytes
!
version 15.2
!
hostname {name}
!
vlan 10
 name management
!
interface GigabitEthernet1/0/1
 description USERS lab
 switchport access vlan 10
!
interface GigabitEthernet1/0/2
!
snmp-server location Q1
!
end
"""


class FakeDevice:
    def __init__(self, name: str, *, down: bool = False, delay: float = 0.0) -> None:
        self.name = name
        lines = config_lines("cisco_ios", BASE.format(name=name))
        self.blocks = {top: [s.strip() for s in subs] for top, subs in blocks(lines).items()}
        self.down = down
        self.delay = delay
        self.saved: str | None = None
        self.sent: list[list[str]] = []
        self.reads = 0
        self.closed = 0
        self.opened = 0

    def render(self) -> str:
        out = ["Building configuration...", "", f"Current configuration : {time.time_ns()} bytes"]
        out += ["!", "version 15.2", "!"]
        for parent, children in self.blocks.items():
            out.append(parent)
            out += [" " + c for c in children]
            out.append("!")
        return "\n".join([*out, "end", ""])

    def apply(self, lines: Sequence[str]) -> None:
        self.sent.append(list(lines))
        parent: str | None = None
        for raw in lines:
            line = raw.strip()
            if line.startswith("frobnicate"):
                raise ConfigRejected(f"rejected: {line}")
            bare = line[3:] if line.startswith("no ") else line
            if line == "exit":
                parent = None
            elif parent is None or bare.startswith(TOP):
                if line.startswith("no "):
                    self.blocks.pop(bare, None)
                    parent = None
                else:
                    self.blocks.setdefault(line, [])
                    parent = line if line.startswith(("interface ", "vlan ")) else None
            elif line.startswith("no "):
                if bare in self.blocks[parent]:
                    self.blocks[parent].remove(bare)
            elif line not in self.blocks[parent]:
                self.blocks[parent].append(line)


class FakeSession:
    def __init__(self, device: FakeDevice) -> None:
        self.device = device

    def running_config(self) -> str:
        self.device.reads += 1
        return self.device.render()

    def send_config(self, lines: Sequence[str]) -> str:
        self.device.apply(lines)
        return ""

    def save(self) -> str:
        self.device.saved = self.device.render()
        return "[OK]"

    def close(self) -> None:
        self.device.closed += 1


class FakeFleet:
    """Devices by name, and a connector over them that counts sessions at once."""

    def __init__(self, devices: Sequence[FakeDevice]) -> None:
        self.devices = {d.name: d for d in devices}
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0

    def targets(self) -> list[Target]:
        return [
            Target(n, f"S{n[-1]}", "760", "cisco_ios", "cisco_ios", "127.0.0.1", 22)
            for n in self.devices
        ]

    def __call__(self, target: Target) -> Session:
        dev = self.devices[target.device]
        if dev.down:
            raise Unreachable("TCP connection to device failed.")
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(dev.delay)
        finally:
            with self.lock:
                self.active -= 1
        dev.opened += 1
        return FakeSession(dev)


@pytest.fixture
def fleet() -> FakeFleet:
    return FakeFleet([FakeDevice(f"q1-sw{i}") for i in range(1, 6)])


@pytest.fixture(scope="session")
def small_inventory() -> Path:
    return Path(__file__).parent.parent / "core" / "data" / "small.yaml"
