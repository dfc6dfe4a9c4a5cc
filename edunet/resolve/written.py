"""Numbers and dates as office tools write them: thousands separators, units, decimal commas,
Excel serial dates, day-first dates. Each is refused with the text as written and, as the
fix, the value to write instead."""

from __future__ import annotations

import datetime as dt
import re

from edunet.schema import DAY_FIRST

# 2.000 / 25.000.000 / 1,234 / 1 234 (a space, a no-break or a narrow no-break space) / 1'234
THOUSANDS = re.compile(r"^[0-9]{1,3}(?P<sep>[., \u00a0\u202f'])[0-9]{3}(?:(?P=sep)[0-9]{3})*$")
WITH_UNIT = re.compile(r"^(?P<number>[0-9][0-9., \u00a0\u202f]*?)\s*(?P<unit>[^\d\s.,]\D*)$")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts a 29 Feb 1900)
EXCEL_LAST = 2_958_465  # 9999-12-31

KINDS = frozenset(
    {
        "whole_number",
        "whole_number_from_bool",
        "int_parsing",
        "float_parsing",
        "date_serial",
        "date_day_first",
    }
)


def _digits(text: str) -> str | None:
    """The number a thousands-grouped text means, or None."""
    return re.sub(r"\D", "", text) if THOUSANDS.match(text) else None


def written_problem(kind: str, given: object, written: str, field: str) -> tuple[str, str] | None:
    """(what is wrong, the fix) for a number or date written the office way, or None when
    the generic message fits better. ``written`` is the value's text in the file."""
    text = written or str(given)
    if kind == "whole_number":
        number = _digits(text)
        if number is not None:
            return f"{text} is not a whole number", f"write {number} (no thousands separator)"
        return f"{text} is not a whole number", f"'{field}' takes a whole number"
    if kind == "whole_number_from_bool":
        return f"{text} is read as yes/no, not a number", f"write '{field}' as a whole number"
    if kind == "date_serial" and isinstance(given, int | float):
        if 1900 <= given <= 2100:
            return f"{text} is a year, not a date", "write the whole date, YYYY-MM-DD"
        if 1 <= given <= EXCEL_LAST and given == int(given):
            day = EXCEL_EPOCH + dt.timedelta(days=int(given))
            return (
                f"{text} looks like an Excel serial date",
                f"write {day.isoformat()} (dates are YYYY-MM-DD; format the cell as text)",
            )
        return f"{text} is a number, not a date", "write dates as YYYY-MM-DD"
    if not isinstance(given, str):
        return None
    value = given.strip()
    if kind == "date_day_first":
        return f"{given!r} is not a YYYY-MM-DD date", _day_first_fix(value)
    if kind == "int_parsing":
        number = _digits(value)
        if number is not None:
            return f"{given!r} has a thousands separator", f"write {number} (no separator)"
        m = WITH_UNIT.match(value)
        if m is not None:
            n = _digits(m["number"].strip()) or m["number"].strip()
            if n.isdigit():
                return (
                    f"{given!r} is not a number",
                    f"write {n}: a whole number alone, without {m['unit']!r}",
                )
        return None
    if kind == "float_parsing":
        if re.fullmatch(r"[0-9]+,[0-9]+", value):
            return f"{given!r} has a decimal comma", f"write {value.replace(',', '.')}"
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*%", value):
            return f"{given!r} is not a number", f"write {value.rstrip('% ')} (no % sign)"
    return None


def _day_first_fix(value: str) -> str:
    m = DAY_FIRST.match(value)
    assert m is not None  # the schema raised date_day_first for this reason
    day, month, year = int(m["day"]), int(m["month"]), int(m["year"])
    try:
        iso = dt.date(year, month, day).isoformat()
    except ValueError:
        try:  # month first, as a US-English spreadsheet writes it
            return f"write {dt.date(year, day, month).isoformat()} (dates are YYYY-MM-DD)"
        except ValueError:
            return "write dates as YYYY-MM-DD (this day does not exist)"
    if day <= 12 and day != month:
        return f"write {iso} if it means day {day} of month {month} (dates are YYYY-MM-DD)"
    return f"write {iso} (dates are YYYY-MM-DD)"
