"""Credential values, looked up by profile at the moment a unit needs them.

The inventory only names a profile (``snmp: v3-default``). Its values come from the
environment (``EDUNET_SNMP_V3_DEFAULT_USER`` …) or, where the environment has none, from
the secrets file named by ``EDUNET_SECRETS_FILE`` (YAML, decrypted by Ansible Vault
before use, never committed). A value is wrapped in :class:`Secret`, whose ``repr`` and
``str`` never show it, so a log line or an error message cannot leak it by accident.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from edunet.model import SnmpProfile, SshProfile

SECRETS_FILE_ENV = "EDUNET_SECRETS_FILE"


class Secret:
    """A credential value that prints as ``'***'``; ``reveal()`` is the only way out."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))


class MissingSecret(LookupError):
    """Names the variable to set, never a value."""


@dataclass(frozen=True, slots=True)
class SnmpCredentials:
    profile: str
    version: str
    community: Secret | None  # v2c
    user: str | None  # v3 (a user name is not a secret, the keys are)
    auth_protocol: str | None
    auth_key: Secret | None
    priv_protocol: str | None
    priv_key: Secret | None
    # SNMPv3 context name: empty on most devices; the lab's agents serve theirs as "public"
    context: str = ""


@dataclass(frozen=True, slots=True)
class SshCredentials:
    profile: str
    port: int
    user: str
    password: Secret | None
    key_file: str | None
    enable: Secret | None = None  # the enable secret (Cisco IOS privileged EXEC), if any


class SecretStore:
    """Environment first, then the secrets file; both read only when asked."""

    def __init__(self, env: Mapping[str, str] | None = None, file: Path | None = None):
        self.env = os.environ if env is None else env
        name = self.env.get(SECRETS_FILE_ENV)
        self.file = file if file is not None else (Path(name) if name else None)
        self._file_values: dict[str, str] | None = None

    def _from_file(self) -> dict[str, str]:
        if self._file_values is None:
            self._file_values = {}
            if self.file is not None:
                mode = self.file.stat().st_mode
                if mode & (stat.S_IRWXG | stat.S_IRWXO):
                    raise PermissionError(
                        f"{self.file} is readable by others; chmod 600 it (it holds secrets)"
                    )
                data = yaml.safe_load(self.file.read_text(encoding="utf-8")) or {}
                if not isinstance(data, dict):
                    raise ValueError(f"{self.file}: expected a mapping of NAME: value")
                self._file_values = {str(k): str(v) for k, v in data.items()}
        return self._file_values

    def get(self, name: str) -> str | None:
        value = self.env.get(name)
        return value if value is not None else self._from_file().get(name)

    def require(self, name: str, why: str) -> str:
        value = self.get(name)
        if value is None:
            where = f" or in {self.file}" if self.file else ""
            raise MissingSecret(f"{why}: set {name} in the environment{where}")
        return value

    def snmp(self, profile: SnmpProfile) -> SnmpCredentials:
        p = profile.env_prefix
        why = f"SNMP profile {profile.name}"
        if profile.version == "v2c":
            community = Secret(self.require(f"{p}_COMMUNITY", why))
            return SnmpCredentials(profile.name, "v2c", community, None, None, None, None, None)
        return SnmpCredentials(
            profile.name,
            "v3",
            None,
            self.require(f"{p}_USER", why),
            profile.auth,
            Secret(self.require(f"{p}_AUTH_KEY", why)),
            profile.priv,
            Secret(self.require(f"{p}_PRIV_KEY", why)),
            self.get(f"{p}_CONTEXT") or "",
        )

    def ssh(self, profile: SshProfile) -> SshCredentials:
        p = profile.env_prefix
        password = self.get(f"{p}_PASSWORD")
        key_file = self.get(f"{p}_KEY_FILE")
        enable = self.get(f"{p}_ENABLE")
        if password is None and key_file is None:
            raise MissingSecret(
                f"SSH profile {profile.name}: set {p}_PASSWORD or {p}_KEY_FILE in the environment"
            )
        return SshCredentials(
            profile.name,
            profile.port,
            self.require(f"{p}_USER", f"SSH profile {profile.name}"),
            Secret(password) if password is not None else None,
            key_file,
            Secret(enable) if enable is not None else None,
        )
