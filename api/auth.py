"""Bearer tokens with scopes, stored hashed.

A token reads ``edn_<id>_<secret>``. The file keeps, per id, a random salt and
sha256(salt + secret), never the secret: the secret carries 256 random bits, so a slow
hash would add latency to every request without adding safety. The comparison runs in
constant time. ``admin`` grants every scope.

A token also carries a reach (``edunet.access``): the whole city when its entry has no
``reach:``, so a file written before reaches existed keeps its meaning.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from edunet import atomic
from edunet.access import CITY, Reach

PREFIX = "edn"
log = logging.getLogger("edunet.api.auth")


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
    reach: Reach = CITY

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
        return cls.parse(path.read_text(encoding="utf-8"), str(path))

    @classmethod
    def parse(cls, text: str, source: str) -> TokenStore:
        """A tokens file's text: ``tokens:`` and a list of hashed entries."""
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as e:
            raise ValueError(f"{source}: not valid YAML ({e})".replace("\n", " ")) from None
        if not isinstance(data, Mapping):
            raise ValueError(f"{source}: expected a mapping with a 'tokens' list")
        try:
            return cls(_parse(t) for t in data.get("tokens") or ())
        except (KeyError, ValueError, TypeError) as e:
            raise ValueError(f"{source}: a malformed token entry ({e})") from None

    def __or__(self, other: TokenStore) -> TokenStore:
        return TokenStore([*self._by_id.values(), *other._by_id.values()])

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


class TokenSource:
    """The tokens in force: the file (re-read when it changes, so a token created or
    revoked while the API runs counts at once) plus any given in the environment.

    A file that no longer parses keeps the last good tokens in force and says why in
    ``last_error``. A file that has been deleted fails closed: none of its tokens is valid
    any more (those in the environment still are), since deleting it is how an operator
    would revoke everything at once."""

    def __init__(self, path: Path | None, env_text: str = "") -> None:
        self.path = path
        self._env = TokenStore.parse(env_text, "EDUNET_API_TOKENS") if env_text else TokenStore()
        self._seen = self._stat()
        self.current = self._read()  # a malformed file at start-up: fail fast
        self.last_error: str | None = None
        self.last_error_at: float | None = None
        self.reload_failures = 0

    def _stat(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _read(self) -> TokenStore:
        if self.path is None:
            return self._env
        return TokenStore.load(self.path) | self._env

    def _failed(self, message: str) -> None:
        self.reload_failures += 1
        self.last_error, self.last_error_at = message, time.time()

    def reload_if_changed(self) -> bool:
        """Re-read a changed file; a malformed one keeps the tokens that were in force, a
        deleted one leaves only the environment's."""
        seen = self._stat()
        if seen == self._seen:
            return False
        self._seen = seen
        if seen is None and self.path is not None:
            self.current = self._env
            self._failed(f"{self.path}: tokens file missing; none of its tokens is valid")
            log.error("%s; only EDUNET_API_TOKENS count until it is back", self.last_error)
            return True
        try:
            self.current = self._read()
        except Exception as e:  # whatever the file holds, the last good tokens stay in force
            self._failed(str(e).strip() or type(e).__name__)
            log.error("tokens file not reloaded, the previous tokens stay in force: %s", e)
            return False
        self.last_error = self.last_error_at = None
        log.info("tokens reloaded: %d in force", len(self.current))
        return True


def _parse(raw: object) -> StoredToken:
    if not isinstance(raw, Mapping):
        raise ValueError("each token entry must be a mapping")
    return StoredToken(
        id=str(raw["id"]),
        name=str(raw.get("name", "")),
        scopes=frozenset(Scope(s) for s in raw["scopes"]),
        salt=bytes.fromhex(str(raw["salt"])),
        digest=bytes.fromhex(str(raw["sha256"])),
        reach=Reach.from_data(raw.get("reach")),
    )


def _write(path: Path, data: Mapping[str, object]) -> None:
    """Atomically, chmod 600 from the first byte: the file names who may read what."""
    atomic.write_text(path, yaml.safe_dump(dict(data), sort_keys=False), 0o600)


def entries(path: Path) -> list[dict[str, Any]]:
    """The file's raw token entries in the order they were added (none if no file)."""
    if not path.exists():
        return []
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(loaded.get("tokens") or [])


def revoke_token(path: Path, token_id: str) -> bool:
    """Remove the token ``token_id``; False when the file has no such token."""
    stored = entries(path)
    kept = [t for t in stored if str(t.get("id")) != token_id]
    if len(kept) == len(stored):
        return False
    _write(path, {"tokens": kept})
    return True


def create_token(
    path: Path, scopes: Iterable[Scope | str], name: str = "", reach: Reach = CITY
) -> str:
    """Add a token to ``path`` (created chmod 600) and return its plaintext, the only copy.
    A token of the whole city has no ``reach:`` entry."""
    wanted = sorted({Scope(s) for s in scopes})
    if not wanted:
        raise ValueError("a token needs at least one scope")
    stored = entries(path)
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    stored.append(
        {
            "id": token_id,
            "name": name,
            "scopes": [s.value for s in wanted],
            "salt": salt.hex(),
            "sha256": _digest(salt, secret).hex(),
        }
        | ({"reach": reach.to_data()} if not reach.whole_city else {})
    )
    _write(path, {"tokens": stored})
    return f"{PREFIX}_{token_id}_{secret}"
