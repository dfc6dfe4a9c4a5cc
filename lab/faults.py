"""``edunet lab fault``: one façade over the device faults (faults.json, no root) and the
network faults (namespaces and nftables, root), keyed the way ``fault list`` shows them."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from edunet.model import Inventory
from edunet.reach import LAB_MAP
from lab.addresses import device_address, site_addresses, site_probe_address
from lab.device_faults import clear_data_fault, data_fault_rows, port_down
from lab.errors import LabError

log = logging.getLogger(__name__)

NEEDS_ROOT = "this fault needs root (network namespaces / nftables); run as root"


def net_faults(state_dir: Path) -> Any:
    """The network faults of this lab, or a LabError saying why they cannot be made."""
    try:
        from lab.netfaults import NetFaults
    except ImportError as e:
        raise LabError(f"network faults are not available here ({e})") from None
    reason = NetFaults.unavailable_reason()
    if os.geteuid() != 0 or (reason and "root" in reason):
        raise LabError(NEEDS_ROOT)
    if reason:
        raise LabError(f"network faults are not available here: {reason}")
    return NetFaults(state_dir)


def clear_network_faults(state_dir: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        from lab.netfaults import NetFaults
    except ImportError as e:
        log.warning("network faults module not available (%s): nothing to clear", e)
        return []
    nf = NetFaults(state_dir)
    active = [f.key for f in nf.active()]
    nf.clear_all()
    return [f"network fault {k}" for k in active]


def device_down(state_dir: Path, inv: Inventory, device: str) -> None:
    d = inv.devices[device]
    addresses = [device_address(d)] + ([LAB_MAP(d.loopback)] if d.loopback else [])
    net_faults(state_dir).block(f"down:{device}", addresses)


def site_down(state_dir: Path, inv: Inventory, site: str) -> None:
    net_faults(state_dir).block(f"site-down:{site}", site_addresses(inv, site))


def link_down(state_dir: Path, inv: Inventory, link_id: str) -> tuple[str, ...]:
    """Cut a link as the topology says: both ends' ports go down (no root needed) and, when
    the link is the only way to the data center for some sites, every address of those sites
    is dropped too (root). Returns the site codes cut off."""
    link = inv.links.get(link_id)
    if link is None:
        raise LabError(f"no link {link_id!r} in the inventory (see `edunet topology spof`)")
    cut = topology_cuts(inv, link_id)
    if cut:
        addresses = [a for code in cut for a in site_addresses(inv, code)]
        net_faults(state_dir).block(f"link-down:{link_id}", addresses)
    for end in (link.a, link.b):
        if end.device is not None and end.port is not None:
            port_down(state_dir, end.device, end.port)
    return cut


def uplink_impair(
    state_dir: Path, inv: Inventory, site: str, loss: float, delay: float, jitter: float
) -> None:
    probe = site_probe_address(inv, site)
    if probe is None:
        raise LabError(f"site {site} has no gateway, so no uplink to impair")
    net_faults(state_dir).impair(
        f"uplink:{site}", probe, loss_pct=loss, delay_ms=delay, jitter_ms=jitter
    )


def fault_rows(state_dir: Path) -> list[dict[str, Any]]:
    """Every active fault as one row with the key ``fault clear`` takes."""
    rows = data_fault_rows(state_dir)
    if os.geteuid() == 0:
        try:
            from lab.netfaults import NetFaults

            for f in NetFaults(state_dir).active():
                detail = " ".join(str(a) for a in f.addresses)
                if f.kind == "impair":
                    detail += f" loss {f.loss_pct}% delay {f.delay_ms} ms jitter {f.jitter_ms} ms"
                rows.append(
                    {
                        "key": f.key,
                        "kind": f.kind,
                        "target": f.key.split(":", 1)[-1],
                        "detail": detail,
                    }
                )
        except ImportError:
            pass
    return rows


def clear_fault(state_dir: Path, key: str, inv: Inventory | None = None) -> None:
    kind, _, link_id = key.partition(":")
    if kind == "link-down" and inv is not None and link_id in inv.links:
        link = inv.links[link_id]
        for end in (link.a, link.b):
            if end.device is not None and end.port is not None:
                clear_data_fault(state_dir, f"port-down:{end.device}:{end.port}")
        if topology_cuts(inv, link_id):
            net_faults(state_dir).clear(key)
        return
    if not clear_data_fault(state_dir, key):
        net_faults(state_dir).clear(key)


def topology_cuts(inv: Inventory, link_id: str) -> tuple[str, ...]:
    from edunet.topology import topology_of

    return topology_of(inv).impact(link_id).sites_cut


def clear_all_faults(state_dir: Path) -> None:
    from lab.device_faults import write_faults

    write_faults(state_dir, {})
    clear_network_faults(state_dir)
