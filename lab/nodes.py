"""The data center's node exporters in the lab: one real prometheus-node-exporter answering on
every server's and VM's lab address, so the monitoring stack scrapes them as it would the city's."""

from __future__ import annotations

import shutil
from ipaddress import IPv4Address
from pathlib import Path

from edunet.model import Inventory
from edunet.reach import LAB_MAP

__all__ = ["NODE_EXPORTER_PORT", "node_addresses", "node_exporter_argv"]

NODE_EXPORTER_PORT = 9100
BINARIES = ("prometheus-node-exporter", "node_exporter")
# what the Data center dashboard reads; the rest of node_exporter's defaults only cost CPU
COLLECTORS = ("cpu", "meminfo", "filesystem", "netdev", "loadavg", "diskstats", "uname", "time")


def node_addresses(inv: Inventory) -> list[IPv4Address]:
    """The lab addresses of the hosts that run a node exporter in the city: the data center's
    servers (management address) and every VM."""
    out = [LAB_MAP(d.mgmt_ip) for d in inv.devices.values() if d.role == "server"]
    out += [LAB_MAP(vm.ip.ip) for vm in inv.vms.values()]
    return sorted(set(out))


def node_exporter_argv(inv: Inventory, port: int = NODE_EXPORTER_PORT) -> list[str] | None:
    """The command line, or None when no node exporter is installed (the lab runs without)."""
    binary = next((b for b in map(shutil.which, BINARIES) if b), None)
    if binary is None or not node_addresses(inv):
        return None
    argv = [binary, "--collector.disable-defaults"]
    argv += [f"--collector.{c}" for c in COLLECTORS]
    argv += [f"--web.listen-address={a}:{port}" for a in node_addresses(inv)]
    return argv


def log_path(state_dir: Path) -> Path:
    return state_dir / "logs" / "node-exporter.log"
