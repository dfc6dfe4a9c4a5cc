"""Per-host results of a run, folded from ansible-runner's events. Pure: the events are plain
dicts, so this is tested on recorded ones.

Failures are data: a failed or unreachable host is a row with its error text, never an
exception. Secret values handed in are masked in every error text kept here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "HostResult",
    "Progress",
    "ResultCollector",
    "change_lines",
    "clean_error",
]

MASK = "********"
MAX_ERROR = 400  # characters of error text kept per host
MAX_CHANGE_LINES = 40


@dataclass(slots=True)
class HostResult:
    host: str
    site: str
    wave: int
    ok: int = 0  # tasks ok, changed ones included (as Ansible counts them)
    changed: int = 0
    failed: int = 0
    unreachable: int = 0
    skipped: int = 0
    ran: bool = False  # at least one task started on it
    error: str | None = None  # the first failure's text

    @property
    def status(self) -> str:
        if self.unreachable:
            return "unreachable"
        if self.failed:
            return "failed"
        if not self.ran:
            return "not run"
        return "changed" if self.changed else "ok"

    @property
    def is_failure(self) -> bool:
        return bool(self.failed or self.unreachable)


@dataclass(frozen=True, slots=True)
class Progress:
    """One line of live progress: a task started, or ended on a host."""

    host: str
    state: str  # start, ok, changed, failed, unreachable, skipped
    task: str
    detail: str | None = None  # error text of a failure
    changes: tuple[str, ...] = ()  # what a changed task did, or would do in check mode


def clean_error(text: str, secrets: Iterable[str] = ()) -> str:
    """An error message on one line: a device's byte-string echo (``b"...\\r\\n..."``) unfolded,
    blank lines dropped, secrets masked, and cut to a readable length."""
    text = re.sub(r"""\bb(["'])(.*?)\1""", lambda m: m.group(2), text, flags=re.S)
    text = text.replace("\\r", "").replace("\\n", "\n").replace("\r", "")
    parts = [p.strip() for p in text.split("\n") if p.strip() and p.strip() != "^"]
    out = " | ".join(parts)
    for secret in secrets:
        if secret:
            out = out.replace(secret, MASK)
    return out if len(out) <= MAX_ERROR else out[: MAX_ERROR - 1] + "…"


def _error_text(res: Mapping[str, Any]) -> str:
    for key in ("msg", "module_stderr", "stderr", "reason"):
        value = res.get(key)
        if value:
            return str(value)
    return "failed (no message)"


def change_lines(res: Mapping[str, Any]) -> tuple[str, ...]:
    """What a changed task did: the diff Ansible prepared, else the device commands
    (``ios_config`` gives no diff in check mode, only its ``updates``)."""
    lines: list[str] = []
    diffs = res.get("diff")
    for diff in diffs if isinstance(diffs, list) else [diffs] if isinstance(diffs, dict) else []:
        if not isinstance(diff, dict):
            continue
        prepared = diff.get("prepared")
        if isinstance(prepared, str):
            lines += prepared.splitlines()
        elif isinstance(diff.get("before"), str) and isinstance(diff.get("after"), str):
            import difflib

            lines += list(
                difflib.unified_diff(
                    diff["before"].splitlines(), diff["after"].splitlines(), lineterm="", n=1
                )
            )[2:]
    if not lines:
        commands = res.get("updates") or res.get("commands")
        if isinstance(commands, list):
            lines = [f"+ {c}" for c in commands if isinstance(c, str)]
    if len(lines) > MAX_CHANGE_LINES:
        lines = [*lines[:MAX_CHANGE_LINES], f"… {len(lines) - MAX_CHANGE_LINES} more lines"]
    return tuple(lines)


@dataclass
class ResultCollector:
    """Folds one wave's events into :class:`HostResult` rows."""

    wave: int
    site_of: Mapping[str, str]  # host → site code
    secrets: tuple[str, ...] = ()
    results: dict[str, HostResult] = field(default_factory=dict)
    stats_seen: bool = False

    def __post_init__(self) -> None:
        for host, site in self.site_of.items():
            self.results[host] = HostResult(host, site, self.wave)

    def _row(self, host: str) -> HostResult:
        if host not in self.results:
            self.results[host] = HostResult(host, self.site_of.get(host, "?"), self.wave)
        return self.results[host]

    def feed(self, event: Mapping[str, Any]) -> Progress | None:
        """Take one event; return the progress line it makes, if any."""
        kind = event.get("event", "")
        data = event.get("event_data") or {}
        if kind == "playbook_on_stats":
            self._stats(data)
            return None
        host = data.get("host")
        if not isinstance(host, str) or not kind.startswith("runner_on_"):
            return None
        task = str(data.get("task") or "")
        raw = data.get("res")
        res: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
        row = self._row(host)
        row.ran = True
        if kind == "runner_on_start":
            return Progress(host, "start", task)
        if kind == "runner_on_ok":
            changed = bool(res.get("changed"))
            row.ok += 1
            row.changed += int(changed)
            if changed:
                return Progress(host, "changed", task, changes=change_lines(res))
            return Progress(host, "ok", task)
        if kind == "runner_on_skipped":
            row.skipped += 1
            return Progress(host, "skipped", task)
        if kind == "runner_on_failed":
            if data.get("ignore_errors"):
                row.ok += 1
                return Progress(host, "ok", task, detail="failed (ignored)")
            return self._failure(row, "failed", task, res)
        if kind == "runner_on_unreachable":
            return self._failure(row, "unreachable", task, res)
        return None

    def _failure(self, row: HostResult, state: str, task: str, res: Mapping[str, Any]) -> Progress:
        text = clean_error(_error_text(res), self.secrets)
        if state == "failed":
            row.failed += 1
        else:
            row.unreachable += 1
        if row.error is None:
            row.error = f"{task}: {text}" if task else text
        return Progress(row.host, state, task, detail=text)

    def _stats(self, data: Mapping[str, Any]) -> None:
        """The play recap is the authority for the counters (handlers, loops, rescues)."""
        self.stats_seen = True
        fields = {
            "ok": "ok",
            "changed": "changed",
            "failures": "failed",
            "dark": "unreachable",
            "skipped": "skipped",
        }
        for key, attr in fields.items():
            counts = data.get(key)
            if not isinstance(counts, dict):
                continue
            for host, n in counts.items():
                if isinstance(n, int):
                    row = self._row(str(host))
                    setattr(row, attr, n)
                    row.ran = True

    def fail_unfinished(self, error: str) -> None:
        """The run itself broke (syntax error, timeout, crash): every host that has no
        result yet failed with the run's error, so the stop rule sees it."""
        if self.stats_seen:
            return
        text = clean_error(error, self.secrets)
        for row in self.results.values():
            if not row.is_failure:
                row.failed = 1
                row.error = row.error or text
