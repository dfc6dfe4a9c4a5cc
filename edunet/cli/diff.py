"""``edunet diff OLD [NEW]``: what an inventory change does, for review."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edunet.cli.common import DEFAULT_INVENTORY, EXIT_INVALID, InventoryOption
from edunet.cli.output import Format, console, emit, err_console

if TYPE_CHECKING:
    from edunet.diff import Diff
    from edunet.model import Inventory


class DiffFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def _load(spec: str, inventory: Path) -> tuple[str, Inventory]:
    """A file or a directory when one is there; else a git revision (``HEAD~1``, ``main``,
    a commit), whose inventory is at ``-i``'s path, or ``REV:path``."""
    from edunet.cli.common import load_or_exit
    from edunet.diff.revisions import RevisionError, in_repository

    if Path(spec).exists():
        return spec, load_or_exit(Path(spec))
    rev, colon, path = spec.partition(":")
    try:
        label, files = in_repository(rev, Path(path) if colon and path else inventory)
    except RevisionError as e:
        err_console.print(f"error: {e}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    return label, load_or_exit(Path(label), files)


def diff(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="File, directory or git revision (HEAD~1, main).")
    ],
    new: Annotated[
        str | None,
        typer.Argument(
            metavar="NEW", help="File, directory or git revision (default: the inventory, -i)."
        ),
    ] = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.table,
) -> None:
    """What a change does: sites, devices, links, applications and VMs added, removed or
    changed; addresses that moved; single points of failure; schools' paths to the data
    center. Exit 1 when there is a difference, 0 when none, 2 on an invalid inventory."""
    from edunet.cli.common import load_or_exit
    from edunet.diff import diff as compare
    from edunet.diff import report

    old_label, before = _load(old, inventory)
    if new is None:  # the working tree's inventory
        new_label, after = str(inventory), load_or_exit(inventory)
    else:
        new_label, after = _load(new, inventory)
    d = compare(before, after, old_label, new_label)
    if fmt is DiffFormat.json:
        sys.stdout.write(json.dumps(report.to_json(d), ensure_ascii=False, indent=2) + "\n")
    elif fmt is DiffFormat.markdown:
        sys.stdout.write(report.markdown(d) + "\n")
    else:
        _tables(d)
    raise typer.Exit(1 if d.different else 0)


def _tables(d: Diff) -> None:
    from edunet.diff import report

    console.print(f"{d.old} → {d.new}: {report.headline(d)}", markup=False, highlight=False)
    if not d.different:
        return
    rows = []
    for c in d.changes:
        if c.status != "changed":  # what it is, in a few of its fields, on its side
            what = report.describe(c)
            old, new = ("", what) if c.status == "added" else (what, "")
            row = {"change": c.status, "kind": c.kind, "key": c.key, "field": ""}
            rows.append({**row, "old": old, "new": new})
            continue
        for f in c.fields:
            rows.append(
                {
                    "change": c.status,
                    "kind": c.kind,
                    "key": c.key,
                    "field": f.field,
                    "old": report.text(f.old),
                    "new": report.text(f.new),
                }
            )
    emit(rows, Format.table, "Changes")
    doc = report.to_json(d)
    moved = [a for a in doc["addresses"] if a["movement"] == "moved"]
    if moved:
        emit(
            moved,
            Format.table,
            "Addresses and prefixes moved",
            ("kind", "key", "field", "old", "new"),
        )
    else:
        console.print(report.NO_MOVE)
    others = [{**a, "address": a["new"] or a["old"]} for a in doc["addresses"] if a not in moved]
    if others:
        columns = ("kind", "key", "field", "address", "movement")
        emit(others, Format.table, "Addresses and prefixes added or freed", columns)
    topology = doc["topology"]
    if not topology["checked"]:
        console.print("Topology unchanged: no device, link or site added, removed or re-wired.")
        return
    if topology["spof"]:
        emit(topology["spof"], Format.table, "Single points of failure")
    else:
        console.print("No single point of failure added or removed.")
    if topology["paths"]:
        rows = [
            {**p, "old": (p["old"] or ["none"])[0], "new": (p["new"] or ["none"])[0]}
            for p in topology["paths"]
        ]
        columns = ("site", "old", "new", "old_hops", "new_hops")
        emit(rows, Format.table, "Paths to the data center", columns)
    else:
        console.print("No school's path to the data center changed.")
