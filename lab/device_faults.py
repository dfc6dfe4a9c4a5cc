"""The faults the lab's agents and switches read at every request (faults.json): reboots,
flapping or failing ports, swapped serials, SSH refused, configuration rejected, applications
failing or slow. No root needed; the file is replaced atomically."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from edunet import atomic
from lab.state import faults_path

Faults = dict[str, Any]


def read_faults(state_dir: Path) -> Faults:
    """``{"devices": {...}, "applications": {...}}``; empty sections when there are none."""
    try:
        data = json.loads(faults_path(state_dir).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    data.setdefault("devices", {})
    data.setdefault("applications", {})
    return data


def write_faults(state_dir: Path, faults: Faults) -> None:
    # drop empty entries so "no fault" reads the same however it came about
    devices = {k: v for k, v in faults.get("devices", {}).items() if v}
    apps = {k: v for k, v in faults.get("applications", {}).items() if v}
    text = json.dumps({"devices": devices, "applications": apps}, ensure_ascii=False, indent=2)
    atomic.write_text(faults_path(state_dir), text + "\n")


def update_faults(state_dir: Path, change: Callable[[Faults], None]) -> Faults:
    """Read, change in place, write back; returns what was written."""
    faults = read_faults(state_dir)
    change(faults)
    write_faults(state_dir, faults)
    return read_faults(state_dir)


def data_fault(
    state_dir: Path, section: str, name: str, change: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    def apply(faults: dict[str, Any]) -> None:
        entry = faults[section].setdefault(name, {})
        change(entry)
        if not entry:
            del faults[section][name]

    return update_faults(state_dir, apply)


def reboot(state_dir: Path, device: str) -> None:
    data_fault(state_dir, "devices", device, lambda e: e.update(boot=time.time()))


def flap(state_dir: Path, device: str, port: str) -> None:
    def change(e: dict[str, Any]) -> None:
        ports = e.setdefault("flapping", [])
        if port not in ports:
            ports.append(port)

    data_fault(state_dir, "devices", device, change)


def port_down(state_dir: Path, device: str, port: str) -> None:
    """Take one port down (ifOperStatus down) until the fault is cleared."""
    data_fault(
        state_dir,
        "devices",
        device,
        lambda e: e.setdefault("ports_down", {}).setdefault(port, time.time()),
    )


def port_errors(state_dir: Path, device: str, port: str, per_s: float) -> None:
    """Make a port count errors and discards, ``per_s`` a second each, until cleared."""
    data_fault(
        state_dir,
        "devices",
        device,
        lambda e: e.setdefault("errors", {}).update({port: {"since": time.time(), "per_s": per_s}}),
    )


def swap_serial(state_dir: Path, device: str, serial: str) -> None:
    data_fault(state_dir, "devices", device, lambda e: e.update(serial=serial))


def ssh_down(state_dir: Path, device: str) -> None:
    """The device's simulated switch refuses SSH (and drops its sessions) until cleared."""
    data_fault(state_dir, "devices", device, lambda e: e.update(ssh_down=time.time()))


def config_reject(state_dir: Path, device: str) -> None:
    """Every configuration line on the device's simulated switch answers IOS's error marker."""
    data_fault(state_dir, "devices", device, lambda e: e.update(config_reject=time.time()))


def app_fault(state_dir: Path, code: str, status_code: int, delay_ms: int) -> None:
    data_fault(
        state_dir, "applications", code, lambda e: e.update(status=status_code, delay_ms=delay_ms)
    )


def _row(key: str, target: str, detail: str) -> dict[str, Any]:
    return {"key": key, "kind": key.split(":", 1)[0], "target": target, "detail": detail}


def data_fault_rows(state_dir: Path) -> list[dict[str, Any]]:
    """The faults of faults.json, one row each, keyed as ``clear_data_fault`` takes them."""
    rows: list[dict[str, Any]] = []
    faults = read_faults(state_dir)
    for dev, e in faults["devices"].items():
        if "boot" in e:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e["boot"]))
            rows.append(_row(f"reboot:{dev}", dev, f"booted {when}"))
        for port in e.get("flapping", []):
            rows.append(_row(f"flap:{dev}:{port}", dev, port))
        for port in e.get("ports_down", {}):
            rows.append(_row(f"port-down:{dev}:{port}", dev, port))
        for port, fault in e.get("errors", {}).items():
            rows.append(_row(f"errors:{dev}:{port}", dev, f"{port} {fault['per_s']}/s"))
        if "serial" in e:
            rows.append(_row(f"serial:{dev}", dev, str(e["serial"])))
        if "ssh_down" in e:
            rows.append(_row(f"ssh-down:{dev}", dev, "SSH refused"))
        if "config_reject" in e:
            rows.append(_row(f"config-reject:{dev}", dev, "configuration lines rejected"))
    for code, e in faults["applications"].items():
        detail = f"status {e.get('status', 200)}, delay {e.get('delay_ms', 0)} ms"
        rows.append(_row(f"app:{code}", code, detail))
    return rows


def clear_data_fault(state_dir: Path, key: str) -> bool:
    """Clear one faults.json fault by its key; False when the key is not of that kind."""
    kind, _, rest = key.partition(":")
    if kind == "app":
        data_fault(state_dir, "applications", rest, lambda e: e.clear())
        return True
    if kind not in ("reboot", "serial", "flap", "port-down", "errors", "ssh-down", "config-reject"):
        return False
    dev, _, port = rest.partition(":")
    fields = {
        "reboot": "boot",
        "serial": "serial",
        "flap": "flapping",
        "port-down": "ports_down",
        "errors": "errors",
        "ssh-down": "ssh_down",
        "config-reject": "config_reject",
    }
    field_name = fields[kind]

    def change(e: dict[str, Any]) -> None:
        if kind == "flap" and port in e.get("flapping", []):
            e["flapping"].remove(port)
            if e["flapping"]:
                return
        if kind in ("port-down", "errors") and port in e.get(field_name, {}):
            del e[field_name][port]
            if e[field_name]:
                return
        e.pop(field_name, None)

    data_fault(state_dir, "devices", dev, change)
    return True
