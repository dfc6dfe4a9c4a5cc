"""``edunet audit``: the audit trail's lines, filtered by who, when, devices and outcome."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

import typer

from edunet import audit
from edunet.cli.common import DEFAULT_INVENTORY, EXIT_INVALID, FormatOption, InventoryOption
from edunet.cli.output import Format, emit, err_console

COLUMNS = ("when", "who", "what", "outcome", "limit", "devices", "artifacts", "detail", "change")
# for people: the rest is in -f json and -f csv
TABLE_COLUMNS = ("when", "who", "what", "outcome", "limit", "devices", "detail")
TABLE_DETAIL = 70
_AGO = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def since_moment(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """``2026-12-01``, ``2026-12-01T08:00`` (UTC unless it says otherwise), or a time ago:
    ``30m``, ``12h``, ``7d``, ``2w``."""
    now = now or dt.datetime.now(dt.UTC)
    ago = _AGO.match(text.strip())
    if ago:
        return now - dt.timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
    moment = dt.datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _row(e: audit.Entry, fmt: Format) -> dict[str, Any]:
    devices: Any = list(e.devices)
    extra = "; ".join(f"{k} {v}" for k, v in e.extra.items())
    detail = "; ".join(x for x in (e.detail, extra) if x)
    if fmt is Format.table:
        if len(devices) > 3:  # a city-wide run names thousands
            devices = f"{len(devices)} devices"
        if len(detail) > TABLE_DETAIL:
            detail = detail[: TABLE_DETAIL - 1] + "…"
    return {
        "when": e.when,
        "who": e.who,
        "what": e.what,
        "outcome": e.outcome,
        "limit": e.limit,
        "devices": devices,
        "artifacts": e.artifacts or "",
        "detail": detail,
        "change": e.change,
    }


def audit_log(
    who: Annotated[
        str | None, typer.Option("--who", help="Only this operator (or token id).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only lines from then on: 2026-12-01, 2026-12-01T08:00 (UTC), or 30m, 12h, 7d.",
            show_default=False,
        ),
    ] = None,
    device: Annotated[
        list[str] | None,
        typer.Option("--device", "-d", help="Only changes naming this device (repeatable)."),
    ] = None,
    limit: Annotated[
        str | None,
        typer.Option(
            "--limit",
            "-l",
            help="Only changes naming a device of this selection: district=q12, site=79761001 …",
            show_default=False,
        ),
    ] = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome", help=f"Only these outcomes: {', '.join(audit.OUTCOMES)} (repeatable)."
        ),
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="The audit log (default: $EDUNET_AUDIT_LOG, else audit.jsonl in the runs "
            "folder, $EDUNET_RUNS_DIR or .edunet-runs).",
            show_default=False,
        ),
    ] = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
) -> None:
    """Every change made through edunet: apply --commit, config push and backup, lab faults,
    API tokens, imports. Two lines a change (started, then its outcome); refusals one."""
    path = log if log is not None else audit.log_path()
    unknown = sorted(set(outcome or ()) - set(audit.OUTCOMES))
    if unknown:
        err_console.print(
            f"error: outcome {unknown[0]!r}: one of {', '.join(audit.OUTCOMES)}",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(EXIT_INVALID)
    try:
        moment = since_moment(since) if since else None
    except ValueError:
        err_console.print(
            f"error: --since {since!r}: write a date (2026-12-01), a time (2026-12-01T08:00) "
            "or a time ago (30m, 12h, 7d)",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(EXIT_INVALID) from None
    devices: set[str] | None = set(device) if device else None
    if limit:
        from edunet.cli.common import load_or_exit
        from edunet.select import SelectionError, select

        try:
            chosen = set(select(load_or_exit(inventory), limit).devices)
        except SelectionError as e:
            err_console.print(f"error: {e}", markup=False, highlight=False)
            raise typer.Exit(EXIT_INVALID) from None
        devices = chosen if devices is None else devices | chosen
    rows: list[dict[str, Any]] = []
    torn = 0
    if path.exists():
        for _, entry in audit.read(path):
            if entry is None:
                torn += 1
            elif audit.matches(entry, who, moment, devices, tuple(outcome or ())):
                rows.append(_row(entry, fmt))
    else:
        err_console.print(f"no audit log at {path} yet", markup=False, highlight=False)
    columns = TABLE_COLUMNS if fmt is Format.table else COLUMNS
    emit(rows, fmt, f"{len(rows)} line(s) of {path}", columns)
    if torn:
        err_console.print(
            f"warning: {torn} line(s) of {path} are not audit lines (cut short?)",
            markup=False,
            highlight=False,
        )
