"""A spreadsheet's rows, by field: ``.xlsx`` through openpyxl, ``.csv`` in whatever encoding an
office program wrote it (or a clear refusal).

The header row is found (a title above it is skipped), merged cells give their value to every
cell they cover, formulas give their cached value, and blank rows are left out."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from spreadsheets.columns import ColumnError, header_score, match_headers

__all__ = ["Row", "Sheet", "UnreadableFile", "read"]

HEADER_SEARCH = 20  # a title block above the header is a few rows, never more than this


class UnreadableFile(ValueError):
    """A file that is not a spreadsheet this import can read; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Row:
    where: str  # "Trường!7": the sheet and the row number as the spreadsheet shows them
    cells: Mapping[str, object]  # field -> the cell's value (str, int, float, datetime, None)


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    headers: Mapping[str, str]  # field -> the header as written, to name a rejected column
    rows: tuple[Row, ...]


def read(
    path: Path,
    fields: Mapping[str, tuple[str, ...]],
    maps: Mapping[str, str],
    required: tuple[str, ...] = (),
) -> Sheet:
    """The first sheet with a header row; :class:`ColumnError` when it lacks a ``required``
    column, :class:`UnreadableFile` when the file cannot be read."""
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm"):
        grids = _xlsx(path)
    elif suffix in (".csv", ".txt"):
        grids = [(path.stem, _csv(path.read_bytes()))]
    else:
        raise UnreadableFile(
            f"{path.name}: not a .xlsx or .csv file; save it from Excel as "
            "'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
        )
    for name, grid in grids:
        sheet = _sheet(name, grid, fields, maps)
        if sheet is None:
            continue
        for f in required:
            if f not in sheet.headers:
                raise ColumnError(
                    f"{path.name}: sheet {name!r} has no column for {f} ({fields[f][0]}); "
                    f"name it so or map yours with --map 'Header={f}'"
                )
        return sheet
    want = ", ".join(names[0] for names in fields.values())
    raise ColumnError(
        f"{path.name}: no header row in the first {HEADER_SEARCH} rows of any sheet; "
        f"name the columns ({want}) or map yours with --map 'Header=field'"
    )


def _sheet(
    name: str,
    grid: list[list[object]],
    fields: Mapping[str, tuple[str, ...]],
    maps: Mapping[str, str],
) -> Sheet | None:
    for i, row in enumerate(grid[:HEADER_SEARCH]):
        headers = ["" if c is None else " ".join(str(c).split()) for c in row]
        if header_score(headers, fields, maps) < 2:
            continue
        columns = match_headers(headers, fields, maps)
        rows = []
        for n, cells in enumerate(grid[i + 1 :], start=i + 2):
            by_field = {f: cells[c] if c < len(cells) else None for c, f in columns.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in by_field.values()):
                continue  # a blank row, often many at the end of a sheet
            rows.append(Row(f"{name}!{n}", by_field))
        return Sheet(name, {f: headers[c] for c, f in columns.items()}, tuple(rows))
    return None


_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _xlsx(path: Path) -> list[tuple[str, list[list[object]]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.cell import range_boundaries

    # read_only streams the sheet (twice as fast for a city's list); data_only gives a
    # formula's value as Excel last computed it, never the formula text
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile(f"{path.name}: not a readable .xlsx workbook ({e})") from None
    out = []
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # some programs write a wrong <dimension>: read every row
            grid = [[_clean(c) for c in row] for row in ws.iter_rows(values_only=True)]
            # a read-only sheet does not parse its merged cells: they are read from its XML,
            # and each gives its value to every cell it covers
            with ws._get_source() as src:
                merged = _MERGED.findall(src.read())
            for ref in merged:
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
                if min_row > len(grid):
                    continue
                value = (
                    grid[min_row - 1][min_col - 1] if min_col <= len(grid[min_row - 1]) else None
                )
                for r in range(min_row - 1, min(max_row, len(grid))):
                    for c in range(min_col - 1, min(max_col, len(grid[r]))):
                        grid[r][c] = value
            out.append((ws.title, grid))
    finally:
        wb.close()
    return out


def _clean(value: object) -> object:
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value)  # Vietnamese typed as letters + marks
        # an export writes "'=…" so a spreadsheet shows it as text: the quote is not data
        if text[:2] in ("'=", "'+", "'-", "'@"):
            text = text[1:]
        return text
    return value


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # Excel's "Unicode Text"
    if len(data) > 1 and data[1::2].count(0) > len(data) // 4:
        return data.decode("utf-16-le")  # UTF-16 without its byte-order mark
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")  # Windows' Vietnamese code page, from older Excel
    except UnicodeDecodeError:
        raise UnreadableFile(
            "the file is neither UTF-8, UTF-16 nor Windows-1258 text; "
            "save it from Excel as 'CSV UTF-8 (Comma delimited)'"
        ) from None


def _csv(data: bytes) -> list[list[object]]:
    text = _decode(data)
    # Excel writes ";" where the decimal mark is ",", as in Vietnamese settings; the
    # separator is the one the first lines use most (csv.Sniffer gives up on short files)
    head = "\n".join(text.splitlines()[:HEADER_SEARCH])
    delimiter = max(",;\t", key=head.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[_clean(c) if c.strip() else None for c in row] for row in reader]
