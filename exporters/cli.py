"""``edunet exporters`` and ``edunet reconcile``: the Prometheus exporters, and declared vs
discovered hardware and neighbours (``edunet discover`` is in exporters/discover/cli.py)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edunet.cli.common import DEFAULT_INVENTORY, EXIT_INVALID, FormatOption, InventoryOption
from edunet.cli.output import Format, emit, err_console

if TYPE_CHECKING:
    from edunet.model import Device, Inventory
    from edunet.reach import AddressMap
    from exporters.snmp.reconcile import DeviceReport

app = typer.Typer(
    help="Prometheus exporters: SNMP device health and link-quality probing.",
    no_args_is_help=True,
)

ADDRESS_MAP_ENV = "EDUNET_ADDRESS_MAP"


class Which(StrEnum):
    snmp = "snmp"
    probe = "probe"
    all = "all"


class LogFormat(StrEnum):
    json = "json"
    logfmt = "logfmt"


AddressMapOption = Annotated[
    str,
    typer.Option(
        "--address-map",
        envvar=ADDRESS_MAP_ENV,
        help="Translate inventory addresses before sending, e.g. 10.0.0.0/8=127.0.0.0/8 "
        "(the lab). Empty: send to the inventory's addresses.",
    ),
]
SecretsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--secrets-file",
        help="SNMP credentials (YAML, chmod 600); default $EDUNET_SECRETS_FILE. "
        "Values in the environment win.",
        show_default=False,
    ),
]

SnmpPortOption = Annotated[
    int,
    typer.Option(
        "--snmp-port",
        min=1,
        max=65535,
        envvar="EDUNET_SNMP_PORT",
        help="UDP port the devices answer on.",
    ),
]


def _address_map(text: str) -> AddressMap:
    from edunet.reach import AddressMap

    try:
        return AddressMap.parse(text)
    except ValueError as e:
        err_console.print(f"[red]error[/]: {e}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None


def _secrets_file(path: Path | None) -> Path | None:
    if path is not None and not path.is_file():
        err_console.print(f"[red]error[/]: secrets file {path} not found", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    return path


@app.command()
def run(
    which: Annotated[Which, typer.Argument(help="What to run: snmp, probe, or all.")] = Which.all,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    address_map: AddressMapOption = "",
    listen_snmp: Annotated[
        str, typer.Option(help="HOST:PORT of the SNMP exporter.")
    ] = "127.0.0.1:9116",
    listen_probe: Annotated[str, typer.Option(help="HOST:PORT of the prober.")] = "127.0.0.1:9374",
    secrets_file: SecretsFileOption = None,
    ca_file: Annotated[
        Path | None,
        typer.Option(
            envvar="EDUNET_CA_FILE",
            help="CA bundle for the application checks' TLS.",
            show_default=False,
        ),
    ] = None,
    app_port_offset: Annotated[
        int,
        typer.Option(
            min=0,
            max=55000,
            envvar="EDUNET_APP_PORT_OFFSET",
            help="Prober: added to every application's port (a lab run without root).",
        ),
    ] = 0,
    log_format: Annotated[LogFormat, typer.Option(help="Log lines as.")] = LogFormat.json,
    shutdown_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds from SIGTERM to exit, at most.")
    ] = 5.0,
    snmp_port: SnmpPortOption = 161,
    probe_interval: Annotated[
        float, typer.Option(min=0.05, help="Prober: seconds between rounds of echo requests.")
    ] = 1.0,
    probe_packets: Annotated[
        int, typer.Option(min=1, max=100, help="Prober: echo requests per target per round.")
    ] = 1,
) -> None:
    """Run the exporters until SIGTERM/SIGINT; logs are one JSON object (or logfmt) a line."""
    from edunet.cli.common import load_or_exit
    from exporters import logs
    from exporters.run import RunOptions, parse_listen, urls
    from exporters.run import run as run_exporters

    for listen in (listen_snmp, listen_probe):
        try:
            parse_listen(listen)
        except ValueError as e:
            err_console.print(f"[red]error[/]: {e}", highlight=False)
            raise typer.Exit(EXIT_INVALID) from None
    opts = RunOptions(
        inventory=inventory,
        address_map=_address_map(address_map),
        listen_snmp=listen_snmp,
        listen_probe=listen_probe,
        secrets_file=_secrets_file(secrets_file),
        ca_file=ca_file,
        log_format=log_format.value,
        shutdown_s=shutdown_timeout,
        snmp_port=snmp_port,
        probe_interval_s=probe_interval,
        probe_packets=probe_packets,
        app_port_offset=app_port_offset,
    )
    inv = load_or_exit(inventory) if which is not Which.all else None  # children load their own
    logs.setup(opts.log_format)
    for line in urls(which.value, opts):
        print(line, flush=True)
    code = run_exporters(which.value, lambda _: inv or load_or_exit(inventory), opts)
    raise typer.Exit(code)


def _select(
    inv: Inventory, device: str | None, site: str | None, district: str | None
) -> list[Device]:
    from edunet.select import NotFound, lookup

    def bad(message: object) -> typer.Exit:
        err_console.print(f"[red]error[/]: {message}", highlight=False)
        return typer.Exit(EXIT_INVALID)

    def snmp(d: Device) -> bool:
        return d.snmp is not None and d.platform.snmp

    try:
        name = lookup(inv, "device", device) if device is not None else None
        site_code = lookup(inv, "site", site) if site is not None else None
        district_code = lookup(inv, "district", district) if district is not None else None
    except NotFound as e:
        raise bad(e) from None
    if name is not None:
        found = inv.devices[name]
        if not snmp(found):
            raise bad(f"{name} does not answer SNMP (no profile or platform without it)")
        return [found]
    devices = inv.site_devices(site_code) if site_code else list(inv.devices.values())
    return [d for d in devices if snmp(d) and district_code in (None, d.district)]


def _rows(reports: list[DeviceReport]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for r in reports:
        if not r.polled:
            reason = r.error.value if r.error is not None else "unknown"
            rows.append(
                {
                    "device": r.device,
                    "site": r.site,
                    "check": "poll",
                    "port": "",
                    "expected": "",
                    "found": reason,
                    "note": r.detail,
                }
            )
        for m in r.mismatches:
            rows.append(
                {
                    "device": r.device,
                    "site": r.site,
                    "check": m.kind.value,
                    "port": m.port,
                    "expected": m.expected,
                    "found": m.found,
                    "note": m.note,
                }
            )
    return rows


def _report_json(r: DeviceReport) -> dict[str, Any]:
    return {
        "device": r.device,
        "site": r.site,
        "ok": r.ok,
        "polled": r.polled,
        "error": r.error.value if r.error is not None else None,
        "detail": r.detail,
        "chassis_reported": r.chassis_reported,
        "neighbours_seen": r.neighbours_seen,
        "mismatches": [
            {
                "kind": m.kind.value,
                "port": m.port,
                "expected": m.expected,
                "found": m.found,
                "note": m.note,
            }
            for m in r.mismatches
        ],
    }


def reconcile(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    address_map: AddressMapOption = "",
    device: Annotated[
        str | None, typer.Option("--device", help="One device (name or address).")
    ] = None,
    site: Annotated[str | None, typer.Option("--site", help="Every device of a site.")] = None,
    district: Annotated[
        str | None, typer.Option("--district", help="Every device of a district.")
    ] = None,
    fmt: FormatOption = Format.table,
    concurrency: Annotated[int, typer.Option(min=1, max=1024, help="Polls at once.")] = 32,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds per SNMP request.")] = 2.0,
    secrets_file: SecretsFileOption = None,
    snmp_port: SnmpPortOption = 161,
) -> None:
    """Compare what devices report (model, serial, LLDP neighbours) with the inventory.

    Exit 0 when every device matches, 1 on any difference or failed poll, 2 on bad input."""
    import asyncio

    from edunet.cli.common import load_or_exit
    from edunet.secrets import SecretStore
    from exporters.snmp.reconcile import poll_and_reconcile
    from exporters.snmp.targets import Targets

    amap = _address_map(address_map)
    inv = load_or_exit(inventory)
    devices = _select(inv, device, site, district)
    store = SecretStore(file=_secrets_file(secrets_file)) if secrets_file else SecretStore()
    targets = Targets(inv, store, amap, port=snmp_port)

    async def main() -> list[DeviceReport]:
        from exporters.snmp.poll import poll
        from exporters.snmp.session import close_session

        try:
            return await poll_and_reconcile(
                inv, devices, targets, poll, concurrency=concurrency, timeout_s=timeout
            )
        finally:
            close_session()

    if err_console.is_terminal:
        with err_console.status(f"polling {len(devices):,} devices …", spinner="dots"):
            reports = asyncio.run(main())
    else:
        reports = asyncio.run(main())
    if fmt is Format.json:
        emit([_report_json(r) for r in reports], fmt)
    else:
        columns = ("device", "site", "check", "port", "expected", "found", "note")
        emit(_rows(reports), fmt, "Khác biệt (declared vs discovered)", columns)
    matched = sum(r.ok for r in reports)
    failed = sum(not r.polled for r in reports)
    err_console.print(
        f"{len(reports):,} devices: {matched:,} match, {len(reports) - matched - failed:,} differ,"
        f" {failed:,} not polled",
        highlight=False,
    )
    raise typer.Exit(0 if matched == len(reports) else 1)
