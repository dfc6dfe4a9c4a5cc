"""What every unit's commands share: the inventory and format options, loading with errors
printed, exit codes. Units import this module, never :mod:`edunet.cli.main`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edunet.cli.output import Format, err_console
from edunet.errors import InventoryError
from edunet.model import Inventory

if TYPE_CHECKING:
    from edunet.load import Files

__all__ = [
    "DEFAULT_INVENTORY",
    "EXIT_INVALID",
    "FormatOption",
    "InventoryOption",
    "OutsideWindowOption",
    "cannot_write",
    "load_or_exit",
]

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
OutsideWindowOption = Annotated[
    bool,
    typer.Option(
        "--outside-window",
        help="Change devices that no open maintenance window covers (edunet maintenance); "
        "asked for once the team records windows.",
    ),
]


def load_or_exit(path: Path, files: Files | None = None) -> Inventory:
    """Load with a spinner on a terminal; print every problem and exit 2 on bad input.
    ``files`` are the inventory's bytes when they come from elsewhere than ``path`` (a git
    revision): see :func:`edunet.load.load`."""
    from edunet.load import load

    try:
        if err_console.is_terminal:
            with err_console.status(f"loading {path} …", spinner="dots"):
                return load(path, files)
        return load(path, files)
    except InventoryError as e:
        for p in e.problems:
            err_console.print(p.format(), markup=False, highlight=False)
        n = len(e.problems)
        err_console.print(f"[bold red]{n} problem{'s' if n != 1 else ''}[/] in {path}")
        raise typer.Exit(EXIT_INVALID) from None


def cannot_write(path: Path, error: OSError) -> typer.Exit:
    """Say why ``path`` cannot be written, naming a file that stands where a folder should;
    the exit (2) to raise."""
    blocking = next((p for p in (path, *path.parents) if p.is_file()), None)
    if blocking is not None and blocking != path:
        why = f"{blocking} is a file, not a folder"
    else:
        why = error.strerror or str(error)
    err_console.print(f"error: cannot write {path}: {why}", markup=False, highlight=False)
    return typer.Exit(EXIT_INVALID)
