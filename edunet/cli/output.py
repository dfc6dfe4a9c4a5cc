"""Tabular output in the three formats every listing command offers."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from enum import Enum, StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from edunet.tabular import csv_text


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


Row = dict[str, Any]

# Off a terminal rich would wrap at 80 columns and cut addresses; keep lines whole there.
console = Console(width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)

PROSE = {"name", "note", "route", "address_line", "description"}  # may wrap


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def emit(rows: Sequence[Row], fmt: Format, title: str = "", columns: Sequence[str] = ()) -> None:
    """Print rows as a rich table, a JSON array, or CSV with a header line."""
    cols = list(columns) or (list(rows[0]) if rows else [])
    if fmt is Format.json:
        data = [{c: _plain(r.get(c)) for c in cols} for r in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([_csv_cell(r.get(c)) for c in cols])
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=title or None, title_justify="left")
    for c in cols:
        numeric = bool(rows) and all(isinstance(r.get(c), int | float) for r in rows)
        table.add_column(
            c, justify="right" if numeric else "left", no_wrap=c not in PROSE, overflow="fold"
        )
    for r in rows:
        # cells are data, never markup: "[x]" in a name must print as it is
        table.add_row(*(Text(_cell(r.get(c))) for c in cols))
    console.print(table)


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _csv_cell(value: Any) -> str:
    """Numbers stay numbers (``-5`` is not a formula); text is made spreadsheet-safe."""
    text = _cell(value)
    if isinstance(_plain(value), bool | int | float):
        return text
    return csv_text(text)


def emit_object(obj: dict[str, Any], fmt: Format, title: str = "") -> None:
    """A single record: key/value table, or one JSON object."""
    if fmt is Format.json:
        sys.stdout.write(
            json.dumps({k: _plain(v) for k, v in obj.items()}, ensure_ascii=False, indent=2) + "\n"
        )
        return
    emit([{"field": k, "value": v} for k, v in obj.items()], fmt, title)
