"""Cells as office files bring them, turned into the inventory's values.

Each reader returns the value or raises :class:`Bad` naming the fix: a count written
``1.234`` or ``1,234``, a code Excel turned into a number, a date as ``dd/mm/yyyy`` or as an
Excel serial, a level or a district as people write them."""

from __future__ import annotations

import datetime as dt
import re

from edunet.model import Inventory
from edunet.select import NotFound, fold, lookup

__all__ = ["LEVELS", "Bad", "code", "date", "district", "level", "text", "whole"]

Raw = object  # what openpyxl or the CSV reader gives: str, int, float, datetime or None


class Bad(ValueError):
    """A cell that cannot be read; ``fix`` says what to write instead."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


def text(value: Raw) -> str:
    """The cell as text, whole numbers without ``.0``; ``""`` for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return " ".join(str(value).split())


def code(value: Raw) -> str:
    """A school code: text, never a number (``"079…"`` keeps its zero when typed as text)."""
    return text(value).upper()


_THOUSANDS = re.compile(r"^[0-9]{1,3}([.,  ][0-9]{3})+$")


def whole(value: Raw) -> int:
    """A count or an amount: ``1234``, ``1.234``, ``1,234``, ``1 234`` or ``1.234 đ``."""
    if isinstance(value, bool):
        raise Bad(f"{value} is not a number", "write a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise Bad(f"{value} is not a whole number", "write a whole number")
    t = text(value)
    for unit in ("vnd", "vnđ", "đ", "d", "mbps"):
        if t.casefold().endswith(unit):
            t = t[: -len(unit)].strip()
            break
    if t.isdigit():
        return int(t)
    if _THOUSANDS.match(t):
        return int(re.sub(r"[.,  ]", "", t))
    raise Bad(f"{text(value)!r} is not a whole number", "write a whole number such as 1234")


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
_DAY_FIRST = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
_YEAR_FIRST = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")


def date(value: Raw) -> dt.date:
    """``dd/mm/yyyy`` (as written in Vietnam), ``yyyy-mm-dd``, a date cell or an Excel serial."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    t = text(value)
    try:
        if m := _DAY_FIRST.match(t):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := _YEAR_FIRST.match(t):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise Bad(f"{t!r} is not a date", "write the date as dd/mm/yyyy, e.g. 31/12/2024")


# folded spelling -> level, the inventory's values included
LEVELS: dict[str, str] = {
    "mam non": "mam_non",
    "mn": "mam_non",
    "truong mam non": "mam_non",
    "tieu hoc": "tieu_hoc",
    "th": "tieu_hoc",
    "truong tieu hoc": "tieu_hoc",
    "thcs": "thcs",
    "trung hoc co so": "thcs",
    "truong thcs": "thcs",
    "thpt": "thpt",
    "trung hoc pho thong": "thpt",
    "truong thpt": "thpt",
    "lien cap": "lien_cap",
    "nhieu cap hoc": "lien_cap",
    "gdtx": "gdtx",
    "giao duc thuong xuyen": "gdtx",
    "trung tam gdtx": "gdtx",
    "chuyen biet": "chuyen_biet",
    "giao duc chuyen biet": "chuyen_biet",
}


def level(value: Raw) -> str:
    """``"THCS"``, ``"Trung học cơ sở"`` or ``"thcs"`` → ``thcs``."""
    t = text(value)
    found = LEVELS.get(fold(t))
    if found is None:
        raise Bad(
            f"{t!r} is not a school level",
            "write one of Mầm non, Tiểu học, THCS, THPT, Liên cấp, GDTX, Chuyên biệt",
        )
    return found


_NUMBERED = re.compile(r"^(?:q|quan)\s*\.?\s*([0-9]{1,2})$")
_ABBREVIATED = re.compile(r"^(?:q|h|tp)\.\s*(.+)$")


def district(value: Raw, inv: Inventory) -> str:
    """The district code of ``"Q.1"``, ``"Quận 1"``, ``"Huyện Củ Chi"``, ``"760"`` or ``"q1"``."""
    t = text(value)
    key = t
    folded = fold(t)
    if m := _NUMBERED.match(folded):
        key = f"Quận {int(m[1])}"  # "Q.1" and "Quan 1": by name, never by IP-plan area number
    elif m := _ABBREVIATED.match(folded):
        key = m[1]  # "H. Củ Chi", "Q. Gò Vấp"
    elif t.isdigit() and len(t) <= 2:
        key = f"Quận {int(t)}"
    try:
        return lookup(inv, "district", key)
    except NotFound as e:
        raise Bad(f"no district {t!r}{e.hint}", "write the district's name or code") from None
