"""``edunet lab``: the simulated city on this machine: up, down, status, faults."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="The simulated city lab: SNMP agents on loopback, with faults to inject.",
    no_args_is_help=True,
)
