"""The lab's state directory: state.json, faults.json, the lab's secrets, and lab addresses.

Everything that more than one lab process reads goes through here, so the layout is
written down once. Files other processes read are replaced atomically (temp + rename).
"""

from __future__ import annotations

import json
import os
import secrets as random_secrets
import time
from collections.abc import Callable, Mapping
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import yaml

from edunet import atomic
from edunet.model import Device, Inventory, SnmpProfile, SshProfile
from edunet.reach import LAB_MAP, probe_address

__all__ = [
    "LAB_DIR_ENV",
    "SNMP_CONTEXT",
    "app_fault",
    "clear_data_fault",
    "config_reject",
    "data_fault",
    "data_fault_rows",
    "default_state_dir",
    "device_address",
    "ensure_secrets",
    "faults_path",
    "flap",
    "read_faults",
    "read_state",
    "reboot",
    "remove_state",
    "secrets_path",
    "site_addresses",
    "site_probe_address",
    "ssh_down",
    "swap_serial",
    "update_faults",
    "write_faults",
    "write_state",
]

LAB_DIR_ENV = "EDUNET_LAB_DIR"
SNMP_CONTEXT = "public"  # the SNMPv3 context name every lab agent serves

Faults = dict[str, Any]


def default_state_dir() -> Path:
    return Path(os.environ.get(LAB_DIR_ENV) or ".edunet-lab")


def state_path(state_dir: Path) -> Path:
    return state_dir / "state.json"


def faults_path(state_dir: Path) -> Path:
    return state_dir / "faults.json"


def secrets_path(state_dir: Path) -> Path:
    return state_dir / "secrets.yaml"


# --- state.json ----------------------------------------------------------------------------


def read_state(state_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(state_path(state_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return data if isinstance(data, dict) else None


def write_state(state_dir: Path, state: Mapping[str, Any]) -> None:
    atomic.write_text(state_path(state_dir), json.dumps(state, ensure_ascii=False, indent=2) + "\n")


def remove_state(state_dir: Path) -> None:
    state_path(state_dir).unlink(missing_ok=True)


# --- faults.json ---------------------------------------------------------------------------


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


# --- secrets.yaml --------------------------------------------------------------------------


def _random_value(n: int = 20) -> str:
    # letters and digits only: the value travels through whitespace-split argument files
    return random_secrets.token_hex(n // 2 + 1)[:n]


def profile_variables(profile: SnmpProfile) -> list[str]:
    p = profile.env_prefix
    if profile.version == "v2c":
        return [f"{p}_COMMUNITY"]
    return [f"{p}_USER", f"{p}_AUTH_KEY", f"{p}_PRIV_KEY", f"{p}_CONTEXT"]


def ssh_profile_variables(profile: SshProfile) -> list[str]:
    p = profile.env_prefix
    return [f"{p}_USER", f"{p}_PASSWORD", f"{p}_ENABLE"]


def lab_ssh_profiles(inv: Inventory) -> list[SshProfile]:
    """The SSH profiles of the devices the lab simulates over SSH (see lab.ssh)."""
    from lab.ssh.specs import lab_devices

    found = {d.ssh.name: d.ssh for d in lab_devices(inv) if d.ssh is not None}
    return [found[name] for name in sorted(found)]


def ensure_secrets(
    state_dir: Path, inv: Inventory, env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The lab's SNMP credentials for every profile of the inventory, and the SSH logins of
    its simulated switches, written chmod 600.

    The environment wins where set; otherwise values already in the file are kept (so a
    second ``up`` keeps the same keys), and missing ones are generated.
    """
    env = os.environ if env is None else env
    path = secrets_path(state_dir)
    current: dict[str, str] = {}
    if path.exists():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(loaded, dict):
            current = {str(k): str(v) for k, v in loaded.items()}
    wanted = [(v, p.name) for p in inv.snmp_profiles.values() for v in profile_variables(p)]
    wanted += [(v, p.name) for p in lab_ssh_profiles(inv) for v in ssh_profile_variables(p)]
    values: dict[str, str] = {}
    for var, profile_name in wanted:
        if var in env:
            values[var] = env[var]
        elif var.endswith("_CONTEXT"):
            values[var] = SNMP_CONTEXT
        elif var in current:
            values[var] = current[var]
        elif var.endswith("_USER"):
            values[var] = "edunet-" + profile_name
        else:
            values[var] = _random_value()
    text = "# edunet lab credentials (generated; keep private)\n" + yaml.safe_dump(
        values, sort_keys=True, allow_unicode=True
    )
    atomic.write_text(path, text, mode=0o600)
    return values


# --- lab addresses -------------------------------------------------------------------------


def device_address(device: Device) -> IPv4Address:
    """Where the lab serves a device: its management address on loopback."""
    return LAB_MAP(device.mgmt_ip)


def site_probe_address(inv: Inventory, site: str) -> IPv4Address | None:
    """Where the lab answers for a site's uplink (its gateway's loopback, else management)."""
    addr = probe_address(inv, inv.sites[site])
    return LAB_MAP(addr) if addr is not None else None


def site_addresses(inv: Inventory, site: str) -> list[IPv4Address]:
    """Every lab address of a site: its devices' management addresses and loopbacks."""
    out: list[IPv4Address] = []
    for d in inv.site_devices(site):
        out.append(LAB_MAP(d.mgmt_ip))
        if d.loopback is not None:
            out.append(LAB_MAP(d.loopback))
    probe = site_probe_address(inv, site)
    if probe is not None and probe not in out:
        out.append(probe)
    return out
