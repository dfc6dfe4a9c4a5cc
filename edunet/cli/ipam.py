"""``edunet ipam``: the IP plan of one site, and a check of the whole plan."""

from __future__ import annotations

from pathlib import Path

import typer

from edunet.cli.common import DEFAULT_INVENTORY, EXIT_INVALID, FormatOption, InventoryOption
from edunet.cli.lookup import site_or_exit
from edunet.cli.output import Format, emit, err_console

app = typer.Typer(
    help="The IP plan: prefixes per VLAN, management addresses, links.", no_args_is_help=True
)


@app.command()
def show(
    site: str = typer.Argument(help="Site code or name: 79760012, PGD-Q1, 'thcs le ngoc han'."),
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
) -> None:
    """Every prefix and address of one site."""
    from edunet.cli.common import load_or_exit
    from edunet.ipam_report import site_plan

    inv = load_or_exit(inventory)
    s = site_or_exit(inv, site)
    emit(site_plan(inv, s.code), fmt, f"{s.code} — {s.name} (area {s.area}, slot {s.slot})")


@app.command()
def check(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY), fmt: FormatOption = Format.table
) -> None:
    """Re-check the allocated plan (no duplicate address, no overlap) and show pool usage."""
    from edunet.cli.common import load_or_exit
    from edunet.ipam_report import check as check_plan
    from edunet.ipam_report import pool_usage

    inv = load_or_exit(inventory)
    problems = check_plan(inv)
    emit(pool_usage(inv), fmt, "Sites per IP-plan area")
    for p in problems:
        err_console.print(f"[red]error[/]: {p}")
    if problems:
        raise typer.Exit(EXIT_INVALID)
    if fmt is Format.table:
        err_console.print("[green]IP plan is sound[/]: no duplicate address, no overlapping prefix")
