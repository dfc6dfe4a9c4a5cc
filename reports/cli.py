"""``edunet report monthly``: the month's report for the city, a district or a school."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from edunet.cli.common import EXIT_INVALID, InventoryOption, load_or_exit
from edunet.cli.output import err_console

__all__ = ["app"]

app = typer.Typer(help="Reports for the Department, the district offices and the ISPs.")

EXIT_UNREACHABLE = 1


@app.command()
def monthly(
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM (city time).")],
    prometheus: Annotated[
        str,
        typer.Option("--prometheus", help="Prometheus' or VictoriaMetrics' base URL."),
    ],
    out: Annotated[Path, typer.Option("--out", help="The folder the files go to.")],
    district: Annotated[
        str | None, typer.Option("--district", help="One district (its code or name).")
    ] = None,
    site: Annotated[str | None, typer.Option("--site", help="One school (code or name).")] = None,
    target: Annotated[
        float,
        typer.Option("--target-mbps-per-pupil", help="Uplink Mbps per pupil to aim for."),
    ] = 1.4,
    windows_file: Annotated[
        Path | None,
        typer.Option(
            "--windows-file",
            help="The maintenance windows to leave out (default: where `edunet maintenance` "
            "keeps them).",
        ),
    ] = None,
    inventory: InventoryOption = Path("inventory.yaml"),
) -> None:
    """Write report.xlsx, report.pdf and the charts (PNG) for one month: KPIs, availability,
    outages with their root cause, ISP SLAs, capacity and the city map."""
    from edunet.select import NotFound, lookup
    from reports.monthly import Scope
    from reports.monthly import monthly as gather
    from reports.period import Month
    from reports.planned import recorded
    from reports.prom import Prometheus, QueryError
    from reports.write import write_report

    if district is not None and site is not None:
        err_console.print("--district or --site, not both", markup=False)
        raise typer.Exit(EXIT_INVALID)
    try:
        period = Month.parse(month)
    except ValueError as e:
        err_console.print(str(e), markup=False)
        raise typer.Exit(EXIT_INVALID) from None
    inv = load_or_exit(inventory)
    try:
        scope = Scope(
            inv,
            district=lookup(inv, "district", district) if district is not None else None,
            site=lookup(inv, "site", site) if site is not None else None,
        )
    except NotFound as e:
        err_console.print(str(e), markup=False)
        raise typer.Exit(EXIT_INVALID) from None
    try:
        planned = recorded(period.start, period.end, windows_file)
    except ValueError as e:  # a malformed windows file
        err_console.print(str(e), markup=False)
        raise typer.Exit(EXIT_INVALID) from None
    prom = Prometheus(prometheus)
    try:
        report = gather(inv, prom, period, scope, planned, target_mbps_per_pupil=target)
    except QueryError as e:
        err_console.print(f"cannot read the month: {e}", markup=False)
        raise typer.Exit(EXIT_UNREACHABLE) from None
    finally:
        prom.close()
    for path in write_report(report, out):
        typer.echo(str(path))
