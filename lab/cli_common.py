"""What the lab's commands share: the state directory option, the running lab's inventory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edunet.cli.output import err_console

if TYPE_CHECKING:
    from edunet.model import Inventory

StateDirOption = Annotated[
    Path | None,
    typer.Option(
        "--state-dir",
        help="Lab state directory (default: $EDUNET_LAB_DIR or ./.edunet-lab).",
        show_default=False,
    ),
]


def state_dir_or_default(state_dir: Path | None) -> Path:
    from lab.state import default_state_dir

    return state_dir if state_dir is not None else default_state_dir()


def fail(e: Exception) -> typer.Exit:
    err_console.print(f"[red]error[/]: {e}", highlight=False)
    return typer.Exit(1)


def lab_inventory(state_dir: Path, inventory: Path) -> Inventory:
    """The running lab's inventory if there is one, else the one given."""
    from edunet.cli.common import load_or_exit
    from lab.state import read_state

    state = read_state(state_dir)
    return load_or_exit(Path(state["inventory"]) if state else inventory)
