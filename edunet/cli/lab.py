"""``edunet lab``: the simulated city on this machine: up, down, status, faults."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edunet.cli import DEFAULT_INVENTORY, FormatOption, InventoryOption
from edunet.cli.output import Format, console, emit, emit_object, err_console

if TYPE_CHECKING:
    from edunet.model import Inventory

app = typer.Typer(
    help="The simulated city lab: SNMP agents and SSH switches on loopback, with faults to inject.",
    no_args_is_help=True,
)
fault_app = typer.Typer(
    help="Inject and clear faults: reboots, flapping ports, swapped serials, SSH refused or "
    "configuration rejected (no root); devices, sites and uplinks down or impaired (root); "
    "applications failing or slow.",
    no_args_is_help=True,
)
app.add_typer(fault_app, name="fault")

StateDirOption = Annotated[
    Path | None,
    typer.Option(
        "--state-dir",
        help="Lab state directory (default: $EDUNET_LAB_DIR or ./.edunet-lab).",
        show_default=False,
    ),
]


def _state_dir(state_dir: Path | None) -> Path:
    from edunet.lab.state import default_state_dir

    return state_dir if state_dir is not None else default_state_dir()


def _fail(e: Exception) -> typer.Exit:
    err_console.print(f"[red]error[/]: {e}", highlight=False)
    return typer.Exit(1)


def _inventory(state_dir: Path, inventory: Path) -> Inventory:
    """The running lab's inventory if there is one, else the one given."""
    from edunet.cli import load_or_exit
    from edunet.lab.state import read_state

    state = read_state(state_dir)
    return load_or_exit(Path(state["inventory"]) if state else inventory)


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
    from edunet.lab import lab

    sd = _state_dir(state_dir)
    try:
        if err_console.is_terminal:
            with err_console.status("starting the lab …", spinner="dots") as s:
                result = lab.up(
                    inventory,
                    sd,
                    shards,
                    port,
                    lambda m: s.update(m + " …"),
                    app_port_offset,
                    ssh_port,
                )
        else:
            result = lab.up(
                inventory, sd, shards, port, app_port_offset=app_port_offset, ssh_port=ssh_port
            )
    except lab.LabError as e:
        raise _fail(e) from None
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

    from edunet.lab.state import read_state

    sd = _state_dir(state_dir)
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
    from edunet.lab import lab

    stopped = lab.down(_state_dir(state_dir))
    if not stopped:
        err_console.print("lab was not running")
    for s in stopped:
        err_console.print(f"stopped {s}", highlight=False)


@app.command()
def status(state_dir: StateDirOption = None, fmt: FormatOption = Format.table) -> None:
    """Processes alive, endpoints served, faults active."""
    from edunet.lab import lab

    sd = _state_dir(state_dir)
    st = lab.status(sd)
    if fmt is Format.json:
        st["fault_list"] = lab.fault_rows(sd)
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
    emit(st["processes"], fmt, "Processes")
    rows = lab.fault_rows(sd)
    if rows:
        emit(rows, fmt, "Faults")
    else:
        err_console.print("no faults")


# --- faults --------------------------------------------------------------------------------


def _device(inv: Inventory, name: str) -> str:
    from edunet.lab import lab

    return lab.find("device", name, list(inv.devices))


def _device_port(inv: Inventory, device: str, port: str) -> tuple[str, str]:
    """A device and one of its ports, by name (case-insensitive), or exit 1 naming close ones."""
    from edunet.lab import lab

    name = _lookup(_device, inv, device)
    return name, _lookup(lab.find, "port", port, list(inv.devices[name].model.interfaces))


def _site(inv: Inventory, code: str) -> str:
    from edunet.lab import lab

    return lab.find("site", code, list(inv.sites))


def _run(fn: Any, *args: Any) -> None:
    from edunet.lab.lab import LabError

    try:
        fn(*args)
    except LabError as e:
        raise _fail(e) from None


