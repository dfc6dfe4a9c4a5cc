"""The audit trail: one JSON line for every change made through edunet.

A change writes a line when it starts (outcome ``started``) and another when it ends (its
outcome), both with the same ``change`` id, so a run killed half-way still leaves its
``started`` line; a change refused before it starts leaves one ``refused`` line. Lines are
appended with ``O_APPEND`` (several edunet processes may write at once; each line is one
``write``) and fsynced before the change goes on. edunet never rewrites or shortens the log.

The log is ``$EDUNET_AUDIT_LOG``, else ``audit.jsonl`` in the runs folder beside ``edunet
apply``'s run artifacts (``$EDUNET_RUNS_DIR``, default ``.edunet-runs``). Who is an operator
name or a token id; no line ever holds a secret: callers hand over names and codes only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "AUDIT_LOG_ENV",
    "OUTCOMES",
    "Entry",
    "append",
    "log_path",
    "new_change_id",
    "read",
]

AUDIT_LOG_ENV = "EDUNET_AUDIT_LOG"
RUNS_DIR_ENV = "EDUNET_RUNS_DIR"
DEFAULT_RUNS_DIR = Path(".edunet-runs")
LOG_NAME = "audit.jsonl"
OUTCOMES = ("started", "ok", "failed", "refused")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the log."""

    when: str  # UTC, ISO 8601
    who: str  # operator name or token id
    what: str  # the command, e.g. "apply network.yml --commit", "config push"
    outcome: str  # one of OUTCOMES
    change: str  # pairs a change's "started" line with its end
    devices: tuple[str, ...] = ()
    limit: str = ""  # the selection as written
    artifacts: str | None = None  # the run's folder (or the store's commit)
    detail: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)  # e.g. a token's id and scopes

    def to_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        data["devices"] = list(self.devices)
        data["extra"] = dict(self.extra)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Entry:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return cls(
            when=str(data["when"]),
            who=str(data["who"]),
            what=str(data["what"]),
            outcome=str(data["outcome"]),
            change=str(data.get("change", "")),
            devices=tuple(str(d) for d in data.get("devices") or ()),
            limit=str(data.get("limit") or ""),
            artifacts=None if data.get("artifacts") is None else str(data["artifacts"]),
            detail=str(data.get("detail") or ""),
            extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
        )

    @property
    def moment(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.when)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_change_id() -> str:
    return secrets.token_hex(6)


def log_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    given = env.get(AUDIT_LOG_ENV)
    if given:
        return Path(given)
    return Path(env.get(RUNS_DIR_ENV) or DEFAULT_RUNS_DIR) / LOG_NAME


def append(path: Path, entry: Entry) -> None:
    """One line, appended and on disk when this returns; OSError when it cannot be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (entry.to_json() + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        written = os.write(fd, data)
        if written != len(data):  # a full disk: say so rather than leave half a line unsaid
            raise OSError(f"wrote {written} of {len(data)} bytes")
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path) -> Iterator[tuple[int, Entry | None]]:
    """Every line with its number; None for a line that is not an entry (a torn write)."""
    with path.open(encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield number, Entry.from_json(line)
            except (ValueError, KeyError, TypeError):
                yield number, None


def matches(
    entry: Entry,
    who: str | None = None,
    since: dt.datetime | None = None,
    devices: Iterable[str] | None = None,
    outcomes: Sequence[str] = (),
) -> bool:
    """The filters of ``edunet audit``; ``devices`` matches a line naming any of them."""
    if who is not None and entry.who != who:
        return False
    if outcomes and entry.outcome not in outcomes:
        return False
    if since is not None and entry.moment < since:
        return False
    if devices is not None:
        wanted = devices if isinstance(devices, set | frozenset) else set(devices)
        if not wanted.intersection(entry.devices):
            return False
    return True
