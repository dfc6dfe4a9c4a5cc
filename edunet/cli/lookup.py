"""Finding what a user named on the command line, with a suggestion when it is not there."""

from __future__ import annotations

import typer

from edunet.cli.output import err_console
from edunet.model import Inventory, Site
from edunet.select import NotFound, lookup


def lookup_or_exit(inv: Inventory, kind: str, key: str) -> str:
    """The key of the ``kind`` that ``key`` names (see :func:`edunet.select.lookup`), or
    exit 1 naming close ones."""
    try:
        return lookup(inv, kind, key)
    except NotFound as e:
        err_console.print(f"[red]error[/]: {e}", highlight=False)
        raise typer.Exit(1) from None


def site_or_exit(inv: Inventory, key: str) -> Site:
    """A site by its code or its name."""
    return inv.sites[lookup_or_exit(inv, "site", key)]