def _lookup(fn: Any, *args: Any) -> Any:
    from edunet.lab.lab import LabError

    try:
        return fn(*args)
    except LabError as e:
        raise _fail(e) from None


@fault_app.command()
def reboot(
    device: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Reboot a device: its sysUpTime starts again from zero."""
    from edunet.lab import state

    sd = _state_dir(state_dir)
    name = _lookup(_device, _inventory(sd, inventory), device)
    state.reboot(sd, name)
    err_console.print(f"{name} rebooted")


@fault_app.command()
def flap(
    device: str,
    port: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make a port flap: its oper status goes down and up every 10 seconds."""
    from edunet.lab import state

    sd = _state_dir(state_dir)
    name, port_name = _device_port(_inventory(sd, inventory), device, port)
    state.flap(sd, name, port_name)
    err_console.print(f"{name} {port_name} flapping")


@fault_app.command()
def errors(
    device: str,
    port: str,
    per_second: Annotated[
        float, typer.Option("--per-second", min=0.01, help="Errors and discards a second.")
    ] = 5.0,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make a port count input/output errors and discards (a bad cable, a duplex mismatch)."""
    from edunet.lab import state

    sd = _state_dir(state_dir)
    name, port_name = _device_port(_inventory(sd, inventory), device, port)
    state.port_errors(sd, name, port_name, per_second)
    err_console.print(f"{name} {port_name}: {per_second:g} errors a second")


@fault_app.command()
def serial(
    device: str,
    new_serial: Annotated[
        str | None, typer.Argument(metavar="SERIAL", help="Serial to report (default: made up).")
    ] = None,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Swap a device's chassis: ENTITY-MIB reports another serial number."""
    from edunet.lab import state

    sd = _state_dir(state_dir)
    inv = _inventory(sd, inventory)
    name = _lookup(_device, inv, device)
    hw = inv.devices[name].hardware
    value = new_serial or "SWAP" + (hw.serial[::-1] if hw else name.upper().replace("-", ""))[:8]
    state.swap_serial(sd, name, value)
    err_console.print(f"{name} now reports serial {value}", highlight=False)


@fault_app.command("down")
def device_down(
    device: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Take a device off the network (root): every packet to its addresses is dropped."""
    from edunet.lab import lab

    sd = _state_dir(state_dir)
    inv = _inventory(sd, inventory)
    name = _lookup(_device, inv, device)
    _run(lab.device_down, sd, inv, name)
    err_console.print(f"{name} down")


@fault_app.command("site-down")
def site_down(
    site: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Take a whole site off the network (root)."""
    from edunet.lab import lab

    sd = _state_dir(state_dir)
    inv = _inventory(sd, inventory)
    code = _lookup(_site, inv, site)
    _run(lab.site_down, sd, inv, code)
    err_console.print(f"site {code} down")


@fault_app.command("link-down")
def link_down(
    link: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Cut a link as the topology says (root for sites it cuts off).

    Its ports go down, and the sites that reach the data center only through it drop off
    the network. Clear with `fault clear link-down:LINK`.
    """
    from edunet.lab import lab

    sd = _state_dir(state_dir)
    inv = _inventory(sd, inventory)
    link_id = _lookup(lab.find, "link", link, list(inv.links))
    try:
        cut = lab.link_down(sd, inv, link_id)
    except lab.LabError as e:
        raise _fail(e) from None
    what = f"cuts off {len(cut)} site(s): {' '.join(cut)}" if cut else "cuts off no site"
    err_console.print(f"link {link_id} down; {what}", highlight=False)


@fault_app.command()
def uplink(
    site: str,
    loss: Annotated[float, typer.Option("--loss", min=0, max=100, help="Packet loss, %.")] = 0,
    delay: Annotated[float, typer.Option("--delay", min=0, help="Added delay, ms.")] = 0,
    jitter: Annotated[float, typer.Option("--jitter", min=0, help="Delay jitter, ms.")] = 0,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Impair a site's uplink (root): loss and delay on its probe address."""
    from edunet.lab import lab

    sd = _state_dir(state_dir)
    inv = _inventory(sd, inventory)
    code = _lookup(_site, inv, site)
    _run(lab.uplink_impair, sd, inv, code, loss, delay, jitter)
    err_console.print(f"site {code} uplink: loss {loss}%, delay {delay} ms, jitter {jitter} ms")


def _ssh_device(sd: Path, inventory: Path, device: str) -> str:
    """A device that has a simulated SSH switch, or exit 1 saying why not."""
    from edunet.lab.ssh.lab_side import check_device

    inv = _inventory(sd, inventory)
    name: str = _lookup(_device, inv, device)
    reason = check_device(inv, name)
    if reason:
        raise _fail(ValueError(reason))
    return name


@fault_app.command("ssh-down")
def ssh_down(
    device: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make a simulated switch refuse SSH (open sessions are dropped); SNMP still answers."""
    from edunet.lab import state

    sd = _state_dir(state_dir)
    name = _ssh_device(sd, inventory, device)
    state.ssh_down(sd, name)
    err_console.print(f"{name} refuses SSH", highlight=False)


@fault_app.command("config-reject")
def config_reject(
    device: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make a simulated switch answer every configuration line with IOS's invalid-input marker."""
    from edunet.lab import state

    sd = _state_dir(state_dir)
    name = _ssh_device(sd, inventory, device)
    state.config_reject(sd, name)
    err_console.print(f"{name} rejects configuration lines", highlight=False)


@fault_app.command("app-down")
def app_down(
    code: str,
    status_code: Annotated[int, typer.Option("--status", help="HTTP status to answer.")] = 503,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make an application fail (HTTP 503 by default)."""
    from edunet.lab import lab, state

    sd = _state_dir(state_dir)
    inv = _inventory(sd, inventory)
    app_code = _lookup(lab.find, "application", code, list(inv.applications))
    state.app_fault(sd, app_code, status_code, 0)
    err_console.print(f"{app_code} answers {status_code}")


@fault_app.command("app-slow")
def app_slow(
    code: str,
    delay: Annotated[int, typer.Option("--delay", min=0, help="Added delay, ms.")] = 2000,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make an application slow."""
    from edunet.lab import lab, state

    sd = _state_dir(state_dir)
    inv = _inventory(sd, inventory)
    app_code = _lookup(lab.find, "application", code, list(inv.applications))
    state.app_fault(sd, app_code, 200, delay)
    err_console.print(f"{app_code} answers after {delay} ms")


@fault_app.command("list")
def list_faults(state_dir: StateDirOption = None, fmt: FormatOption = Format.table) -> None:
    """Every active fault, with the key ``fault clear`` takes."""
    from edunet.lab import lab

    rows = lab.fault_rows(_state_dir(state_dir))
    emit(rows, fmt, "Faults", ("key", "kind", "target", "detail"))


@fault_app.command()
def clear(
    key: Annotated[str | None, typer.Argument(help="Fault key (see `fault list`).")] = None,
    all_faults: Annotated[bool, typer.Option("--all", help="Clear every fault.")] = False,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Clear one fault by its key, or all of them."""
    from edunet.lab import lab

    sd = _state_dir(state_dir)
    if all_faults:
        lab.clear_all_faults(sd)
        err_console.print("all faults cleared")
        return
    if not key:
        raise _fail(ValueError("name a fault key (see `edunet lab fault list`) or use --all"))
    if key.startswith("link-down:"):
        _run(lab.clear_fault, sd, key, _inventory(sd, inventory))
        err_console.print(f"cleared {key}", highlight=False)
        return
    keys = [r["key"] for r in lab.fault_rows(sd)]
    found = _lookup(lab.find, "fault", key, keys)
    _run(lab.clear_fault, sd, found)
    err_console.print(f"cleared {found}", highlight=False)
