"""Planned maintenance as the report takes it: the sites a window covers and when.

Time inside a window is neither up nor down for the sites it covers: it leaves the
availability's denominator, and what went down then is listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Planned"]


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
