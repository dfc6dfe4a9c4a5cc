"""``edunet config``: device configurations over the CLI (netmiko) — backup into git, diff,
drift against the intended configuration, push with rollback."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edunet.cli.changes import Change, authorise, begin
from edunet.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    FormatOption,
    InventoryOption,
    OutsideWindowOption,
    load_or_exit,
)
from edunet.cli.output import Format, emit, err_console

if TYPE_CHECKING:
    from edunet.model import Inventory
    from playbooks.devices.pool import Row
    from playbooks.devices.session import NetmikoConnector, Target
    from playbooks.devices.store import GitStore

app = typer.Typer(
    help="Device configurations over SSH: backup into git, diff, drift, push with rollback.",
    no_args_is_help=True,
)

TEXTFILE_DIR = Path("/var/lib/prometheus/node-exporter")  # Debian's node exporter textfile dir
METRICS_NAME = "edunet_config_drift.prom"
EXIT_FAILED = 1

LimitOption = Annotated[
    str | None,
    typer.Option(
        "--limit",
        "-l",
        help="Devices, as for edunet apply: district=q1, site=79760012, level=thcs, "
        "role=access_switch, a group, a device or a glob; ',' joins, '&' intersects, "
        "'!' excludes.",
        show_default=False,
    ),
]
StoreOption = Annotated[
    Path,
    typer.Option("--store", envvar="EDUNET_CONFIG_STORE", help="The backups' git repository."),
]
AddressMapOption = Annotated[
    str,
    typer.Option(
        "--address-map",
        envvar="EDUNET_ADDRESS_MAP",
        help="Translate inventory addresses, e.g. 10.0.0.0/8=127.0.0.0/8 (the lab).",
    ),
]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, max=64, help="Devices worked on at once.")
]
DeadlineOption = Annotated[
    float, typer.Option("--deadline", min=1, max=3600, help="Seconds allowed per device.")
]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=1, max=300, help="Seconds to connect, and per command."),
]
SecretsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--secrets-file",
        help="Credentials (YAML, chmod 600); default $EDUNET_SECRETS_FILE.",
        show_default=False,
    ),
]


class Reference(StrEnum):
    intended = "intended"
    backup = "backup"


def _fail(message: str, code: int = EXIT_INVALID) -> typer.Exit:
    err_console.print(f"[red]error[/]: {message}", highlight=False)
    return typer.Exit(code)


def _targets(inv: Inventory, limit: str | None, address_map: str) -> list[Target]:
    from edunet.reach import AddressMap
    from playbooks.configs import configurable
    from playbooks.devices.select import SelectionError, select
    from playbooks.devices.session import target_for

    try:
        amap = AddressMap.parse(address_map)
        devices = [d for d in select(inv, limit) if configurable(d)]
    except (ValueError, SelectionError) as e:
        raise _fail(str(e)) from None
    return [target_for(d, amap) for d in devices]


def _connector(
    targets: list[Target], timeout: float, secrets_file: Path | None
) -> NetmikoConnector:
    from edunet.secrets import MissingSecret, SecretStore
    from playbooks.devices.session import NetmikoConnector, Timeouts

    conn = NetmikoConnector(SecretStore(file=secrets_file), Timeouts(connect=timeout, read=timeout))
    try:
        for t in targets:
            if t.profile is not None:
                conn.credentials(t.profile)  # fail once, before any device is touched
    except (MissingSecret, PermissionError) as e:
        raise _fail(str(e)) from None
    return conn


def _store(path: Path) -> GitStore:
    from playbooks.devices.store import GitStore

    return GitStore(path)


def _rows(rows: list[Row[Any]]) -> list[dict[str, Any]]:
    return [
        {
            "device": r.device,
            "status": r.status.value,
            "seconds": r.seconds,
            "detail": r.error,  # the error, or what changed
        }
        for r in rows
    ]


def _end(change: Change, rows: list[Row[Any]], store: Path, commit: str | None) -> None:
    """The audit line's outcome: devices by status, the ones rolled back, the store's commit."""
    from collections import Counter

    counts = Counter(r.status.value for r in rows)
    detail = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    rolled = sorted(r.device for r in rows if "rolled back" in r.error)
    if rolled:
        detail += "; rolled back: " + " ".join(rolled)
    where = f"{store}@{commit[:12]}" if commit else str(store)  # no commit: nothing new
    change.end("ok" if all(r.succeeded for r in rows) else "failed", detail, where)


@app.command()
def backup(
    limit: LimitOption = None,
    store: StoreOption = Path("config-backups"),
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    address_map: AddressMapOption = "",
    workers: WorkersOption = 10,
    deadline: DeadlineOption = 60.0,
    timeout: TimeoutOption = 15.0,
    secrets_file: SecretsFileOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Store every selected device's running configuration in git: one commit per run."""
    from playbooks.devices.backup import backup as run_backup

    inv = load_or_exit(inventory)
    targets = _targets(inv, limit, address_map)
    devices = [t.device for t in targets]
    operator = authorise(inv, "config backup", devices, limit or "")
    conn = _connector(targets, timeout, secrets_file)
    with begin(inv, "config backup", devices, limit=limit or "", operator=operator) as change:
        run = run_backup(targets, conn, _store(store), workers=workers, deadline=deadline)
        emit(_rows(run.rows), fmt, title="config backup")
        head = run.message.splitlines()[0]
        where = f"commit {run.commit[:12]}" if run.commit else "nothing changed, no commit"
        err_console.print(f"{head} ({where})", highlight=False, markup=False)
        _end(change, run.rows, store, run.commit)
    if any(not r.succeeded for r in run.rows):
        raise typer.Exit(EXIT_FAILED)


