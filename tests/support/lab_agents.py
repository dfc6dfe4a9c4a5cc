"""The lab's own SNMP agents and nothing else of the lab: one responder process on a free
port, every device of an inventory at its management address on loopback (127.a.b.c), for
the discovery tests and benchmark."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from edunet.load import load
from edunet.model import Inventory
from edunet.secrets import SecretStore
from lab import agents, lifecycle
from lab.credentials import ensure_secrets
from support.ports import free_port_on


@dataclass(frozen=True)
class Agents:
    inventory: Path
    inv: Inventory
    port: int
    secrets: dict[str, str]

    def store(self) -> SecretStore:
        return SecretStore(env=self.secrets)


def start_agents(inventory: Path, work: Path) -> tuple[Agents, list[int]]:
    inv = load(inventory)
    secrets = ensure_secrets(work, inv, env={})
    layout = lifecycle.assign_shards(inv, 1)
    port = free_port_on(e.address for e in layout[0])
    layout, _ = lifecycle.write_data(inv, work / "data", 1, port)
    faults = work / "faults.json"
    faults.write_text('{"devices": {}, "applications": {}}\n', encoding="utf-8")
    [eps] = layout
    agents.write_shard_config(
        work / "data", 0, eps, port, list(inv.snmp_profiles.values()), secrets
    )
    argv = agents.shard_argv(work / "data", 0, faults, lifecycle.VARIATION_DIR)
    proc = agents.start(argv, work / "snmpsim.log")
    first = eps[0]
    profile = inv.devices[first.device].snmp
    assert profile is not None
    deadline = time.monotonic() + 60
    while agents.probe(first.address, port, profile, secrets) != first.device:
        assert proc.poll() is None, (work / "snmpsim.log").read_text()
        assert time.monotonic() < deadline, "the agents did not answer"
        time.sleep(0.3)
    return Agents(inventory, inv, port, secrets), [proc.pid]


def stop_agents(pids: list[int]) -> None:
    for pid in pids:
        agents.stop(pid)
