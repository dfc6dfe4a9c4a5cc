"""``edunet report monthly``: the month's report for the city, a district or a school."""

from __future__ import annotations

import typer

app = typer.Typer(help="Reports for the Department, the district offices and the ISPs.")
