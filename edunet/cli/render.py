"""``edunet render``: write (or check) the files the units generate from the inventory.

Each unit registers a :class:`edunet.generated.Renderer` under the entry point group
``edunet.renderers``; ``edunet render NAME`` runs one, ``edunet render`` (``all``) every one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from edunet import generated
from edunet.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    InventoryOption,
    cannot_write,
    load_or_exit,
)
from edunet.cli.output import console, err_console
from edunet.generated import Renderer, RenderOptions
from edunet.load import read_files
from edunet.plugins import RENDERERS, entry_points_of
from edunet.render_cache import RenderRecord, code_hash, render_key
from edunet.select import did_you_mean

ALL = "all"
_NOT_OURS = (
    "A file without the generated header stands where edunet render writes one: it is "
    "someone's own, so it is not overwritten. Move it to a local/ folder (see "
    'docs/monitoring.md, "Your own rules, targets and dashboards"), or delete it to let '
    "render write it."
)


def renderers() -> dict[str, Renderer]:
    """Every registered renderer by name (monitors, dashboards, configs …)."""
    return {ep.name: ep.load() for ep in entry_points_of(RENDERERS)}


def _chosen(part: str) -> dict[str, Renderer]:
    found = renderers()
    if part == ALL:
        return found
    if part not in found:
        hint = did_you_mean(part, [ALL, *found])
        err_console.print(f"[red]error[/]: nothing renders {part!r}{hint}", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    return {part: found[part]}


def _code_folders(chosen: dict[str, Renderer]) -> list[Path]:
    """The packages whose code makes the chosen files, and the core's."""
    folders = {Path(generated.__file__).parent}
    for renderer in chosen.values():
        top = renderer.render.__module__.partition(".")[0]
        module = sys.modules[top]
        if module.__file__:
            folders.add(Path(module.__file__).parent)
    return sorted(folders)


def render(
    part: Annotated[
        str, typer.Argument(help="What to render: all, monitors, dashboards or configs.")
    ] = ALL,
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
    cache: Annotated[
        bool,
        typer.Option(
            help="Skip the render when the inventory, options and code are those of the last "
            "render here and its files are unchanged on disk (content hashes)."
        ),
    ] = True,
) -> None:
    """Render Prometheus, Alertmanager and Grafana files and device configs from the inventory.

    Every file starts with a "generated — do not edit" header; files are written atomically,
    and generated files that are no longer generated are removed. Files without the header
    (your own rules, targets, dashboards) are never touched.
    """
    chosen = _chosen(part)
    options = RenderOptions(
        lab=lab,
        shards=shards,
        scrape_interval_s=scrape_interval,
        snmp_exporter=snmp_exporter,
        prober=prober,
        alertmanager=alertmanager,
        webhook_url=webhook_url,
        remote_write_url=remote_write_url,
        no_remote_write=no_remote_write,
    )
    owned = [d for renderer in chosen.values() for d in renderer.owned_dirs]
    source = generated.source_name(inventory)
    inventory_bytes = read_files(inventory) if inventory.exists() else None
    record, key = RenderRecord.of(out, part), ""
    if cache and inventory_bytes:
        key = render_key(
            part=part,
            options=options,
            out=out,
            source=source,
            files=inventory_bytes,
            code=code_hash(_code_folders(chosen)),
        )
        made = record.up_to_date(key, out, owned)
        if made is not None:  # the same inputs, and the files as the last render left them
            if check:
                err_console.print(f"{made} generated files are up to date")
            else:
                err_console.print(f"{made} files rendered under {out}, 0 changed")
            return
    inv = load_or_exit(inventory, inventory_bytes)
    files: dict[str, str] = {}
    for name, renderer in chosen.items():
        produced = renderer.render(inv, options)
        clash = files.keys() & produced.keys()
        if clash:  # two renderers writing one file is a bug, not a merge
            raise RuntimeError(f"{name} renders files another renderer does: {sorted(clash)}")
        files.update(produced)
    files = generated.sourced(files, source)
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
            if any(d.kind == "not generated" for d in drifts):
                err_console.print(_NOT_OURS, highlight=False)
            raise typer.Exit(1)
        record.save(key, files)
        err_console.print(f"{len(files)} generated files are up to date")
        return
    record.forget()  # the files are about to change: the old record no longer holds
    try:
        changed = generated.write(out, files, owned)
    except generated.NotGenerated as e:
        for path in e.paths:
            err_console.print(f"not generated: {path}", markup=False, highlight=False)
        err_console.print(f"[red]error[/]: nothing written. {_NOT_OURS}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as e:
        raise cannot_write(out, e) from None
    record.save(key, files)
    err_console.print(f"{len(files)} files rendered under {out}, {len(changed)} changed")
