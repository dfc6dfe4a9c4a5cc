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


def start_agents(inventory: Path, work: Path, shards: int = 1) -> tuple[Agents, list[int]]:
    """The inventory's SNMP agents in ``shards`` responder processes, answering; their pids."""
    inv = load(inventory)
    secrets = ensure_secrets(work, inv, env={})
    layout = lifecycle.assign_shards(inv, shards)
    port = free_port_on(e.address for eps in layout for e in eps)
    layout, _ = lifecycle.write_data(inv, work / "data", shards, port)
    faults = work / "faults.json"
    faults.write_text('{"devices": {}, "applications": {}}\n', encoding="utf-8")
    profiles = list(inv.snmp_profiles.values())
    started = []
    for k, eps in enumerate(layout):
        if not eps:
            continue
        agents.write_shard_config(work / "data", k, eps, port, profiles, secrets)
        argv = agents.shard_argv(work / "data", k, faults, lifecycle.VARIATION_DIR)
        started.append((agents.start(argv, work / f"snmpsim-{k}.log"), eps[0], k))
    try:
        deadline = time.monotonic() + 120
        for proc, first, k in started:
            profile = inv.devices[first.device].snmp
            assert profile is not None
            while agents.probe(first.address, port, profile, secrets) != first.device:
                log = work / f"snmpsim-{k}.log"
                assert proc.poll() is None, log.read_text(encoding="utf-8", errors="replace")
                assert time.monotonic() < deadline, "the agents did not answer"
                time.sleep(0.3)
    except BaseException:
        stop_agents([proc.pid for proc, _, _ in started])
        raise
    return Agents(inventory, inv, port, secrets), [proc.pid for proc, _, _ in started]


def stop_agents(pids: list[int]) -> None:
    for pid in pids:
        agents.stop(pid)


def without_district_office(inventory: Path, office: str, out: Path) -> tuple[str, ...]:
    """A copy of ``inventory`` at ``out`` without the district office ``office`` and the
    schools of its district (their devices and links go with them); the sites removed."""
    import yaml

    doc = yaml.safe_load(inventory.read_text(encoding="utf-8"))
    district = next(s["district"] for s in doc["sites"] if s["code"] == office)
    gone = tuple(
        s["code"]
        for s in doc["sites"]
        if s["code"] == office or (s["kind"] == "school" and s["district"] == district)
    )
    doc["sites"] = [s for s in doc["sites"] if s["code"] not in gone]
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return gone


@dataclass(frozen=True)
class Score:
    """Precision and recall of what discovery proposed against what was removed."""

    expected: int
    proposed: int
    right: int

    @property
    def precision(self) -> float:
        return self.right / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def score(
    full: Inventory,
    sites: tuple[str, ...],
    devices: list[tuple[str, str, str]],
    reachable: set[str] | None = None,
) -> dict[str, Score]:
    """``devices``: (name, model, serial) as proposed; scored for names, models and serials
    against the devices of ``sites`` in ``full`` that LLDP leads to (``reachable``, when
    given; a device without a hardware record reports no serial)."""
    removed = [
        d
        for d in full.devices.values()
        if d.site in sites and (reachable is None or d.name in reachable)
    ]
    want = {
        "devices": {d.name for d in removed},
        "models": {(d.name, d.model.model) for d in removed},
        "serials": {(d.name, d.hardware.serial if d.hardware else "") for d in removed},
    }
    got = {
        "devices": {n for n, _, _ in devices},
        "models": {(n, m) for n, m, _ in devices},
        "serials": {(n, s) for n, _, s in devices},
    }
    return {k: Score(len(want[k]), len(got[k]), len(want[k] & got[k])) for k in want}


def lldp_links(inv: Inventory, sites: tuple[str, ...] = ()) -> set[frozenset[tuple[str, str]]]:
    """The links LLDP shows (both ends with the port each end reports), optionally only those
    touching ``sites``."""
    from lab import snmprec

    ports = snmprec.port_links(inv)
    out = set()
    for d in snmprec.lab_devices(inv):
        if sites and d.site not in sites:
            continue
        index = d.model.interfaces
        for local, far, far_port in snmprec.lldp_neighbours(inv, d.name, ports):
            out.add(frozenset({(d.name, index[local - 1]), (far, far_port)}))
    return out


def lldp_reachable(inv: Inventory, seeds: list[str]) -> set[str]:
    """The devices the lab's LLDP leads to from the devices at ``seeds`` (addresses)."""
    from lab import snmprec

    ports = snmprec.port_links(inv)
    by_address = {str(d.mgmt_ip): d.name for d in inv.devices.values()}
    seen = {by_address[s] for s in seeds}
    todo = list(seen)
    while todo:
        for _, far, _ in snmprec.lldp_neighbours(inv, todo.pop(), ports):
            if far not in seen:
                seen.add(far)
                todo.append(far)
    return seen
