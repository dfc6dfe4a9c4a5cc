"""The SSH credentials a run needs, handed to ansible-playbook through its environment only.

The inventory's host variables look credentials up with ``lookup('ansible.builtin.env',
'EDUNET_SSH_<PROFILE>_PASSWORD')``. Values found in the secrets file (not in this process's
environment) are copied into the child's environment, never into a file; every value is
returned as well so that whatever the run writes can be checked and masked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from edunet.model import Inventory
from edunet.secrets import SecretStore

__all__ = ["SECRET_SUFFIXES", "RunCredentials", "run_credentials"]

SUFFIXES = ("USER", "PASSWORD", "ENABLE", "KEY_FILE")
SECRET_SUFFIXES = ("PASSWORD", "ENABLE")


@dataclass(frozen=True, slots=True)
class RunCredentials:
    env: dict[str, str]  # variable → value, for the child's environment
    secrets: tuple[str, ...]  # the values to keep out of every file
    missing: tuple[str, ...]  # profiles with neither a password nor a key file

    def __repr__(self) -> str:  # never show the values
        return f"RunCredentials(env={sorted(self.env)}, missing={list(self.missing)})"


def run_credentials(
    inv: Inventory, hosts: Iterable[str], store: SecretStore | None = None
) -> RunCredentials:
    store = store or SecretStore()
    env: dict[str, str] = {}
    secrets: list[str] = []
    missing: list[str] = []
    profiles = {p for h in hosts if h in inv.devices and (p := inv.devices[h].ssh) is not None}
    for profile in sorted(profiles, key=lambda p: p.name):
        prefix = profile.env_prefix
        for suffix in SUFFIXES:
            value = store.get(f"{prefix}_{suffix}")
            if value is None:
                continue
            env[f"{prefix}_{suffix}"] = value
            if suffix in SECRET_SUFFIXES and value:
                secrets.append(value)
        if f"{prefix}_PASSWORD" not in env and f"{prefix}_KEY_FILE" not in env:
            missing.append(profile.name)
    return RunCredentials(env, tuple(dict.fromkeys(secrets)), tuple(missing))
