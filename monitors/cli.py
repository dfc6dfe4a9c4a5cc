"""``edunet monitors``: run the rendered Prometheus and Alertmanager for real, and a receiver
for their alerts."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from edunet.cli.common import DEFAULT_INVENTORY, InventoryOption, load_or_exit
from edunet.cli.output import err_console

app = typer.Typer(
    help="The monitoring stack: Prometheus, Alertmanager, VictoriaMetrics, alert webhook.",
    no_args_is_help=True,
)


@app.command()
def run(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    lab: Annotated[
        bool, typer.Option("--lab", help="Watch the lab: its address map and fast windows.")
    ] = False,
    directory: Annotated[
        Path, typer.Option("--dir", help="Where the rendered configuration and state go.")
    ] = Path(".edunet-monitors"),
    prometheus: Annotated[str, typer.Option(help="Prometheus listens here.")] = "127.0.0.1:9090",
    alertmanager: Annotated[str, typer.Option(help="Alertmanager listens here.")] = (
        "127.0.0.1:9093"
    ),
    webhook: Annotated[
        str, typer.Option(help="The alert receiver listens here ('' for none).")
    ] = "127.0.0.1:9095",
    victoria_metrics: Annotated[
        str, typer.Option(help="VictoriaMetrics listens here ('' for none).")
    ] = "127.0.0.1:8428",
    snmp_exporter: Annotated[
        str, typer.Option(envvar="EDUNET_SNMP_EXPORTER", help="The SNMP exporter's host:port.")
    ] = "127.0.0.1:9116",
    prober: Annotated[
        str, typer.Option(envvar="EDUNET_PROBER", help="The prober's host:port.")
    ] = "127.0.0.1:9374",
    seconds: Annotated[
        float, typer.Option("--seconds", help="Stop after this long (0: until Ctrl-C).")
    ] = 0,
) -> None:
    """Render the monitors for this inventory and run Prometheus, Alertmanager, VictoriaMetrics
    and the webhook receiver (alerts are printed as they arrive) until Ctrl-C or SIGTERM."""
    from monitors.run import StackPlan, run_until, running_stack
    from monitors.settings import monitoring_settings
    from monitors.stack import StackError

    inv = load_or_exit(inventory)
    settings = monitoring_settings(inv, lab, snmp_exporter=snmp_exporter, prober=prober)
    plan = StackPlan(
        directory.resolve(), prometheus, alertmanager, webhook or None, victoria_metrics or None
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if seconds > 0:
        threading.Timer(seconds, stop.set).start()
    try:
        with running_stack(
            inv, settings, plan, out=sys.stdout, progress=lambda m: err_console.print(m)
        ) as stack:
            for name, url in stack.urls().items():
                err_console.print(f"{name}: {url}", highlight=False)
            sys.stdout.flush()
            run_until(stop, stack)
    except (StackError, RuntimeError, OSError) as e:
        err_console.print(f"[bold red]error:[/] {e}", highlight=False)
        raise typer.Exit(1) from None
    err_console.print("monitoring stack stopped")


@app.command()
def webhook(
    listen: Annotated[str, typer.Option(help="HOST:PORT to listen on.")] = "127.0.0.1:9095",
) -> None:
    """Receive Alertmanager's webhook calls and print one line per alert."""
    from monitors.webhook import main

    raise typer.Exit(main(listen))
