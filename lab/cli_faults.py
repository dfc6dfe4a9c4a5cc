"""``edunet lab fault``: inject and clear the lab's faults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edunet.cli.changes import Change, begin
from edunet.cli.common import DEFAULT_INVENTORY, FormatOption, InventoryOption
from edunet.cli.output import Format, emit, err_console
from lab.cli_common import StateDirOption, fail, lab_inventory, state_dir_or_default

if TYPE_CHECKING:
    from edunet.model import Inventory

fault_app = typer.Typer(
    help="Inject and clear faults: reboots, flapping ports, swapped serials, SSH refused or "
    "configuration rejected (no root); devices, sites and uplinks down or impaired (root); "
    "applications failing or slow.",
    no_args_is_help=True,
)


def _named(inv: Inventory, kind: str, key: str) -> str:
    """The key of the device, site, link or application ``key`` names, or exit 1 naming close
    ones."""
    from edunet.select import NotFound, lookup

    try:
        return lookup(inv, kind, key)
    except NotFound as e:
        raise fail(e) from None


def _one_of(kind: str, key: str, known: list[str], where: str) -> str:
    from edunet.select import NotFound, find

    try:
        return find(kind, key, known, where)
    except NotFound as e:
        raise fail(e) from None


def _device(inv: Inventory, name: str) -> str:
    return _named(inv, "device", name)


def _device_port(inv: Inventory, device: str, port: str) -> tuple[str, str]:
    """A device and one of its ports, by name (case-insensitive), or exit 1 naming close ones."""
    name = _device(inv, device)
    ports = list(inv.devices[name].model.interfaces)
    return name, _one_of("port", port, ports, f" on {name}")


def devices_of(inv: Inventory, target: str) -> list[str]:
    """The devices a fault on ``target`` changes: a device, a site's devices, a link's two
    ends. What names none (an application, served from the data center) is returned as it
    is, and so lies outside any reach but the whole city's."""
    if target in inv.devices:
        return [target]
    if target in inv.sites:
        return list(inv.sites[target].devices) or [target]
    if target in inv.links:
        link = inv.links[target]
        return [e.device for e in (link.a, link.b) if e.device is not None] or [target]
    return [target]


def _change(inv: Inventory, what: str, target: str) -> Change:
    """The operator may fault ``target`` (else exit 2, naming what is out of reach); the
    fault's audit lines."""
    return begin(inv, f"lab fault {what}", devices_of(inv, target), limit=target)


def _run(fn: Any, *args: Any) -> None:
    from lab.errors import LabError

    try:
        fn(*args)
    except LabError as e:
        raise fail(e) from None


