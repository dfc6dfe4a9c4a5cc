"""The lab's credentials (secrets.yaml, chmod 600): SNMP keys for every profile and the SSH
logins of the simulated switches; the environment wins where set."""

from __future__ import annotations

import os
import secrets as random_secrets
from collections.abc import Mapping
from pathlib import Path

import yaml

from edunet import atomic
from edunet.model import Inventory, SnmpProfile, SshProfile
from lab.state import secrets_path

SNMP_CONTEXT = "public"  # the SNMPv3 context name every lab agent serves


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
