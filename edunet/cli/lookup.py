"""Finding what a user named on the command line, with a suggestion when it is not there."""

from __future__ import annotations

import typer

from edunet.cli.output import err_console
from edunet.model import Inventory, Site
from edunet.select import did_you_mean


def site_or_exit(inv: Inventory, code: str) -> Site:
    site = inv.sites.get(code) or inv.sites.get(code.upper())
    if site is not None:
        return site
    err_console.print(f"[red]error[/]: no site {code!r}{did_you_mean(code, inv.sites)}")
    raise typer.Exit(1)
