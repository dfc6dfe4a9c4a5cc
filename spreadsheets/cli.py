"""``edunet import schools|hardware FILE`` and ``edunet export schools|hardware|devices``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from edunet.cli.common import EXIT_INVALID, FormatOption, InventoryOption, cannot_write
from edunet.cli.output import Format, emit, err_console
from edunet.errors import InventoryError
from edunet.load import read_files

__all__ = ["export", "import_sheet"]


EXIT_REJECTED = 1

FileArgument = Annotated[Path, typer.Argument(help="The .xlsx or .csv file.", exists=True)]
MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", help="A column of yours for a field: 'Header=field' (repeatable)."),
]
WriteOption = Annotated[
    bool, typer.Option("--write", help="Apply the good rows to the inventory (else: dry run).")
]


def _say(text: str) -> None:
    err_console.print(text, markup=False, highlight=False)


class Imported(StrEnum):
    schools = "schools"  # the Department's list: code, name, level, district, address, pupils
    hardware = "hardware"  # procurement's list: device, serial, asset tag, dates, cost …


def import_sheet(
    what: Annotated[Imported, typer.Argument(help="schools or hardware.")],
    file: FileArgument,
    inventory: InventoryOption = Path("inventory.yaml"),
    maps: MapOption = None,
    write: WriteOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Bring a spreadsheet (.xlsx or .csv) into the inventory: the Department's list of
    schools, or procurement's hardware list. A dry run unless --write; exit 1 when a row is
    rejected."""
    _import(what.value, file, inventory, maps or [], write, fmt)


def _import(
    what: str, file: Path, inventory: Path, maps: list[str], write: bool, fmt: Format
) -> None:
    from edunet.load import load
    from spreadsheets.columns import HARDWARE, SCHOOLS, ColumnError, parse_maps
    from spreadsheets.edit import Documents, apply
    from spreadsheets.hardware import apply_hardware, plan_hardware
    from spreadsheets.plan import plan_schools
    from spreadsheets.read import UnreadableFile, read

    fields, key = (SCHOOLS, "code") if what == "schools" else (HARDWARE, "device")
    try:
        sheet = read(file, fields, parse_maps(maps, fields), required=(key,))
    except (ColumnError, UnreadableFile) as e:
        _say(f"error: {e}")
        raise typer.Exit(EXIT_INVALID) from None
    files = read_files(inventory)
    try:
        inv = load(inventory, files=files)
    except InventoryError as e:
        for p in e.problems:
            _say(p.format())
        _say(f"{len(e.problems)} problem(s) in {inventory}: fix them before importing")
        raise typer.Exit(EXIT_INVALID) from None
    docs = Documents(files)
    if what == "schools":
        plan = plan_schools(inv, sheet, docs.profiles())
    else:
        plan = plan_hardware(inv, sheet)
    _report(plan, fmt)
    if write:
        from edunet.cli.changes import begin

        devices = [c.code for c in (*plan.added, *plan.changed)] if what == "hardware" else []
        counts = f"{len(plan.added)} added, {len(plan.changed)} changed"
        # who and what; the reach limits device work, not the inventory's records
        with begin(None, f"import {what} --write", devices, limit=str(file)) as change:
            if what == "schools":
                apply(docs, plan)
            else:
                apply_hardware(inv, docs, plan)
            _write(inventory, docs, files)
            change.end("ok", f"{counts}, {len(plan.rejected)} rejected", inventory)
    elif plan.added or plan.changed:
        _say("dry run: nothing written; add --write to apply the good rows")
    if plan.rejected:
        raise typer.Exit(EXIT_REJECTED)


# a terminal table lists at most this many added rows (every change and rejection is
# listed): a whole city added is reviewed in the file, -f csv or -f json lists every row
TABLE_ADDED = 100


def _report(plan: object, fmt: Format) -> None:
    from spreadsheets.plan import Plan

    assert isinstance(plan, Plan)
    rows: list[dict[str, object]] = []
    added = plan.added if fmt is not Format.table else plan.added[:TABLE_ADDED]
    for c in added:
        detail = (c.fields.get("name") or c.fields.get("serial") or (None, ""))[1]
        rows.append({"row": c.where, "result": "added", "key": c.code, "detail": detail})
    for c in plan.changed:
        detail = "; ".join(f"{f}: {old} → {new}" for f, (old, new) in c.fields.items())
        rows.append({"row": c.where, "result": "changed", "key": c.code, "detail": detail})
    for r in plan.rejected:
        detail = f"{r.column} {r.value!r}: {r.message}"
        rows.append(
            {"row": r.where, "result": "rejected", "key": r.key, "detail": detail, "fix": r.fix}
        )
    columns = ("row", "result", "key", "detail", "fix")
    if rows or fmt is not Format.table:
        emit(rows, fmt, columns=columns if plan.rejected else columns[:-1])
    if len(added) < len(plan.added):
        _say(f"… and {len(plan.added) - len(added)} more added (-f csv lists every row)")
    _say(
        f"{len(plan.added)} added, {len(plan.changed)} changed, "
        f"{len(plan.unchanged)} unchanged, {len(plan.rejected)} rejected"
    )


def _write(inventory: Path, docs: object, files: object) -> None:
    from spreadsheets.edit import Documents, write

    assert isinstance(docs, Documents) and isinstance(files, dict)
    try:
        written = write(inventory, docs, files)
    except InventoryError as e:
        for p in e.problems:
            _say(p.format())
        _say("nothing written: the inventory would not validate with these rows")
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as e:
        raise cannot_write(inventory, e) from None
    _say(f"written: {', '.join(map(str, written))}" if written else "nothing to write")


class SheetFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
]
SheetFormatOption = Annotated[
    SheetFormat | None,
    typer.Option("--format", "-f", help="xlsx or csv (default: from the file name, else csv)."),
]


class Exported(StrEnum):
    schools = "schools"  # in the columns `edunet import schools` reads
    hardware = "hardware"  # in the columns `edunet import hardware` reads
    devices = "devices"  # name, site, district, role, model, management address, serial


def export(
    what: Annotated[Exported, typer.Argument(help="schools, hardware or devices.")],
    inventory: InventoryOption = Path("inventory.yaml"),
    output: OutputOption = None,
    fmt: SheetFormatOption = None,
) -> None:
    """Write the inventory as a spreadsheet: schools and hardware in the columns
    ``edunet import`` reads, so export → edit → import is a clean round trip."""
    import sys

    from edunet import atomic, tabular
    from edunet.cli.common import load_or_exit
    from spreadsheets import write

    inv = load_or_exit(inventory)
    table = getattr(write, what.value)(inv)
    if fmt is None:
        fmt = SheetFormat.xlsx if output and output.suffix == ".xlsx" else SheetFormat.csv
    if fmt is SheetFormat.xlsx:
        data = tabular.to_xlsx(table, sheet=what.value)
    else:
        data = tabular.to_csv(table)
    if output is None:
        sys.stdout.buffer.write(data)
        return
    try:
        atomic.write_bytes(output, data)
    except OSError as e:
        raise cannot_write(output, e) from None
    _say(f"{len(table.rows)} {what.value} written to {output}")
