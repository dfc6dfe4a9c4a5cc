"""``edunet render``: write (or check) the files the units generate from the inventory."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from edunet.cli import DEFAULT_INVENTORY, InventoryOption, app, load_or_exit
from edunet.cli.output import console, err_console


class Part(StrEnum):
    all = "all"
    monitors = "monitors"
    dashboards = "dashboards"
    configs = "configs"


# the lab's alerts fire in about a quarter of the time; windows still span several scrapes
LAB_TIME_SCALE = 1 / 4
# 1,443 devices every 30 s keep two cores busy but never late (every 15 s, polls time out)
LAB_SCRAPE_INTERVAL_S = 30


def monitoring_settings(inv: Any, lab: bool, **options: Any) -> Any:
    """The monitors' settings: the city's defaults, the lab's preset, then the options given."""
    from edunet.reach import LAB_MAP
    from monitors.settings import MonitoringSettings

    preset: dict[str, Any] = {}
    if lab:
        preset = {
            "address_map": LAB_MAP,
            "time_scale": LAB_TIME_SCALE,
            "scrape_interval_s": LAB_SCRAPE_INTERVAL_S,
            "evaluation_interval_s": 5,
            "api": None,  # the lab runs no API
            # e-mail stays on this machine: nothing listens there, so the example receiver
            # fails quietly while the webhooks deliver
            "smtp_smarthost": "127.0.0.1:2525",
        }
    preset.update({k: v for k, v in options.items() if v is not None})
    return MonitoringSettings.for_inventory(inv, **preset)


def rendered(inv: Any, part: Part, settings: Any) -> tuple[dict[str, str], list[str]]:
    """The file set and the directories it owns."""
    files: dict[str, str] = {}
    owned: list[str] = []
    if part in (Part.all, Part.monitors):
        from monitors.build import OWNED_DIRS, render_monitors

        files.update(render_monitors(inv, settings))
        owned += OWNED_DIRS
    if part in (Part.all, Part.dashboards):
        from dashboards import OWNED_DIRS as DASH_DIRS
        from dashboards import render_dashboards

        files.update(render_dashboards(inv, settings))
        owned += DASH_DIRS
    if part in (Part.all, Part.configs):
        from playbooks.configs.build import OWNED_DIRS as CONFIG_DIRS
        from playbooks.configs.build import render_configs

        files.update(render_configs(inv))
        owned += CONFIG_DIRS
    return files, owned


@app.command()
def render(
    part: Annotated[Part, typer.Argument(help="What to render.")] = Part.all,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Root the repo-relative paths are written under.")
    ] = Path("."),
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if the files on disk differ."),
    ] = False,
    lab: Annotated[
        bool,
        typer.Option("--lab", help="Render for the lab: 10/8 → 127/8, 30 s scrapes, windows ÷ 4."),
    ] = False,
    shards: Annotated[
        int, typer.Option("--shards", min=1, help="Prometheus servers splitting the targets.")
    ] = 1,
    scrape_interval: Annotated[
        int | None, typer.Option("--scrape-interval", min=1, help="Seconds.")
    ] = None,
    snmp_exporter: Annotated[
        str | None, typer.Option(help="host:port of the SNMP exporter.")
    ] = None,
    prober: Annotated[str | None, typer.Option(help="host:port of the prober.")] = None,
    alertmanager: Annotated[str | None, typer.Option(help="host:port of Alertmanager.")] = None,
    webhook_url: Annotated[str | None, typer.Option(help="Alert webhook base URL.")] = None,
    remote_write_url: Annotated[
        str | None, typer.Option(help="VictoriaMetrics' write URL for the city-wide view.")
    ] = None,
    no_remote_write: Annotated[
        bool, typer.Option("--no-remote-write", help="No remote_write.")
    ] = False,
) -> None:
    """Render Prometheus, Alertmanager and Grafana files and device configs from the inventory.

    Every file starts with a "generated — do not edit" header; files are written atomically,
    and files of the owned directories that are no longer generated are removed.
    """
    from edunet import generated

    inv = load_or_exit(inventory)
    settings = monitoring_settings(
        inv,
        lab,
        shards=shards,
        scrape_interval_s=scrape_interval,
        snmp_exporter=snmp_exporter,
        prober=prober,
        alertmanager=alertmanager,
        webhook_url=webhook_url,
        remote_write_url=remote_write_url,
    )
    if no_remote_write:
        from dataclasses import replace

        settings = replace(settings, remote_write_url=None)
    files, owned = rendered(inv, part, settings)
    if check:
        drifts = generated.check(out, files, owned)
        for d in drifts:
            err_console.print(f"{d.kind}: {d.path}", highlight=False)
            if d.diff:
                console.print(d.diff, markup=False, highlight=False, end="")
        if drifts:
            err_console.print(
                f"[bold red]{len(drifts)} file(s) differ[/] from a fresh render: "
                "run `edunet render` and commit the result"
            )
            raise typer.Exit(1)
        err_console.print(f"{len(files)} generated files are up to date")
        return
    changed = generated.write(out, files, owned)
    err_console.print(f"{len(files)} files rendered under {out}, {len(changed)} changed")
