"""Tabular output in the three formats every listing command offers.

A table prints as a rich table for people, a JSON array, or CSV as the API writes it (one
spelling, :func:`edunet.tabular.to_csv`): UTF-8 with a byte-order mark so Excel reads
Vietnamese, raw numbers, formula-safe text, one table per output. A command with several
tables uses :func:`emit_tables`: all of them for people and in one JSON document, the one
``--table`` names in CSV.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from enum import Enum, StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from edunet import tabular


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
        cells = tuple(tuple(_csv_cell(r.get(c)) for c in cols) for r in rows)
        _write_bytes(tabular.to_csv(tabular.Table(tuple(cols), cells)))
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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _csv_cell(value: Any) -> tabular.Cell:
    """Numbers stay raw numbers (``146262``, never ``146,262``); lists are joined; text is
    made spreadsheet-safe by :func:`edunet.tabular.to_csv`."""
    value = _plain(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return _cell(value)


def _write_bytes(data: bytes) -> None:
    sys.stdout.flush()  # whatever was printed as text comes first
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def emit_object(obj: dict[str, Any], fmt: Format, title: str = "") -> None:
    """A single record: key/value table, or one JSON object."""
    if fmt is Format.json:
        sys.stdout.write(
            json.dumps({k: _plain(v) for k, v in obj.items()}, ensure_ascii=False, indent=2) + "\n"
        )
        return
    emit([{"field": k, "value": v} for k, v in obj.items()], fmt, title)


TableOption = Annotated[
    str | None,
    typer.Option(
        "--table",
        "-t",
        help="Which table to print (CSV holds one; the table and JSON formats hold all).",
        show_default=False,
    ),
]


def emit_tables(
    tables: Mapping[str, Sequence[Row] | Row],
    fmt: Format,
    chosen: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> None:
    """Several tables of one answer: each under its title for people, one JSON object of
    name → table, and in CSV the table ``chosen`` names (default: the first), since a CSV
    file holds one table. A table is rows, or one record (a mapping) that prints as field
    and value and stays an object in JSON. An unknown name exits 2 with the names there are.
    """
    if chosen is not None and chosen not in tables:
        err_console.print(
            f"error: no table {chosen!r}; the tables are {', '.join(tables)}",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(2)
    if fmt is Format.json and chosen is None:
        doc = {name: _plain(_json_table(t)) for name, t in tables.items()}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is not Format.table or chosen is not None:
        name = chosen if chosen is not None else next(iter(tables))
        emit(_rows(tables[name]), fmt, (titles or {}).get(name, name))
        return
    for name, t in tables.items():
        emit(_rows(t), fmt, (titles or {}).get(name, name))


def _rows(t: Sequence[Row] | Row) -> Sequence[Row]:
    if isinstance(t, Mapping):
        return [{"field": k, "value": v} for k, v in t.items()]
    return t


def _json_table(t: Sequence[Row] | Row) -> Any:
    return dict(t) if isinstance(t, Mapping) else [dict(r) for r in t]
