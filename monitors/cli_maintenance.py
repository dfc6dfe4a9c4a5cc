"""``edunet maintenance``: change windows, recorded once for alerting (Alertmanager silences),
automation (``apply --commit`` and ``config push`` inside a window) and the availability report.

Exit status: 0 done; 1 the window was recorded or ended but Alertmanager could not be told
(the message says what is left to do); 2 bad input (selection, time, window id, file).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edunet.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    FormatOption,
    InventoryOption,
    load_or_exit,
)
from edunet.cli.output import Format, emit, emit_object, err_console
from monitors.silences import DEFAULT_URL

if TYPE_CHECKING:
    from edunet.maintenance import Window

app = typer.Typer(
    help="Change windows: silence their alerts, allow changes there, leave them out of "
    "availability.",
    no_args_is_help=True,
)

EXIT_ALERTMANAGER = 1

WindowsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--windows-file",
        envvar="EDUNET_MAINTENANCE_FILE",
        help="The windows file (default: maintenance-windows.yaml here).",
        show_default=False,
    ),
]
AlertmanagerOption = Annotated[
    str,
    typer.Option(
        "--alertmanager",
        envvar="EDUNET_ALERTMANAGER_URL",
        help="Alertmanager's URL, for the window's silences.",
    ),
]


def _say(message: str) -> None:
    err_console.print(message, markup=False, highlight=False)


def _fail(message: str) -> typer.Exit:
    _say(f"error: {message}")
    return typer.Exit(EXIT_INVALID)


def _not_told(message: str) -> typer.Exit:
    """Done here, but Alertmanager was not told: what is left to do, and exit 1."""
    _say(f"warning: {message}")
    return typer.Exit(EXIT_ALERTMANAGER)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _row(w: Window, now: dt.datetime) -> dict[str, Any]:
    from edunet.maintenance import local

    return {
        "id": w.id,
        "state": w.state(now),
        "from": local(w.start),
        "to": local(w.until),
        "selection": w.selection,
        "sites": len(w.sites),
        "devices": len(w.devices),
        "reason": w.reason,
        "who": w.who,
        "silences": len(w.silences),
    }


@app.command()
def add(
    limit: Annotated[
        list[str],
        typer.Option(
            "--limit",
            "-l",
            help="Devices, in the selection language: site=79760012, district=q1&level=thcs, "
            "a device or a glob; ',' joins, '&' intersects, '!' excludes. Repeatable.",
            show_default=False,
        ),
    ],
    until: Annotated[
        str,
        typer.Option(
            "--to",
            help="When it ends: +2h (after --from), 2026-12-12 23:00 (Ho Chi Minh City time), "
            "or ISO 8601 with an offset.",
            show_default=False,
        ),
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="What is done, for the NOC and the report.")
    ],
    since: Annotated[str, typer.Option("--from", help="When it starts, as --to.")] = "now",
    who: Annotated[
        str | None,
        typer.Option("--who", help="Who does the work (default: your login).", show_default=False),
    ] = None,
    alertmanager: AlertmanagerOption = DEFAULT_URL,
    windows_file: WindowsFileOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
) -> None:
    """Record a window over the selected devices and silence their alerts in Alertmanager."""
    from edunet import maintenance
    from edunet.select import SelectionError, select
    from monitors.silences import AlertmanagerError, create

    inv = load_or_exit(inventory)
    now = _now()
    try:
        chosen = select(inv, limit)
        start = maintenance.parse_time(since, now)
        end = maintenance.parse_time(until, now, base=start)
        window = maintenance.add(
            inv,
            ",".join(limit),
            chosen.devices,
            start,
            end,
            reason,
            who or os.environ.get("USER") or getpass.getuser(),
            now,
            windows_file,
        )
    except (SelectionError, maintenance.WindowError) as e:
        raise _fail(str(e)) from None
    except OSError as e:
        raise _fail(f"cannot write {maintenance.store_path(windows_file)}: {e.strerror}") from None
    _say(
        f"window {window.id} recorded in {maintenance.store_path(windows_file)}: "
        f"{len(window.devices)} devices in {len(window.sites)} sites, "
        f"{maintenance.local(window.start)} to {maintenance.local(window.end)}"
    )
    try:
        silences = create(alertmanager, inv, window)
    except AlertmanagerError as e:
        emit_object(_row(window, now), fmt, f"maintenance window {window.id}")
        raise _not_told(
            f"its alerts are NOT silenced: {e}. The window still allows changes and counts as "
            f"planned work; silence them by hand, or end the window (edunet maintenance end "
            f"{window.id}) and add it again when Alertmanager answers"
        ) from None
    try:
        window = maintenance.update(window, windows_file, silences=tuple(silences))
    except (OSError, maintenance.WindowError) as e:  # the file moved or broke meanwhile
        raise _fail(
            f"the silences {' '.join(silences)} were made, but not written to window "
            f"{window.id}: {e}; `end` will not expire them (amtool silence expire does)"
        ) from None
    emit_object(_row(window, now), fmt, f"maintenance window {window.id}")
    _say(f"{len(silences)} silence(s) in {alertmanager}: {' '.join(silences)}")


@app.command("list")
def list_windows(
    every: Annotated[bool, typer.Option("--all", help="Also the windows that are over.")] = False,
    windows_file: WindowsFileOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The open and coming windows (with --all, every one recorded), in Ho Chi Minh City time."""
    from edunet import maintenance

    now = _now()
    try:
        windows = maintenance.load(windows_file)
    except maintenance.WindowError as e:
        raise _fail(str(e)) from None
    rows = [_row(w, now) for w in windows if every or w.until > now]
    columns = list(_row(maintenance.Window("", "", (), (), now, now, "", ""), now))
    emit(rows, fmt, "Maintenance windows", columns)


@app.command("end")
def end_window(
    window_id: Annotated[str, typer.Argument(help="The window's id (edunet maintenance list).")],
    alertmanager: AlertmanagerOption = DEFAULT_URL,
    windows_file: WindowsFileOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """End a window now (call off one not yet started) and expire its silences."""
    from edunet import maintenance
    from monitors.silences import AlertmanagerError, expire

    now = _now()
    try:
        window = maintenance.end(window_id, now, windows_file)
    except maintenance.WindowError as e:
        raise _fail(str(e)) from None
    except OSError as e:
        raise _fail(f"cannot write {maintenance.store_path(windows_file)}: {e.strerror}") from None
    emit_object(_row(window, now), fmt, f"maintenance window {window.id}")
    try:
        expired = expire(alertmanager, window.silences)
    except AlertmanagerError as e:
        raise _not_told(
            f"window {window.id} ended, but its silences are NOT expired: {e}. They end by "
            f"themselves at {maintenance.local(window.end)}; or run: amtool silence expire "
            f"{' '.join(window.silences)}"
        ) from None
    _say(f"window {window.id} ended; {len(expired)} silence(s) expired in {alertmanager}")
