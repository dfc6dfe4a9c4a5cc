"""``edunet lab``: the simulated city on this machine: up, env, down, status.

Its ``fault`` commands live in :mod:`lab.cli_faults`, what both share in :mod:`lab.cli_common`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edunet.cli.common import DEFAULT_INVENTORY, FormatOption, InventoryOption
from edunet.cli.output import (
    Format,
    TableOption,
    console,
    emit,
    emit_object,
    emit_tables,
    err_console,
)
from lab.cli_common import StateDirOption, fail, state_dir_or_default
from lab.cli_faults import fault_app

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="The simulated city lab: SNMP agents and SSH switches on loopback, with faults to inject.",
    no_args_is_help=True,
)


@app.command()
def up(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    state_dir: StateDirOption = None,
    shards: Annotated[
        int | None, typer.Option(min=1, help="SNMP agent processes (default: CPU count).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=65535,
            help="SNMP port of every agent (default: 161; 1161 when ports below 1024 are refused).",
            show_default=False,
        ),
    ] = None,
    app_port_offset: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=55000,
            help="Added to every application port (default: 0; 10000 without root).",
            show_default=False,
        ),
    ] = None,
    ssh_port: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=65535,
            help="SSH port of every simulated switch (default: $EDUNET_LAB_SSH_PORT or 10022).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the lab: SNMP agents for every SNMP device, simulated SSH switches for every
    Cisco IOS device, application servers; wait until ready."""
    from lab import errors, lifecycle

    sd = state_dir_or_default(state_dir)
    try:
        if err_console.is_terminal:
            with err_console.status("starting the lab …", spinner="dots") as s:
                result = lifecycle.up(
                    inventory,
                    sd,
                    shards,
                    port,
                    lambda m: s.update(m + " …"),
                    app_port_offset,
                    ssh_port,
                )
        else:
            result = lifecycle.up(
                inventory, sd, shards, port, app_port_offset=app_port_offset, ssh_port=ssh_port
            )
    except errors.LabError as e:
        raise fail(e) from None
    st = result.state
    if result.already:
        err_console.print(f"[yellow]already up[/] (state in {sd})")
    else:
        reused = ", device records reused" if result.data_reused else ""
        err_console.print(
            f"[green]lab up[/] in {result.seconds:.1f} s: {st['endpoints']:,} SNMP endpoints "
            f"on {st['shards']} agent shard(s), {st.get('ssh_devices', 0):,} SSH switches{reused}"
        )
    for skipped in result.skipped:
        err_console.print(f"[yellow]skipped[/]: {skipped}")
    rows = [
        {"process": p["name"], "pid": p["pid"], "endpoints": p.get("endpoints", 0)}
        for p in st["processes"]
    ]
    emit(rows, Format.table, "Processes")
    offset = st.get("app_port_offset", 0)
    ports = f"SNMP port {st['port']}, SSH port {st.get('ssh_port')}"
    ports += f", application ports +{offset}" if offset else ""
    console.print(f"address map: {st['address_map']} ({ports})", highlight=False)
    console.print('for the exporters: eval "$(edunet lab env)"', highlight=False)


@app.command()
def env(state_dir: StateDirOption = None) -> None:
    """Shell lines that point the exporters at the running lab: eval "$(edunet lab env)"."""
    import shlex

    from lab.state import read_state

    sd = state_dir_or_default(state_dir)
    st = read_state(sd)
    if st is None:
        err_console.print(f"[red]error[/]: the lab is not up (state in {sd}); run edunet lab up")
        raise typer.Exit(1)
    values = {
        "EDUNET_SECRETS_FILE": st["secrets_file"],
        "EDUNET_ADDRESS_MAP": st["address_map"],
        "EDUNET_SNMP_PORT": st["port"],
        "EDUNET_SSH_PORT": st.get("ssh_port", ""),
        "EDUNET_APP_PORT_OFFSET": st.get("app_port_offset", 0),
        "EDUNET_CA_FILE": st.get("ca_file") or "",
        # the simulated switches share one host key: Ansible skips host-key checks for them
        "EDUNET_LAB": "true",
    }
    for name, value in values.items():
        print(f"export {name}={shlex.quote(str(value))}")


@app.command()
def down(state_dir: StateDirOption = None) -> None:
    """Stop every lab process and clear network faults."""
    from lab import lifecycle

    stopped = lifecycle.down(state_dir_or_default(state_dir))
    if not stopped:
        err_console.print("lab was not running")
    for s in stopped:
        err_console.print(f"stopped {s}", highlight=False)


@app.command()
def status(
    state_dir: StateDirOption = None, fmt: FormatOption = Format.table, table: TableOption = None
) -> None:
    """Processes alive, endpoints served, faults active. CSV holds one table: processes
    (the default) or faults (--table)."""
    from lab import faults, lifecycle

    sd = state_dir_or_default(state_dir)
    st = lifecycle.status(sd)
    if fmt is Format.json:
        st["fault_list"] = faults.fault_rows(sd)
        emit_object(st, fmt)
        return
    if not st["processes"]:
        err_console.print(f"lab is down (state dir {sd})")
        raise typer.Exit(3)
    word = "[green]up[/]" if st["up"] else "[red]degraded[/]"
    err_console.print(
        f"lab {word}: {st['endpoints']:,} SNMP endpoints, {st.get('ssh_devices') or 0:,} SSH "
        f"switches (port {st.get('ssh_port')}), address map {st['address_map']}",
        highlight=False,
    )
    if fmt is Format.csv:  # a CSV file holds one table
        emit_tables({"processes": st["processes"], "faults": faults.fault_rows(sd)}, fmt, table)
        return
    emit(st["processes"], fmt, "Processes")
    rows = faults.fault_rows(sd)
    if rows:
        emit(rows, fmt, "Faults")
    else:
        err_console.print("no faults")


app.add_typer(fault_app, name="fault")