@fault_app.command()
def reboot(
    device: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Reboot a device: its sysUpTime starts again from zero."""
    from lab import device_faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    name = _device(inv, device)
    with _change(inv, "reboot", name):
        device_faults.reboot(sd, name)
    err_console.print(f"{name} rebooted")


@fault_app.command()
def flap(
    device: str,
    port: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make a port flap: its oper status goes down and up every 10 seconds."""
    from lab import device_faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    name, port_name = _device_port(inv, device, port)
    with _change(inv, "flap", name):
        device_faults.flap(sd, name, port_name)
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
    from lab import device_faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    name, port_name = _device_port(inv, device, port)
    with _change(inv, "errors", name):
        device_faults.port_errors(sd, name, port_name, per_second)
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
    from lab import device_faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    name = _device(inv, device)
    hw = inv.devices[name].hardware
    value = new_serial or "SWAP" + (hw.serial[::-1] if hw else name.upper().replace("-", ""))[:8]
    with _change(inv, "serial", name):
        device_faults.swap_serial(sd, name, value)
    err_console.print(f"{name} now reports serial {value}", highlight=False)


@fault_app.command("down")
def device_down(
    device: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Take a device off the network (root): every packet to its addresses is dropped."""
    from lab import faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    name = _device(inv, device)
    with _change(inv, "down", name):
        _run(faults.device_down, sd, inv, name)
    err_console.print(f"{name} down")


@fault_app.command("site-down")
def site_down(
    site: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Take a whole site off the network (root)."""
    from lab import faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    code = _named(inv, "site", site)
    with _change(inv, "site-down", code):
        _run(faults.site_down, sd, inv, code)
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
    from lab import errors, faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    link_id = _named(inv, "link", link)
    with _change(inv, "link-down", link_id):
        try:
            cut = faults.link_down(sd, inv, link_id)
        except errors.LabError as e:
            raise fail(e) from None
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
    from lab import faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    code = _named(inv, "site", site)
    with _change(inv, "uplink", code):
        _run(faults.uplink_impair, sd, inv, code, loss, delay, jitter)
    err_console.print(f"site {code} uplink: loss {loss}%, delay {delay} ms, jitter {jitter} ms")


def _ssh_device(sd: Path, inventory: Path, device: str) -> str:
    """A device that has a simulated SSH switch, or exit 1 saying why not."""
    from lab.ssh.lab_side import check_device

    inv = lab_inventory(sd, inventory)
    name: str = _device(inv, device)
    reason = check_device(inv, name)
    if reason:
        raise fail(ValueError(reason))
    return name


def _ssh_fault(
    device: str,
    state_dir: Path | None,
    inventory: Path,
    fault: Callable[[Path, str], None],
    says: str,
    what: str,
) -> None:
    sd = state_dir_or_default(state_dir)
    name = _ssh_device(sd, inventory, device)
    with _change(lab_inventory(sd, inventory), what, name):
        fault(sd, name)
    err_console.print(f"{name} {says}", highlight=False)


@fault_app.command("ssh-down")
def ssh_down(
    device: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make a simulated switch refuse SSH (open sessions are dropped); SNMP still answers."""
    from lab import device_faults

    _ssh_fault(device, state_dir, inventory, device_faults.ssh_down, "refuses SSH", "ssh-down")


@fault_app.command("config-reject")
def config_reject(
    device: str,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make a simulated switch answer every configuration line with IOS's invalid-input marker."""
    from lab import device_faults

    says = "rejects configuration lines"
    _ssh_fault(device, state_dir, inventory, device_faults.config_reject, says, "config-reject")


@fault_app.command("app-down")
def app_down(
    code: str,
    status_code: Annotated[int, typer.Option("--status", help="HTTP status to answer.")] = 503,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make an application fail (HTTP 503 by default)."""
    from lab import device_faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    app_code = _named(inv, "application", code)
    with _change(inv, "app-down", app_code):
        device_faults.app_fault(sd, app_code, status_code, 0)
    err_console.print(f"{app_code} answers {status_code}")


@fault_app.command("app-slow")
def app_slow(
    code: str,
    delay: Annotated[int, typer.Option("--delay", min=0, help="Added delay, ms.")] = 2000,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Make an application slow."""
    from lab import device_faults

    sd = state_dir_or_default(state_dir)
    inv = lab_inventory(sd, inventory)
    app_code = _named(inv, "application", code)
    with _change(inv, "app-slow", app_code):
        device_faults.app_fault(sd, app_code, 200, delay)
    err_console.print(f"{app_code} answers after {delay} ms")


@fault_app.command("list")
def list_faults(state_dir: StateDirOption = None, fmt: FormatOption = Format.table) -> None:
    """Every active fault, with the key ``fault clear`` takes."""
    from lab import faults

    rows = faults.fault_rows(state_dir_or_default(state_dir))
    emit(rows, fmt, "Faults", ("key", "kind", "target", "detail"))


@fault_app.command()
def clear(
    key: Annotated[str | None, typer.Argument(help="Fault key (see `fault list`).")] = None,
    all_faults: Annotated[bool, typer.Option("--all", help="Clear every fault.")] = False,
    state_dir: StateDirOption = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Clear one fault by its key, or all of them."""
    from lab import faults

    sd = state_dir_or_default(state_dir)
    if all_faults:
        inv = lab_inventory(sd, inventory)  # every fault: the whole city's reach
        with begin(inv, "lab fault clear --all", inv.devices, limit="all"):
            faults.clear_all_faults(sd)
        err_console.print("all faults cleared")
        return
    if not key:
        raise fail(ValueError("name a fault key (see `edunet lab fault list`) or use --all"))
    inv = lab_inventory(sd, inventory)
    if key.startswith("link-down:"):
        with _change(inv, "clear", key.split(":")[1]):
            _run(faults.clear_fault, sd, key, inv)
        err_console.print(f"cleared {key}", highlight=False)
        return
    keys = [r["key"] for r in faults.fault_rows(sd)]
    found = _one_of("fault", key, keys, " among the active faults")
    with _change(inv, "clear", found.split(":")[1]):
        _run(faults.clear_fault, sd, found)
    err_console.print(f"cleared {found}", highlight=False)
