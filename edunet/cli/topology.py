"""``edunet topology``: paths, neighbours, the impact of a failure, single points of failure."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edunet.cli.common import DEFAULT_INVENTORY, FormatOption, InventoryOption
from edunet.cli.output import Format, emit, emit_object, err_console

if TYPE_CHECKING:
    from edunet.model import Inventory
    from edunet.topology import Topology

app = typer.Typer(
    help="The network graph: paths, neighbours, failure impact, single points of failure.",
    no_args_is_help=True,
)


def _topology(inventory: Path) -> tuple[Inventory, Topology]:
    from edunet.cli.common import load_or_exit
    from edunet.topology import topology_of

    inv = load_or_exit(inventory)
    return inv, topology_of(inv)


def _fail(e: Exception) -> typer.Exit:
    err_console.print(f"[red]error[/]: {e}")
    return typer.Exit(1)


@app.command()
def path(
    a: str = typer.Argument(help="Site code or device name."),
    b: Annotated[
        str | None, typer.Argument(help="Site code or device name (default: the data center).")
    ] = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    limit: Annotated[int, typer.Option(min=1, max=256, help="Most paths to list.")] = 16,
    fmt: FormatOption = Format.table,
) -> None:
    """All equal-cost shortest paths between two sites or devices."""
    from edunet.topology import TopologyError

    inv, topo = _topology(inventory)
    try:
        found = topo.paths(a, b, limit=limit) if b else topo.path_to_datacenter(a, limit=limit)
    except TopologyError as e:
        raise _fail(e) from None
    if not found:  # no way between them is an answer the caller must not take for a route
        isolated = [x for x in (a, b) if x is not None and x in inv.sites and inv.sites[x].isolated]
        why = f" (site {isolated[0]} is isolated: true in the inventory)" if isolated else ""
        raise _fail(ValueError(f"no path from {a} to {b or 'the data center'}{why}"))
    rows = [
        {"path": n + 1, "hops": p.hops, "route": str(p), "links": list(p.links)}
        for n, p in enumerate(found)
    ]
    target = b or "the data center"
    emit(rows, fmt, f"{a} → {target}: {len(found)} equal-cost path(s)", ("path", "hops", "route"))


@app.command()
def neighbours(
    node: str = typer.Argument(help="Site code (site level) or device name (device level)."),
    hops: Annotated[
        int, typer.Option("--hops", "-n", min=1, max=16, help="How many links away, 1 to 16.")
    ] = 1,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
) -> None:
    """Sites (or devices) within n hops."""
    from edunet.topology import TopologyError

    inv, topo = _topology(inventory)
    try:
        if node in inv.sites or node.upper() in inv.sites:
            found = topo.site_neighbours(node if node in inv.sites else node.upper(), hops)
            rows = [
                {"site": k, "hops": v, "name": inv.sites[k].name if k in inv.sites else ""}
                for k, v in found.items()  # the core's order: nearest, then by name
            ]
        else:
            found = topo.neighbours(node, hops)
            rows = [
                {
                    "device": k,
                    "hops": v,
                    "site": inv.devices[k].site if k in inv.devices else "",
                }
                for k, v in found.items()  # the core's order: nearest, then by name
            ]
    except TopologyError as e:
        raise _fail(e) from None
    emit(rows, fmt, f"within {hops} hop(s) of {node}")


@app.command()
def impact(
    element: str = typer.Argument(
        help="Link id, device name, site code, or isp:<name> (the ISP and every link it carries)."
    ),
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
) -> None:
    """What a failed link, device, site or ISP cuts off from the data center."""
    from edunet.topology import ISP_PREFIX, TopologyError

    inv, topo = _topology(inventory)
    try:
        result = topo.impact(element)
    except TopologyError as e:
        raise _fail(e) from None
    rows = [
        {
            "site": c,
            "name": inv.sites[c].name,
            "district": inv.sites[c].district,
            "pupils": inv.sites[c].pupils or 0,
        }
        for c in result.sites_cut
    ]
    if fmt is Format.json:  # the answer whole, and the sites with their names and pupils
        emit_object({**asdict(result), "sites": rows}, fmt)
        return
    if fmt is Format.table:
        what = (
            f"ISP {result.element.removeprefix(ISP_PREFIX)}"
            if result.kind == "isp"
            else f"{result.kind} {result.element}"
        )
        err_console.print(
            f"[bold]{what}[/] down: {len(result.sites_cut)} site(s) cut "
            f"off from the data center, {result.schools_cut} school(s), "
            f"{result.pupils_cut:,} pupils, {result.devices_cut} device(s)"
        )
    emit(rows, fmt, "Sites cut off", ("site", "name", "district", "pupils"))


@app.command()
def spof(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    min_sites: Annotated[
        int, typer.Option(min=1, help="Only elements whose loss cuts at least this many sites.")
    ] = 2,
    top: Annotated[int, typer.Option(min=1, help="Show the worst N.")] = 50,
    fmt: FormatOption = Format.table,
) -> None:
    """Single points of failure: devices, ISPs and links whose loss cuts sites off, worst first."""
    _, topo = _topology(inventory)
    found = topo.spof(min_sites=min_sites)
    rows = [asdict(s) for s in found[:top]]
    emit(rows, fmt, f"Single points of failure (cutting ≥ {min_sites} sites): {len(found)}")
