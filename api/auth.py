"""Bearer tokens with scopes, stored hashed.

A token reads ``edn_<id>_<secret>``. The file keeps, per id, a random salt and
sha256(salt + secret), never the secret: the secret carries 256 random bits, so a slow
hash would add latency to every request without adding safety. The comparison runs in
constant time. ``admin`` grants every scope.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

PREFIX = "edn"


class Scope(StrEnum):
    inventory_read = "inventory:read"
    topology_read = "topology:read"
    procurement_read = "procurement:read"
    admin = "admin"


@dataclass(frozen=True, slots=True)
class StoredToken:
    id: str
    name: str
    scopes: frozenset[Scope]
    salt: bytes
    digest: bytes

    def grants(self, scope: Scope) -> bool:
        return Scope.admin in self.scopes or scope in self.scopes


def _digest(salt: bytes, secret: str) -> bytes:
    return hashlib.sha256(salt + secret.encode()).digest()


class TokenStore:
    def __init__(self, tokens: Iterable[StoredToken] = ()) -> None:
        self._by_id = {t.id: t for t in tokens}

    def __len__(self) -> int:
        return len(self._by_id)

    @classmethod
    def load(cls, path: Path) -> TokenStore:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, Mapping):
            raise ValueError(f"{path}: expected a mapping with a 'tokens' list")
        return cls(_parse(t) for t in data.get("tokens") or ())

    def verify(self, token: str) -> StoredToken | None:
        """The stored token ``token`` proves, or None. Never says which part was wrong."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            return None
        stored = self._by_id.get(parts[1])
        # hash even for an unknown id, so timing does not tell ids apart
        salt = stored.salt if stored is not None else b"\0" * 16
        ok = hmac.compare_digest(_digest(salt, parts[2]), stored.digest if stored else b"")
        return stored if ok and stored is not None else None


def _parse(raw: object) -> StoredToken:
    if not isinstance(raw, Mapping):
        raise ValueError("each token entry must be a mapping")
    return StoredToken(
        id=str(raw["id"]),
        name=str(raw.get("name", "")),
        scopes=frozenset(Scope(s) for s in raw["scopes"]),
        salt=bytes.fromhex(str(raw["salt"])),
        digest=bytes.fromhex(str(raw["sha256"])),
    )


def create_token(path: Path, scopes: Iterable[Scope | str], name: str = "") -> str:
    """Add a token to ``path`` (created chmod 600) and return its plaintext, the only copy."""
    wanted = sorted({Scope(s) for s in scopes})
    if not wanted:
        raise ValueError("a token needs at least one scope")
    data: dict[str, list[dict[str, object]]] = {"tokens": []}
    if path.exists():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data["tokens"] = list(loaded.get("tokens") or [])
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    data["tokens"].append(
        {
            "id": token_id,
            "name": name,
            "scopes": [s.value for s in wanted],
            "salt": salt.hex(),
            "sha256": _digest(salt, secret).hex(),
        }
    )
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, sort_keys=False)
    os.replace(tmp, path)
    return f"{PREFIX}_{token_id}_{secret}"