@app.command()
def diff(
    device: Annotated[str, typer.Argument(help="Device name.")],
    rev: Annotated[
        str | None,
        typer.Argument(help="Stored revision (default: the previous backup of the device)."),
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Compare with the running configuration.")
    ] = False,
    store: StoreOption = Path("config-backups"),
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    address_map: AddressMapOption = "",
    timeout: TimeoutOption = 15.0,
    secrets_file: SecretsFileOption = None,
) -> None:
    """Unified diff of a device's configuration: stored REV against the latest backup (or
    the live running configuration). Exit 1 when they differ."""
    from playbooks.devices.backup import NoBackup, read_config, stored_diff
    from playbooks.devices.store import StoreError

    inv = load_or_exit(inventory)
    if device not in inv.devices:
        raise _fail(f"no device {device!r} in the inventory")
    (target,) = _targets(inv, device, address_map)
    running = None
    if live:
        conn = _connector([target], timeout, secrets_file)
        try:
            running = read_config(target, conn).value or ""
        except Exception as e:  # a device failure: say what, exit like a failed check
            raise _fail(str(e), EXIT_FAILED) from None
    try:
        lines = stored_diff(_store(store), target, rev, running)
    except (NoBackup, StoreError) as e:
        raise _fail(str(e)) from None
    sys.stdout.write("".join(line + "\n" for line in lines))
    if lines:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def drift(
    limit: LimitOption = None,
    from_backup: Annotated[
        bool,
        typer.Option("--from-backup", help="Read the running configuration from the backups."),
    ] = False,
    reference: Annotated[
        Reference,
        typer.Option(
            "--against", help="Compare with the intended configuration or the last backup."
        ),
    ] = Reference.intended,
    metrics_file: Annotated[
        Path | None,
        typer.Option(
            "--metrics-file",
            envvar="EDUNET_CONFIG_DRIFT_METRICS",
            help=f"Prometheus textfile-collector file (default {TEXTFILE_DIR / METRICS_NAME} "
            "where that directory exists).",
            show_default=False,
        ),
    ] = None,
    store: StoreOption = Path("config-backups"),
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    address_map: AddressMapOption = "",
    workers: WorkersOption = 10,
    deadline: DeadlineOption = 60.0,
    timeout: TimeoutOption = 15.0,
    secrets_file: SecretsFileOption = None,
) -> None:
    """Running against intended configuration, volatile lines ignored: the exact lines per
    device, a metric file, exit 1 on any drift or failed check."""
    from playbooks.configs import render_device
    from playbooks.devices import drift as d
    from playbooks.devices.backup import NoBackup, read_config

    if from_backup and reference is Reference.backup:
        raise _fail("--from-backup with --against backup compares the backups with themselves")
    inv = load_or_exit(inventory)
    targets = _targets(inv, limit, address_map)
    st = _store(store)

    def stored(t: Target) -> str:
        text = st.show(t.district, t.device)
        if text is None:
            raise NoBackup("no backup stored")
        return text

    if reference is Reference.intended:

        def ref(t: Target) -> str:
            return render_device(inv, inv.devices[t.device])
    else:
        ref = stored
    if from_backup:
        running = stored
    else:
        conn = _connector(targets, timeout, secrets_file)

        def running(t: Target) -> str:
            return read_config(t, conn).value or ""

    drifts = d.check(targets, ref, running, workers=workers, deadline=deadline)
    sys.stdout.write(d.report(drifts))
    path = metrics_file
    if path is None and TEXTFILE_DIR.is_dir():
        path = TEXTFILE_DIR / METRICS_NAME
    if path is not None:
        d.write_metrics(path, drifts)
    if any(x.drifted or not x.checked for x in drifts):
        raise typer.Exit(EXIT_FAILED)


