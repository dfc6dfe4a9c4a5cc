"""Finding what a user named on the command line, with a suggestion when it is not there."""

from __future__ import annotations

import difflib

import typer

from edunet.cli.output import err_console
from edunet.model import Inventory, Site


def site_or_exit(inv: Inventory, code: str) -> Site:
    site = inv.sites.get(code) or inv.sites.get(code.upper())
    if site is not None:
        return site
    close = difflib.get_close_matches(code.upper(), inv.sites, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    err_console.print(f"[red]error[/]: no site {code!r}{hint}")
    raise typer.Exit(1)
