"""Planned maintenance as the report takes it: the sites a window covers and when.

Time inside a window is neither up nor down for the sites it covers: it leaves the
availability's denominator, and what went down then is listed apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from edunet import maintenance

__all__ = ["Planned", "recorded"]


@dataclass(frozen=True, slots=True)
class Planned:
    sites: frozenset[str]  # site codes (a district office's window covers what it cuts)
    start: datetime
    end: datetime
    reason: str

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a maintenance window's start and end carry a time zone")
        if self.end <= self.start:
            raise ValueError(f"maintenance {self.reason!r} ends before it starts")


def recorded(start: datetime, end: datetime, path: Path | None = None) -> list[Planned]:
    """The windows `edunet maintenance` recorded that overlap ``[start, end)``, as the report
    takes them (a window ended early counts until it ended)."""
    return list(_planned(maintenance.planned(start, end, path)))


def _planned(windows: Iterable[maintenance.Window]) -> Iterable[Planned]:
    for w in windows:
        if w.until > w.start:
            yield Planned(frozenset(w.sites), w.start, w.until, w.reason)
