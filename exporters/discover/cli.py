"""``edunet discover``: walk the network over SNMP and LLDP, sweep the management prefixes
LLDP does not lead through, and propose what the inventory lacks (docs/discover.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edunet.cli.common import DEFAULT_INVENTORY, EXIT_INVALID, FormatOption, InventoryOption
from edunet.cli.output import Format, emit, err_console
from exporters.cli import (
    AddressMapOption,
    SecretsFileOption,
    SnmpPortOption,
    _address_map,
    _secrets_file,
)

if TYPE_CHECKING:
    from edunet.model import Inventory, SnmpProfile
    from exporters.discover.sweep import Sweep

__all__ = ["discover"]


def discover(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    seed: Annotated[
        list[str] | None,
        typer.Option(
            "--seed",
            help="Where the walk starts: a device (name or address) or a management address; "
            "repeat for more. Default: the data center's routers, firewalls and core switches.",
            show_default=False,
        ),
    ] = None,
    sweep: Annotated[
        list[str] | None,
        typer.Option(
            "--sweep",
            help="Also probe every address of this prefix (at most a /16); repeat for more.",
            show_default=False,
        ),
    ] = None,
    sweep_slots: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="IP-plan slots of each area to sweep (0: no sweep of the plan). Default: up "
            "to the highest slot in use, and 16 more.",
            show_default=False,
        ),
    ] = None,
    address_map: AddressMapOption = "",
    fmt: FormatOption = Format.table,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            help="Also write the proposal as a YAML fragment of the inventory, to review "
            "and merge.",
            show_default=False,
        ),
    ] = None,
    snmp_profile: Annotated[
        str | None,
        typer.Option(
            help="Credential profile for addresses the inventory does not know. "
            "Default: the first seed's.",
            show_default=False,
        ),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=1024, help="Polls at once.")] = 64,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds per SNMP request.")] = 2.0,
    budget: Annotated[
        float, typer.Option(min=0.1, help="Seconds per device, retries included.")
    ] = 6.0,
    probe_timeout: Annotated[
        float, typer.Option(min=0.05, help="Seconds a sweep probe waits (one try).")
    ] = 1.0,
    secrets_file: SecretsFileOption = None,
    snmp_port: SnmpPortOption = 161,
) -> None:
    """Walk the network over SNMP and LLDP from seed devices, sweep the management prefixes
    LLDP does not lead through; propose what the inventory lacks.

    Exit 0 when the network is as the inventory says, 1 on any finding, 2 on bad input."""
    from edunet import atomic
    from edunet.cli.common import load_or_exit
    from edunet.secrets import SecretStore
    from exporters.discover.fragment import fragment
    from exporters.discover.run import Credentials, as_json, default_seeds, rows
    from exporters.discover.run import discover as run_discover
    from exporters.discover.walk import WalkOptions

    amap = _address_map(address_map)
    inv = load_or_exit(inventory)
    seeds = _seeds(inv, seed) if seed else default_seeds(inv)
    if not seeds:
        err_console.print("[red]error[/]: no seed to start from (--seed)", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    swept = _sweep(inv, sweep or [], sweep_slots)
    profile = _profile(inv, snmp_profile, seeds)
    store = SecretStore(file=_secrets_file(secrets_file)) if secrets_file else SecretStore()
    options = WalkOptions(
        concurrency,
        timeout,
        budget,
        port=snmp_port,
        address_map=amap,
        probe_timeout_s=probe_timeout,
    )
    credentials = Credentials(inv, store, profile)
    if err_console.is_terminal:
        from rich.progress import Progress

        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("discovering", total=len(seeds))

            def show(done: int, known: int) -> None:
                bar.update(task, completed=done, total=known)

            found, proposal = run_discover(inv, seeds, credentials, options, show, swept)
    else:
        found, proposal = run_discover(inv, seeds, credentials, options, sweep=swept)
    if write is not None:
        try:
            atomic.write_text(write, fragment(inv, proposal, found.hops))
        except OSError as e:
            err_console.print(f"[red]error[/]: cannot write {write}: {e}", highlight=False)
            raise typer.Exit(EXIT_INVALID) from None
    if fmt is Format.json:
        from edunet.cli.output import emit_object

        emit_object(as_json(proposal, found), fmt)
    else:
        emit(
            rows(proposal),
            fmt,
            "Phát hiện (discovered vs inventory)",
            ("finding", "device", "where", "detail"),
        )
    rate = found.reached / found.seconds if found.seconds else 0.0
    err_console.print(
        f"{found.reached:,} devices answered in {found.seconds:.1f} s ({rate:,.0f}/s), "
        f"{found.probes:,} sweep probes: {len(proposal.matched):,} as declared, "
        f"{len(proposal.devices):,} missing, {len(proposal.links):,} links missing, "
        f"{len(proposal.mismatches):,} mismatches, {len(proposal.unreachable):,} unreachable, "
        f"{len(proposal.not_answering):,} declared but not answering",
        highlight=False,
    )
    clean = not (
        proposal.devices
        or proposal.links
        or proposal.mismatches
        or proposal.unreachable
        or proposal.not_answering
    )
    raise typer.Exit(0 if clean else 1)


def _sweep(inv: Inventory, given: list[str], slots: int | None) -> Sweep:
    from dataclasses import replace

    from exporters.discover.sweep import plan_sweep, told_prefix

    try:
        told = tuple(told_prefix(text) for text in given)
    except ValueError as e:
        err_console.print(f"[red]error[/]: {e}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    plan = plan_sweep(inv, slots)
    return replace(plan, told=told, plan=plan.plan if slots != 0 else ())


def _seeds(inv: Inventory, given: list[str]) -> list[str]:
    from ipaddress import IPv4Address

    from edunet.select import NotFound, lookup

    out = []
    for text in given:
        try:
            out.append(str(IPv4Address(text.strip())))
            continue
        except ValueError:
            pass
        try:
            out.append(str(inv.devices[lookup(inv, "device", text)].mgmt_ip))
        except NotFound as e:
            err_console.print(f"[red]error[/]: {e}", highlight=False)
            raise typer.Exit(EXIT_INVALID) from None
    return out


def _profile(inv: Inventory, name: str | None, seeds: list[str]) -> SnmpProfile | None:
    if name is not None:
        if name not in inv.snmp_profiles:
            known = ", ".join(sorted(inv.snmp_profiles)) or "none"
            err_console.print(
                f"[red]error[/]: no SNMP profile {name!r} (the inventory has: {known})",
                highlight=False,
            )
            raise typer.Exit(EXIT_INVALID)
        return inv.snmp_profiles[name]
    by_address = {str(d.mgmt_ip): d.snmp for d in inv.devices.values() if d.snmp}
    return next((by_address[s] for s in seeds if s in by_address), None)
