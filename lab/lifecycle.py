"""``edunet lab up|down|status``: data, processes and the state file, in one place.

``up`` writes each device's records (reused while the inventory is unchanged), starts the
SNMP agent shards, the simulated SSH switches and the application servers, and waits until
every shard answers a real SNMP GET and every switch listens. ``down`` stops what ``up``
started and clears the network faults.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from edunet.model import Inventory
from edunet.reach import LAB_MAP
from lab import agents, snmprec
from lab.credentials import ensure_secrets
from lab.device_faults import read_faults
from lab.errors import LabError
from lab.faults import clear_network_faults
from lab.state import faults_path, read_state, remove_state, secrets_path, write_state

log = logging.getLogger(__name__)

DATA_VERSION = "1"  # bump when the records change shape
VARIATION_DIR = Path(__file__).parent / "variation"
READY_TIMEOUT_S = 120.0
SNMP_PORT = 161
# without root (ports below 1024 refused): the agents and applications move up
UNPRIVILEGED_SNMP_PORT = 1161
UNPRIVILEGED_OFFSET = 10000


@dataclass(slots=True)
class UpResult:
    already: bool
    state: dict[str, Any]
    data_reused: bool = False
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)


def _inventory_hash(inv: Inventory, shards: int, port: int) -> str:
    h = hashlib.sha256(f"{DATA_VERSION}|{shards}|{port}".encode())
    for src in inv.sources:
        p = Path(src)
        files = sorted(p.rglob("*.y*ml")) if p.is_dir() else [p]
        for f in files:
            h.update(f.read_bytes())
    for module in (snmprec, agents):  # new code, new records
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


def assign_shards(inv: Inventory, shards: int) -> list[list[agents.Endpoint]]:
    """Devices spread over shards by port count (the walk load), biggest first; stable."""
    devices = snmprec.lab_devices(inv)
    load = [0] * shards
    members: list[list[str]] = [[] for _ in range(shards)]
    for d in sorted(devices, key=lambda d: (-d.model.ports, d.name)):
        k = min(range(shards), key=lambda i: (load[i], i))
        load[k] += d.model.ports + 4
        members[k].append(d.name)
    out: list[list[agents.Endpoint]] = []
    for k, names in enumerate(members):
        eps = []
        for i, name in enumerate(sorted(names)):
            d = inv.devices[name]
            assert d.snmp is not None
            eps.append(
                agents.Endpoint(name, str(LAB_MAP(d.mgmt_ip)), agents.context_of(d.snmp), k, i)
            )
        out.append(eps)
    return out


def write_data(inv: Inventory, data_dir: Path, shards: int, port: int) -> tuple[list[Any], bool]:
    """Every device's records under ``data_dir``; reused when the inventory is unchanged.

    Returns (endpoints per shard, reused)."""
    manifest = data_dir / "manifest.json"
    digest = _inventory_hash(inv, shards, port)
    if manifest.exists():
        old = json.loads(manifest.read_text(encoding="utf-8"))
        if old.get("hash") == digest:
            return [[agents.Endpoint(**e) for e in s] for s in old["shards"]], True
    for old_dir in data_dir.glob("shard-*"):
        shutil.rmtree(old_dir) if old_dir.is_dir() else old_dir.unlink()
    for old_dir in data_dir.glob("cache-*"):
        shutil.rmtree(old_dir)
    layout = assign_shards(inv, shards)
    links = snmprec.port_links(inv)
    for eps in layout:
        shard_dir = data_dir / f"shard-{eps[0].shard}" if eps else None
        for ep in eps:
            assert shard_dir is not None
            path = agents.data_file(shard_dir, ep)
            path.parent.mkdir(parents=True, exist_ok=True)
            lines = snmprec.device_records(inv, inv.devices[ep.device], links)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = {"hash": digest, "shards": [[asdict(e) for e in s] for s in layout]}
    manifest.write_text(json.dumps(data) + "\n", encoding="utf-8")
    return layout, False


def _running(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in state.get("processes", []) if agents.process_alive(p["pid"], p["argv"])]


def privileged_ports() -> bool:
    """Whether this process may bind ports below 1024 (SNMP's 161, HTTPS's 443)."""
    if os.geteuid() == 0:
        return True
    try:
        start = int(Path("/proc/sys/net/ipv4/ip_unprivileged_port_start").read_text())
    except (OSError, ValueError):
        return False
    return start <= 1


def default_ports() -> tuple[int, int]:
    """(SNMP port, application port offset): the real ports when this process may bind them;
    else 1161 and +10000 (443 -> 10443), which the exporters are told through ``lab env``."""
    return (SNMP_PORT, 0) if privileged_ports() else (UNPRIVILEGED_SNMP_PORT, UNPRIVILEGED_OFFSET)


def up(
    inventory: Path,
    state_dir: Path,
    shards: int | None = None,
    port: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
    app_port_offset: int | None = None,
    ssh_port: int | None = None,
) -> UpResult:
    from edunet.load import load
    from lab.ssh import lab_side

    t0 = time.monotonic()
    default_port, default_offset = default_ports()
    port = default_port if port is None else port
    app_port_offset = default_offset if app_port_offset is None else app_port_offset
    state = read_state(state_dir)
    if state is not None and _running(state):
        return UpResult(True, state)
    if state is not None:  # left over from a crash: stop strays, start clean
        down(state_dir, clear_faults=False)
    inv = load(inventory)
    shards = max(1, shards or os.cpu_count() or 1)
    state_dir.mkdir(parents=True, exist_ok=True)
    secrets = ensure_secrets(state_dir, inv)
    data_dir = state_dir / "data"
    progress("writing device records")
    layout, reused = write_data(inv, data_dir, shards, port)
    busy = [
        f"{e.address}:{port}" for s in layout for e in s if agents.address_in_use(e.address, port)
    ]
    if busy:
        raise LabError(
            f"{len(busy)} lab address(es) already in use, e.g. {busy[0]}: is another lab "
            "running? (edunet lab down --state-dir …)"
        )
    faults = faults_path(state_dir)
    if not faults.exists():
        faults.write_text('{"devices": {}, "applications": {}}\n', encoding="utf-8")
    profiles = list(inv.snmp_profiles.values())
    processes: list[dict[str, Any]] = []
    state = {
        "inventory": str(inventory),
        "address_map": str(LAB_MAP),
        "port": port,
        "app_port_offset": app_port_offset,
        "processes": processes,
        "started_at": time.time(),
        "endpoints": sum(len(s) for s in layout),
        "shards": len(layout),
        "secrets_file": str(secrets_path(state_dir)),
        "ca_file": None,
        "ssh_port": lab_side.ssh_port(ssh_port),
        "ssh_devices": 0,
    }
    skipped: list[str] = []
    started: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for eps in layout:
            if not eps:
                continue
            k = eps[0].shard
            agents.write_shard_config(data_dir, k, eps, port, profiles, secrets)
            argv = agents.shard_argv(data_dir, k, faults, VARIATION_DIR)
            proc = agents.start(argv, state_dir / "logs" / f"snmpsim-{k}.log")
            started[f"snmpsim-{k}"] = proc
            processes.append(
                {"name": f"snmpsim-{k}", "pid": proc.pid, "argv": argv, "endpoints": len(eps)}
            )
        skipped += _start_appservers(inventory, state_dir, app_port_offset, processes, started)
        skipped += _start_node_exporter(inv, state_dir, processes, started)
        state["ssh_devices"], more = lab_side.start(inventory, inv, state, processes, started)
        skipped += more
        state["ca_file"] = str(state_dir / "ca.pem") if (state_dir / "ca.pem").exists() else None
        write_state(state_dir, state)
        progress(f"waiting for {len(layout)} agent shard(s) to answer")
        _wait_ready(inv, layout, port, secrets, started, state_dir)
        lab_side.wait_ready(state_dir, started)
    except BaseException:
        for proc in started.values():  # our own children: no pid reuse to fear
            proc.terminate()
        for proc in started.values():
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        down(state_dir, clear_faults=False)
        raise
    if (state_dir / "ca.pem").exists():
        state["ca_file"] = str(state_dir / "ca.pem")
        write_state(state_dir, state)
    return UpResult(False, state, reused, time.monotonic() - t0, skipped)


def _start_appservers(
    inventory: Path,
    state_dir: Path,
    port_offset: int,
    processes: list[dict[str, Any]],
    started: dict[str, subprocess.Popen[bytes]],
) -> list[str]:
    try:
        from lab import appservers
    except ImportError as e:
        log.warning("application servers not available (%s): skipped", e)
        return [f"application servers ({e})"]
    argv = appservers.command(inventory, state_dir, port_offset)
    proc = agents.start(argv, state_dir / "logs" / "appservers.log")
    started["appservers"] = proc
    processes.append({"name": "appservers", "pid": proc.pid, "argv": argv, "endpoints": 0})
    return []


def _start_node_exporter(
    inv: Inventory,
    state_dir: Path,
    processes: list[dict[str, Any]],
    started: dict[str, subprocess.Popen[bytes]],
) -> list[str]:
    from lab import nodes

    argv = nodes.node_exporter_argv(inv)
    if argv is None:
        return ["node exporter (prometheus-node-exporter is not installed)"]
    proc = agents.start(argv, nodes.log_path(state_dir))
    started["node-exporter"] = proc
    processes.append({"name": "node-exporter", "pid": proc.pid, "argv": argv, "endpoints": 0})
    return []


def _wait_ready(
    inv: Inventory,
    layout: list[list[agents.Endpoint]],
    port: int,
    secrets: dict[str, str],
    started: dict[str, subprocess.Popen[bytes]],
    state_dir: Path,
) -> None:
    pending = {eps[0].shard: eps[0] for eps in layout if eps}
    deadline = time.monotonic() + READY_TIMEOUT_S
    while pending:
        for name, proc in started.items():
            if proc.poll() is not None:  # not /proc: a fresh child may not have exec'd yet
                raise LabError(f"{name} exited; see {state_dir / 'logs'}/{name}.log")
        for k, ep in list(pending.items()):
            profile = inv.devices[ep.device].snmp
            assert profile is not None
            if agents.probe(ep.address, port, profile, secrets) == ep.device:
                del pending[k]
        if pending and time.monotonic() > deadline:
            raise LabError(f"agent shard(s) {sorted(pending)} did not answer in time")
        if pending:
            time.sleep(0.3)


def down(state_dir: Path, clear_faults: bool = True) -> list[str]:
    """Stop every lab process and clear network faults; returns what was stopped."""
    state = read_state(state_dir) or {}
    stopped = []
    for p in state.get("processes", []):
        if agents.stop(p["pid"], p["argv"]):
            stopped.append(f"{p['name']} (pid {p['pid']})")
    if clear_faults:
        stopped += clear_network_faults(state_dir)
        faults_path(state_dir).unlink(missing_ok=True)
    remove_state(state_dir)
    return stopped


def status(state_dir: Path) -> dict[str, Any]:
    state = read_state(state_dir)
    if state is None:
        return {"up": False, "state_dir": str(state_dir), "processes": [], "faults": {}}
    procs = [
        {
            "name": p["name"],
            "pid": p["pid"],
            "alive": agents.process_alive(p["pid"], p["argv"]),
            "rss_mib": round(agents.rss_kib(p["pid"]) / 1024, 1),
            "endpoints": p.get("endpoints", 0),
        }
        for p in state.get("processes", [])
    ]
    return {
        "up": all(p["alive"] for p in procs) and bool(procs),
        "state_dir": str(state_dir),
        "inventory": state.get("inventory"),
        "address_map": state.get("address_map"),
        "port": state.get("port"),
        "endpoints": state.get("endpoints"),
        "ssh_port": state.get("ssh_port"),
        "ssh_devices": state.get("ssh_devices", 0),
        "started_at": state.get("started_at"),
        "secrets_file": state.get("secrets_file"),
        "processes": procs,
        "faults": read_faults(state_dir),
    }


# --- faults --------------------------------------------------------------------------------
