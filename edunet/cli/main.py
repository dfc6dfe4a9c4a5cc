"""The ``edunet`` command: the core's own commands, and each unit's, found through the entry
point group ``edunet.commands`` (a ``typer.Typer`` becomes a command group, a function one
command). The core names no unit; a unit that cannot be imported shows as a command that says
why. Units keep their heavy imports inside their commands, so ``edunet validate`` never pays
for FastAPI, pysnmp or Pulumi.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from edunet.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    FormatOption,
    InventoryOption,
    cannot_write,
    load_or_exit,
)
from edunet.cli.output import Format, TableOption, emit, emit_object, emit_tables, err_console
from edunet.plugins import COMMANDS, entry_points_of

app = typer.Typer(
    name="edunet",
    help="Infrastructure as code and network monitoring for the Ho Chi Minh City "
    "education network. Everything starts from the inventory (inventory.yaml).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(shown: bool) -> None:
    if shown:
        from importlib.metadata import version

        typer.echo(f"edunet {version('edunet')}")
        raise typer.Exit()


@app.callback()
def _edunet(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    pass  # the app's help says what edunet is; the callback only adds --version


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Inventory file or directory (or -i, as every command takes it).",
            show_default=DEFAULT_INVENTORY,
        ),
    ] = None,
    inventory: Annotated[
        Path | None,
        typer.Option(
            "--inventory",
            "-i",
            envvar="EDUNET_INVENTORY",
            help="Inventory file, or a directory of YAML files merged in name order.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    table: TableOption = None,
) -> None:
    """Check the inventory: schema, references, IP plan. Exit 2 with every problem listed.
    CSV holds one table: districts (the default), levels or roles (--table)."""
    from edunet import summary

    given = path if path is not None else inventory
    if path is not None and inventory is not None and path != inventory:
        source = ctx.get_parameter_source("inventory")
        if source is not None and source.name != "ENVIRONMENT":  # the argument beats the env
            err_console.print(
                f"error: two inventories given, {path} and -i {inventory}; give one",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(EXIT_INVALID)
    path = given if given is not None else Path(DEFAULT_INVENTORY)
    if fmt is not Format.table:
        from edunet.errors import InventoryError
        from edunet.load import load

        try:
            inv = load(path)
        except InventoryError as e:  # the problems are the output: one table, or one object
            rows = [
                dict(file=p.file, line=p.line, column=p.column, message=p.message, fix=p.hint)
                for p in e.problems
            ]
            if fmt is Format.json:
                emit_object({"valid": False, "problems": rows}, fmt)
            else:
                emit(rows, fmt, columns=("file", "line", "column", "message", "fix"))
            n = len(rows)
            err_console.print(f"{n} problem{'s' if n != 1 else ''} in {path}", highlight=False)
            raise typer.Exit(EXIT_INVALID) from None
    else:
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
    emit_tables(summary.tables(inv, "districts", "levels", "roles"), fmt, table, summary.TITLES)
    if fmt is Format.table:
        t = summary.totals(inv)
        label = " [yellow](sample data)[/]" if inv.sample else ""
        err_console.print(
            f"[green]valid[/]{label}: {t['sites']:,} sites, {t['schools']:,} schools, "
            f"{t['devices']:,} devices, {t['links']:,} links, {t['applications']} applications"
        )


@app.command()
def summary(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
    table: TableOption = None,
) -> None:
    """The city at a glance: sites, schools, pupils, devices, links, hardware value.
    CSV holds one table: totals (the default), levels or roles (--table)."""
    from edunet import summary as s

    inv = load_or_exit(inventory)
    titles = {**s.TITLES, "totals": "edunet — " + inv.city.name}
    emit_tables(s.tables(inv, "totals", "levels", "roles"), fmt, table, titles)


@app.command()
def sample(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")] = Path(
        "sample-city.yaml"
    ),
    schools: Annotated[
        int, typer.Option(min=0, help="Number of schools (at most 999 a district).")
    ] = 1930,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same city.")] = 2014,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a generated city (sample data) that validates clean; for benchmarks and scale tests."""
    from edunet import sample as generator

    if output.exists() and not force:  # it may be the real inventory
        err_console.print(
            f"error: {output} exists; add --force to replace it", markup=False, highlight=False
        )
        raise typer.Exit(EXIT_INVALID)
    if schools > generator.MAX_SCHOOLS:
        err_console.print(
            f"[red]error[/]: at most {generator.MAX_SCHOOLS:,} schools (999 per district: "
            "a school's serial is its IP-plan slot)"
        )
        raise typer.Exit(EXIT_INVALID)
    try:  # a missing folder is created; one that cannot be is said plainly
        if err_console.is_terminal:
            with err_console.status(f"generating {schools:,} schools …", spinner="dots"):
                generator.write(output, schools, seed)
        else:
            generator.write(output, schools, seed)
    except OSError as e:
        raise cannot_write(output, e) from None
    err_console.print(f"wrote {output} ({schools:,} schools, seed {seed})")


def _unavailable(name: str, error: BaseException) -> typer.Typer:
    """A stand-in for a unit whose commands cannot be imported: it says why, and exits 1."""
    stub = typer.Typer(help=f"(unavailable: {error})", invoke_without_command=True)

    @stub.callback()
    def _say() -> None:
        err_console.print(f"[red]error[/]: `edunet {name}` is unavailable: {error}")
        raise typer.Exit(1)

    return stub


def _register() -> None:
    from edunet.cli import audit, diff, ipam, listing, render, reorganise, topology

    app.command("audit")(audit.audit_log)
    app.command("diff")(diff.diff)
    app.add_typer(ipam.app, name="ipam")
    app.add_typer(topology.app, name="topology")
    app.command("render")(render.render)
    app.command("sites")(listing.sites)
    app.command("devices")(listing.devices)
    app.command("find")(listing.find_text)
    app.command("reorganise")(reorganise.reorganise)
    for ep in entry_points_of(COMMANDS):
        try:
            command = ep.load()
        except ImportError as e:  # a unit's extra not installed
            app.add_typer(_unavailable(ep.name, e), name=ep.name)
            continue
        if isinstance(command, typer.Typer):
            app.add_typer(command, name=ep.name)
        else:
            app.command(ep.name)(command)


_register()
