"""The month a report covers, in the city's own time (Asia/Ho_Chi_Minh, UTC+7 all year)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["CITY_TZ", "Month"]

CITY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        m = _MONTH.match(text.strip())
        if m is None:
            raise ValueError(f"month {text!r}: write it as YYYY-MM, e.g. 2026-11")
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=CITY_TZ)

    @property
    def end(self) -> datetime:
        return self.shift(1).start

    @property
    def seconds(self) -> int:
        return int((self.end - self.start) / timedelta(seconds=1))

    @classmethod
    def last_full(cls, now: datetime) -> Month:
        local = now.astimezone(CITY_TZ)
        return cls(local.year, local.month).shift(-1)
