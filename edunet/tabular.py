"""Lists of rows as spreadsheet files: CSV for scripts, XLSX for people.

A :class:`Table` is a header and rows of plain cells. Build one from dataclass instances or
mappings with :func:`table`, then write it with :func:`to_csv` or :func:`to_xlsx`; both
return bytes, so a web response or a file write is the caller's choice.

Every CSV the project writes passes its text cells through :func:`csv_text`, so that a name
like ``=HYPERLINK(...)`` opens in a spreadsheet as text, never as a formula.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

__all__ = ["MEDIA_TYPES", "Cell", "Table", "csv_text", "table", "to_csv", "to_xlsx"]

Cell = str | int | float | bool | dt.date | None

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Money columns end in _vnd: whole dong, shown with thousands separators.
MONEY_SUFFIX = "_vnd"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 200  # rows looked at to size a column; enough for a report, bounded for a city

# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that is only a number ("-5", "+84.5") is read as that number, never as a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _cell(value: object) -> Cell:
    if isinstance(value, Enum):
        return str(value.value)
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    return str(value)  # addresses, networks: their usual text


def _as_mapping(item: object) -> Mapping[str, object]:
    if isinstance(item, Mapping):
        return item
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    raise TypeError(f"cannot make a table row of {type(item).__name__}")


def table(items: Iterable[object], columns: Sequence[str] | None = None) -> Table:
    """Rows of dataclass instances or mappings; ``columns`` picks and orders the fields
    (default: the first item's fields, or none for an empty list)."""
    maps = [_as_mapping(i) for i in items]
    if columns is None:
        columns = list(maps[0]) if maps else []
    for m in maps[:1]:
        unknown = [c for c in columns if c not in m]
        if unknown:
            raise KeyError(f"unknown column(s): {', '.join(unknown)}")
    return Table(
        columns=tuple(columns),
        rows=tuple(tuple(_cell(m.get(c)) for c in columns) for m in maps),
    )


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_text(text: str) -> str:
    """A text cell made safe for a spreadsheet: one that would start a formula gets a
    leading single quote, which Excel and LibreOffice show as text. Numbers are not text:
    write them as ``int``/``float`` cells and they pass unchanged."""
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(tab: Table) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel reads Vietnamese as mojibake."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(tab.columns)
    for row in tab.rows:
        writer.writerow([csv_text(v) if isinstance(v, str) else _text(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _widths(tab: Table) -> list[int]:
    widths = [len(c) for c in tab.columns]
    for row in tab.rows[:WIDTH_SAMPLE]:
        for i, v in enumerate(row):
            n = len(_text(v)) + (len(_text(v)) // 3 if isinstance(v, int) else 0)
            widths[i] = max(widths[i], n)
    return [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths]


def to_xlsx(tab: Table, *, sheet: str = "data") -> bytes:
    """One sheet: a bold, frozen header row, sized columns, dates as dates and money as
    whole numbers with a thousands format."""
    # Imported here: only exports need openpyxl, and it is slow to import.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet[:31])  # Excel's limit on sheet names
    for i, width in enumerate(_widths(tab), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in tab.columns:
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        header.append(c)
    ws.append(header)
    money = [c.endswith(MONEY_SUFFIX) for c in tab.columns]
    # a styled cell object only where one is needed: most cells go in as plain values
    for row in tab.rows:
        cells: list[object] = []
        for i, v in enumerate(row):
            if isinstance(v, str) and v.startswith("="):
                c = WriteOnlyCell(ws, value=v)
                c.data_type = "s"  # text from the inventory is never a formula
            elif isinstance(v, dt.date):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = DATE_FORMAT
            elif money[i] and isinstance(v, int) and not isinstance(v, bool):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = MONEY_FORMAT
            else:
                cells.append(v)
                continue
            cells.append(c)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