@app.command()
def push(
    lines_file: Annotated[
        Path | None,
        typer.Option("--lines", help="Configuration lines to send (# comments skipped)."),
    ] = None,
    to_intended: Annotated[
        bool,
        typer.Option("--intended", help="Send what the intended configuration adds."),
    ] = False,
    limit: LimitOption = None,
    store: StoreOption = Path("config-backups"),
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    address_map: AddressMapOption = "",
    workers: WorkersOption = 10,
    deadline: DeadlineOption = 120.0,
    timeout: TimeoutOption = 15.0,
    secrets_file: SecretsFileOption = None,
    outside_window: OutsideWindowOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Backup, push, save (write memory); on a rejected line roll the device back to its
    state before the push and verify. One row per device; exit 1 on any failure."""
    from playbooks.devices.push import push as run_push
    from playbooks.devices.push_lines import from_file, to_intended_lines

    if (lines_file is None) == (not to_intended):
        raise _fail("give exactly one of --lines FILE or --intended")
    inv = load_or_exit(inventory)
    targets = _targets(inv, limit, address_map)
    if not outside_window:  # before any device is reached
        import datetime as dt

        from edunet.maintenance import refusal

        refused = refusal(inv, [t.device for t in targets], dt.datetime.now(dt.UTC))
        if refused:
            raise _fail(refused)
    if lines_file is not None:
        try:
            lines_for = from_file(lines_file)
        except OSError as e:
            raise _fail(f"{lines_file}: {e.strerror}") from None
    else:
        lines_for = to_intended_lines(inv)
    devices = [t.device for t in targets]
    operator = authorise(inv, "config push", devices, limit or "")
    conn = _connector(targets, timeout, secrets_file)
    with begin(inv, "config push", devices, limit=limit or "", operator=operator) as change:
        run = run_push(targets, conn, lines_for, _store(store), workers=workers, deadline=deadline)
        emit(_rows(run.rows), fmt, title="config push")
        for sha, what in ((run.before_commit, "backup before"), (run.after_commit, "after push")):
            if sha:
                err_console.print(f"{what}: commit {sha[:12]}", highlight=False)
        _end(change, run.rows, store, run.after_commit)
    if any(not r.succeeded for r in run.rows):
        raise typer.Exit(EXIT_FAILED)
