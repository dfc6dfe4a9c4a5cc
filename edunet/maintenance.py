"""Change windows: planned work on some devices between two times, recorded once and read by
alerting (the silences), automation (``apply --commit`` and ``config push`` run inside one)
and the availability report (planned work is not an outage).

The windows are kept in a file of their own, never in the inventory: ``maintenance-windows.yaml``
in the working directory, as the runs, backups and API tokens are, or ``$EDUNET_MAINTENANCE_FILE``.
The file is rewritten whole and atomically under a lock, so two operators recording at once
both land. Times are stored with their offset; input without one is Ho Chi Minh City time.

The rule for changes: once a team records windows (the file exists), a change that commits is
refused on devices no open window covers, unless asked with ``--outside-window``;
``EDUNET_MAINTENANCE_REQUIRED=1`` makes it apply before the first window too.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from edunet import atomic
from edunet.model import Inventory

__all__ = [
    "DEFAULT_FILE",
    "FILE_ENV",
    "LOCAL",
    "REQUIRED_ENV",
    "Window",
    "WindowError",
    "Windows",
    "add",
    "end",
    "load",
    "local",
    "parse_time",
    "planned",
    "refusal",
    "rule_applies",
    "store_path",
    "update",
]

DEFAULT_FILE = Path("maintenance-windows.yaml")
FILE_ENV = "EDUNET_MAINTENANCE_FILE"
REQUIRED_ENV = "EDUNET_MAINTENANCE_REQUIRED"

try:
    LOCAL: dt.tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # no tz database: the city has kept UTC+7 since 1975
    LOCAL = dt.timezone(dt.timedelta(hours=7), "+07")

HEADER = (
    "# Maintenance windows, written by `edunet maintenance add|end`: edit with care.\n"
    "# Times carry their offset; `sites` and `devices` are what the selection named then.\n"
)


class WindowError(ValueError):
    """A time, a window id or the windows file that cannot be used."""


@dataclass(frozen=True, slots=True)
class Window:
    """One change window. ``sites``: every site with a device in it; ``devices``: the devices
    the selection named when it was recorded (a later inventory edit does not move it)."""

    id: str
    selection: str
    sites: tuple[str, ...]
    devices: tuple[str, ...]
    start: dt.datetime
    end: dt.datetime
    reason: str
    who: str
    ended: dt.datetime | None = None  # ended early by `edunet maintenance end`
    silences: tuple[str, ...] = ()  # Alertmanager silence ids

    @property
    def until(self) -> dt.datetime:
        """When it really stops: its end, or earlier when it was ended early."""
        return min(self.end, self.ended) if self.ended is not None else self.end

    def is_open(self, at: dt.datetime) -> bool:
        return self.start <= at < self.until

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return max(self.start, start) < min(self.until, end)

    def state(self, at: dt.datetime) -> str:
        if self.is_open(at):
            return "open"
        if at < self.start and self.until > self.start:
            return "planned"
        return "ended early" if self.ended is not None and self.ended < self.end else "over"


@dataclass(frozen=True, slots=True)
class Windows:
    """The windows of one file, in the order they were recorded."""

    windows: tuple[Window, ...] = ()

    def __iter__(self) -> Iterator[Window]:
        return iter(self.windows)

    def __len__(self) -> int:
        return len(self.windows)

    def get(self, window_id: str) -> Window:
        for w in self.windows:
            if w.id == window_id:
                return w
        known = ", ".join(w.id for w in self.windows[-5:]) or "none yet"
        raise WindowError(f"no maintenance window {window_id!r} (the last ones: {known})")

    def open_windows(self, at: dt.datetime) -> list[Window]:
        return [w for w in self.windows if w.is_open(at)]

    def covering(self, devices: Iterable[str], at: dt.datetime) -> list[Window]:
        """The windows open at ``at`` that hold any of ``devices``."""
        wanted = set(devices)
        return [w for w in self.open_windows(at) if wanted.intersection(w.devices)]

    def uncovered(self, devices: Iterable[str], at: dt.datetime) -> list[str]:
        """The devices of ``devices`` that no window open at ``at`` holds, in their order."""
        held = {d for w in self.open_windows(at) for d in w.devices}
        return [d for d in devices if d not in held]

    def planned(self, start: dt.datetime, end: dt.datetime) -> list[Window]:
        """The windows that overlap ``[start, end)`` (its planned work, per ``w.sites``)."""
        return [w for w in self.windows if w.overlaps(start, end)]


# --- times -----------------------------------------------------------------------------------

_RELATIVE = re.compile(r"^\+(\d+(?:\.\d+)?)\s*([mhd])$")
_UNIT = {"m": 60, "h": 3600, "d": 86400}


def parse_time(text: str, now: dt.datetime, base: dt.datetime | None = None) -> dt.datetime:
    """A time as people write it: ``now``; ``+90m``, ``+2h``, ``+1d`` (after ``base``, else
    now); ISO 8601 with an offset or ``Z``; or local Ho Chi Minh City time, ``2026-12-12 22:00``
    or ``22:00`` (today)."""
    s = text.strip()
    if s.lower() == "now":
        return now
    rel = _RELATIVE.match(s)
    if rel:
        return (base or now) + dt.timedelta(seconds=float(rel.group(1)) * _UNIT[rel.group(2)])
    if re.fullmatch(r"\d{1,2}:\d{2}", s):
        hour, minute = (int(p) for p in s.split(":"))
        local_now = now.astimezone(LOCAL)
        try:
            return local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        except ValueError:
            raise WindowError(f"{text!r}: no such time of day") from None
    try:
        parsed = dt.datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
    except ValueError:
        raise WindowError(
            f"{text!r}: not a time; write now, +2h, 2026-12-12 22:00 (Ho Chi Minh City time) "
            "or 2026-12-12T15:00Z"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=LOCAL)


def local(at: dt.datetime) -> str:
    """A time as the city reads it: ``2026-12-12 22:00 +07``."""
    return at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M %z")[:-2]


# --- the file --------------------------------------------------------------------------------


class _WindowIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    selection: str
    sites: list[str]
    devices: list[str]
    start: dt.datetime
    end: dt.datetime
    reason: str
    who: str
    ended: dt.datetime | None = None
    silences: list[str] = []


class _FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    windows: list[_WindowIn] = []


def store_path(given: Path | None = None) -> Path:
    """The windows file: ``given``, else ``$EDUNET_MAINTENANCE_FILE``, else the default."""
    return given or Path(os.environ.get(FILE_ENV) or DEFAULT_FILE)


def load(path: Path | None = None) -> Windows:
    """The windows recorded in ``path`` (see :func:`store_path`); none when it does not exist."""
    path = store_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Windows()
    except OSError as e:
        raise WindowError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        data = _FileIn.model_validate(yaml.safe_load(text) or {})
    except (yaml.YAMLError, ValidationError) as e:
        raise WindowError(f"{path} is not a maintenance windows file: {e}") from None
    out = []
    for w in data.windows:
        if w.start.tzinfo is None or w.end.tzinfo is None:
            raise WindowError(f"{path}: window {w.id} has a time without its offset")
        out.append(
            Window(
                w.id,
                w.selection,
                tuple(w.sites),
                tuple(w.devices),
                w.start,
                w.end,
                w.reason,
                w.who,
                w.ended,
                tuple(w.silences),
            )
        )
    return Windows(tuple(out))


def _dump(windows: Windows) -> str:
    def row(w: Window) -> dict[str, Any]:
        return {
            "id": w.id,
            "selection": w.selection,
            "start": w.start.astimezone(LOCAL).isoformat(),
            "end": w.end.astimezone(LOCAL).isoformat(),
            "reason": w.reason,
            "who": w.who,
            "ended": w.ended.astimezone(LOCAL).isoformat() if w.ended else None,
            "silences": list(w.silences),
            "sites": list(w.sites),
            "devices": list(w.devices),
        }

    body = {"windows": [row(w) for w in windows]}
    return HEADER + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer at a time: read, change and write under an exclusive lock beside the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _next_id(windows: Windows) -> str:
    numbers = [int(w.id) for w in windows if w.id.isdigit()]
    return str(max(numbers, default=0) + 1)


def add(
    inv: Inventory,
    selection: str,
    devices: Sequence[str],
    start: dt.datetime,
    end: dt.datetime,
    reason: str,
    who: str,
    now: dt.datetime,
    path: Path | None = None,
) -> Window:
    """Record a window over ``devices`` (what ``selection`` selected) and return it."""
    if end <= start:
        raise WindowError(f"the window ends ({local(end)}) before it starts ({local(start)})")
    if end <= now:
        raise WindowError(f"the window ends in the past ({local(end)}): record planned work ahead")
    if not devices:
        raise WindowError("the selection names no device")
    if not reason.strip():
        raise WindowError("give the reason: people read it in the silence and the report")
    chosen = set(devices)
    sites = tuple(code for code, s in inv.sites.items() if chosen.intersection(s.devices))
    path = store_path(path)
    with _locked(path):
        windows = load(path)
        window = Window(
            _next_id(windows),
            selection,
            sites,
            tuple(d for d in inv.devices if d in chosen),
            start,
            end,
            reason.strip(),
            who,
        )
        atomic.write_text(path, _dump(Windows((*windows.windows, window))))
    return window


def update(window: Window, path: Path | None = None, **changes: Any) -> Window:
    """Change fields of a recorded window (its silences, its early end) and return it."""
    path = store_path(path)
    with _locked(path):
        windows = load(path)
        changed = replace(windows.get(window.id), **changes)
        kept = tuple(changed if w.id == window.id else w for w in windows)
        atomic.write_text(path, _dump(Windows(kept)))
    return changed


def end(window_id: str, now: dt.datetime, path: Path | None = None) -> Window:
    """End a window now (one that has not started yet is called off)."""
    window = load(path).get(window_id)
    if window.until <= now:
        raise WindowError(f"window {window_id} is over already (since {local(window.until)})")
    return update(window, path, ended=now)


def planned(start: dt.datetime, end: dt.datetime, path: Path | None = None) -> list[Window]:
    """The recorded windows that overlap ``[start, end)``: planned work, which the availability
    report lists apart and does not count against a site (``w.sites``, ``w.start``,
    ``w.until``)."""
    return load(path).planned(start, end)


# --- the rule for changes --------------------------------------------------------------------


def rule_applies(path: Path | None = None) -> bool:
    """Changes need a window once the team records them, or when the setting says always."""
    required = os.environ.get(REQUIRED_ENV, "").strip().lower() in ("1", "true", "yes", "on")
    return required or store_path(path).exists()


def refusal(
    inv: Inventory, devices: Sequence[str], now: dt.datetime, path: Path | None = None
) -> str | None:
    """Why a change that commits on ``devices`` must not run now, or None: the devices no
    open window covers, by site."""
    if not rule_applies(path):
        return None
    try:
        missing = load(path).uncovered(devices, now)
    except WindowError as e:
        return f"{e}; fix it, or add --outside-window"
    if not missing:
        return None
    by_site: dict[str, int] = {}
    for name in missing:
        site = inv.devices[name].site if name in inv.devices else "?"
        by_site[site] = by_site.get(site, 0) + 1
    shown = [f"{site} ({n})" for site, n in list(by_site.items())[:10]]
    more = f" and {len(by_site) - 10} more" if len(by_site) > 10 else ""
    names = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
    return (
        f"no open maintenance window covers {len(missing)} of {len(devices)} devices "
        f"({names}) in {len(by_site)} site(s): {', '.join(shown)}{more}. Record a window "
        "(edunet maintenance add -l … --to … --reason …) or add --outside-window"
    )
