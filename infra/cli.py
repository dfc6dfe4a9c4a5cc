"""``edunet infra plan``: what the data-center program declares, offline, and what changes.

The real Pulumi program runs under Pulumi's mocks: no cluster, no CLI, no state. The
listing is an offline plan, not a Proxmox preview (``pulumi preview`` is that).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edunet.cli.common import DEFAULT_INVENTORY, FormatOption, InventoryOption, load_or_exit
from edunet.cli.output import Format, emit, err_console

if TYPE_CHECKING:
    from infra.plan import Change

app = typer.Typer(
    help="The data center on Proxmox VE (Pulumi program in infra/).", no_args_is_help=True
)


# words, not signs, in a spreadsheet: a cell starting with "+" or "-" would read as a formula
CHANGES = {"+": "added", "~": "changed", "-": "removed"}


def _cell(value: Any) -> str:
    if isinstance(value, list):
        sep = "; " if any(" " in str(v) for v in value) else ","  # rules read as phrases
        return sep.join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}:{_cell(v)}" for k, v in value.items())
    return str(value)


def _props(props: dict[str, Any]) -> str:
    return " ".join(f"{k}={_cell(v)}" for k, v in props.items())


def _change(c: Change) -> str:
    if c.sign == "~":
        body = " ".join(f"{k}: {_cell(o)} → {_cell(n)}" for k, (o, n) in c.props.items())
    else:
        body = _props(c.props)
    return f"{c.sign} {c.resource}  {body}"


@app.command()
def plan(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
    write: Annotated[
        bool, typer.Option("--write", help="Write the plan file (commit it).")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when the plan differs from the plan file.")
    ] = False,
    plan_file: Annotated[
        Path | None,
        typer.Option("--plan-file", help="Plan to compare with; default infra/plan.json."),
    ] = None,
) -> None:
    """List what the data-center program declares for the inventory (VMs, firewall rules,
    backups, SDN, HA, access) and the difference against the committed plan. CSV is one
    table: a resource a row, with its change against the plan file (added, changed, removed,
    or empty)."""
    try:
        from infra import offline
        from infra import plan as plans
    except ImportError as e:
        err_console.print(f"[red]error[/]: {e.name} is missing: pip install -e '.[infra]'")
        raise typer.Exit(2) from None
    inv = load_or_exit(inventory)
    target = plan_file or plans.COMMITTED
    shown = os.path.relpath(target) if target.is_absolute() else str(target)
    current = plans.entries(offline.run(inv))
    before = plans.read(target) if target.exists() else {}
    changes = plans.diff(before, current)
    if fmt is Format.csv:
        emit(_rows(current, changes), fmt)
    elif fmt is Format.json:
        doc = {
            "kind": plans.LABEL,
            "inventory": str(inventory),
            "counts": plans.counts(current),
            "resources": current,
            "difference": [
                {"change": c.sign, "resource": c.resource, "properties": c.props} for c in changes
            ],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        typer.echo(f"{plans.LABEL}: {inventory}")
        _listing(current)
        counts = ", ".join(f"{n} {k}" for k, n in plans.counts(current).items())
        typer.echo(f"{plans.LABEL}: {len(current)} resources ({counts})")
        if not target.exists():
            typer.echo(f"no plan file {shown}: everything is new")
        typer.echo(f"difference against {shown}: {_summary(changes)}")
        for c in changes:
            typer.echo(_change(c))
    if write:
        plans.write(current, target)
        err_console.print(f"wrote {shown}", markup=False, highlight=False)
    if check and changes and not write:
        err_console.print(f"[red]the plan differs from {shown}[/]: edunet infra plan --write")
        raise typer.Exit(1)


def _rows(current: dict[str, dict[str, Any]], changes: list[Change]) -> list[dict[str, Any]]:
    """The plan as one table: every resource declared now, then those the plan file has and
    the program no longer declares."""
    sign = {c.resource: CHANGES[c.sign] for c in changes}
    rows = [_row(key, sign.get(key, ""), props) for key, props in current.items()]
    rows += [_row(c.resource, CHANGES[c.sign], c.props) for c in changes if c.sign == "-"]
    return rows


def _row(key: str, change: str, props: dict[str, Any]) -> dict[str, Any]:
    kind, name = key.split("/", 1)
    return {"type": kind, "name": name, "change": change, "properties": _props(props)}


def _listing(current: dict[str, dict[str, Any]]) -> None:
    """Resources grouped by type, a line each: the name, then its key properties. Plain
    lines rather than a table: a VM's properties are longer than a terminal is wide."""
    by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key, props in current.items():
        kind, name = key.split("/", 1)
        by_type.setdefault(kind, []).append((name, props))
    for kind, items in by_type.items():
        typer.echo(f"\n{kind} ({len(items)})")
        width = max(len(name) for name, _ in items)
        for name, props in items:
            typer.echo(f"  {name:<{width}}  {_props(props)}")
    typer.echo("")


def _summary(changes: list[Change]) -> str:
    if not changes:
        return "no change"
    n = {s: sum(c.sign == s for c in changes) for s in "+-~"}
    return f"{n['+']} to add, {n['~']} to change, {n['-']} to remove"
