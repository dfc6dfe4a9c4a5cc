"""The ``edunet`` command: parses arguments, calls one function per command, prints.

Units register their own sub-commands here as they land; each import is lazy so that
``edunet validate`` never pays for FastAPI, pysnmp or Pulumi.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from edunet.cli.output import Format, emit, emit_object, err_console
from edunet.errors import InventoryError
from edunet.model import Inventory

app = typer.Typer(
    name="edunet",
    help="Infrastructure as code and network monitoring for the Ho Chi Minh City "
    "education network. Everything starts from the inventory (inventory.yaml).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

DEFAULT_INVENTORY = "inventory.yaml"
EXIT_INVALID = 2

InventoryOption = Annotated[
    Path,
    typer.Option(
        "--inventory",
        "-i",
        envvar="EDUNET_INVENTORY",
        help="Inventory file, or a directory of YAML files merged in name order.",
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def load_or_exit(path: Path) -> Inventory:
    """Load with a spinner on a terminal; print every problem and exit 2 on bad input."""
    from edunet.load import load

    try:
        if err_console.is_terminal:
            with err_console.status(f"loading {path} …", spinner="dots"):
                return load(path)
        return load(path)
    except InventoryError as e:
        for p in e.problems:
            err_console.print(p.format(), markup=False, highlight=False)
        n = len(e.problems)
        err_console.print(f"[bold red]{n} problem{'s' if n != 1 else ''}[/] in {path}")
        raise typer.Exit(EXIT_INVALID) from None


@app.command()
def validate(
    path: Annotated[
        Path, typer.Argument(help="Inventory file or directory.", envvar="EDUNET_INVENTORY")
    ] = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
) -> None:
    """Check the inventory: schema, references, IP plan. Exit 2 with every problem listed."""
    from edunet import summary

    inv = load_or_exit(path)
    if fmt is Format.json:
        emit_object(
            {
                "valid": True,
                "totals": summary.totals(inv),
                "districts": summary.by_district(inv),
                "levels": summary.by_level(inv),
                "roles": summary.by_role(inv),
            },
            fmt,
        )
        return
    emit(summary.by_district(inv), fmt, "Theo quận/huyện (by district)")
    emit(summary.by_level(inv), fmt, "Theo cấp học (by school level)")
    emit(summary.by_role(inv), fmt, "Thiết bị theo vai trò (devices by role)")
    if fmt is Format.table:
        t = summary.totals(inv)
        label = " [yellow](sample data)[/]" if inv.sample else ""
        err_console.print(
            f"[green]valid[/]{label}: {t['sites']:,} sites, {t['schools']:,} schools, "
            f"{t['devices']:,} devices, {t['links']:,} links, {t['applications']} applications"
        )


@app.command()
def summary(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY), fmt: FormatOption = Format.table
) -> None:
    """The city at a glance: sites, schools, pupils, devices, links, hardware value."""
    from edunet import summary as s

    inv = load_or_exit(inventory)
    emit_object(s.totals(inv), fmt, "edunet — " + inv.city.name)
    if fmt is Format.table:
        emit(s.by_level(inv), fmt, "Theo cấp học (by school level)")
        emit(s.by_role(inv), fmt, "Thiết bị theo vai trò (devices by role)")


@app.command()
def sample(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")] = Path(
        "sample-city.yaml"
    ),
    schools: Annotated[
        int, typer.Option(min=0, help="Number of schools (at most 999 a district).")
    ] = 1930,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same city.")] = 2014,
) -> None:
    """Write a generated city (sample data) that validates clean; for benchmarks and scale tests."""
    from edunet import sample as generator

    if schools > generator.MAX_SCHOOLS:
        err_console.print(
            f"[red]error[/]: at most {generator.MAX_SCHOOLS:,} schools (999 per district: "
            "a school's serial is its IP-plan slot)"
        )
        raise typer.Exit(EXIT_INVALID)
    if err_console.is_terminal:
        with err_console.status(f"generating {schools:,} schools …", spinner="dots"):
            generator.write(output, schools, seed)
    else:
        generator.write(output, schools, seed)
    err_console.print(f"wrote {output} ({schools:,} schools, seed {seed})")


def _register() -> None:
    # lab_faults adds `lab fault` to the lab's commands
    from edunet.cli import (  # noqa: F401
        api,
        apply,
        config,
        exporters,
        infra,
        ipam,
        lab,
        lab_faults,
        monitors,
        render,
        topology,
    )

    app.add_typer(ipam.app, name="ipam")
    app.add_typer(topology.app, name="topology")
    app.add_typer(lab.app, name="lab")
    app.add_typer(exporters.app, name="exporters")
    app.add_typer(monitors.app, name="monitors")
    app.add_typer(config.app, name="config")
    app.add_typer(api.app, name="api")
    app.add_typer(infra.app, name="infra")
    app.command("reconcile")(exporters.reconcile)
    app.command("apply")(apply.apply)


_register()
