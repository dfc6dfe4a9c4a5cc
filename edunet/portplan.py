"""What every port of a device carries: derived once from the links and the site's VLANs.

The inventory declares links, not port settings; the rules that turn one into the other
live here so that the rendered configs, Ansible and the API agree:

- a routed link (uplink, core link) is a routed port with its /31;
- a LAN link between two network devices is a trunk: native management VLAN, all the
  site's VLANs allowed; towards an access point the same trunk (APs map SSIDs to VLANs);
- a LAN link to a server is an access port in the management VLAN;
- a switch's free ports are access ports, split into equal contiguous blocks over the
  site's wired user VLANs (staff, lab, cameras …) in catalogue order; its unused uplink
  ports and every free port of a router or core switch are shut down.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Interface

from edunet.model import Device, Inventory, Link, Vlan
from edunet.schema import DeviceRole

__all__ = ["PortMode", "PortPlan", "port_plan", "vlan_ranges"]

_NETWORK_ROLES = {
    DeviceRole.router,
    DeviceRole.core_switch,
    DeviceRole.access_switch,
    DeviceRole.firewall,
}
_ACCESS_ROLES = {DeviceRole.access_switch}


class PortMode(StrEnum):
    access = "access"
    trunk = "trunk"
    routed = "routed"
    shutdown = "shutdown"


@dataclass(frozen=True, slots=True)
class PortPlan:
    name: str
    mode: PortMode
    vlan: int | None = None  # access VLAN, or a trunk's native VLAN
    allowed: tuple[int, ...] = ()  # a trunk's VLANs
    address: IPv4Interface | None = None  # a routed port's address
    description: str = ""  # ASCII-safe words; the templates quote nothing
    link: str | None = None
    peer: str | None = None  # "device port", or the far site for an uplink


def _management(vlans: tuple[Vlan, ...]) -> Vlan | None:
    return next((v for v in vlans if v.management), None)


def _far(link: Link, device: str) -> tuple[str | None, str | None, str | None]:
    """(far device, far port, far site) seen from ``device``."""
    far = link.b if link.a.device == device else link.a
    return far.device, far.port, far.site


def _linked(inv: Inventory, device: Device) -> dict[str, Link]:
    out: dict[str, Link] = {}
    for link in inv.site_links(device.site):
        for end in (link.a, link.b):
            if end.device == device.name and end.port is not None:
                out[end.port] = link
    return out


def _routed(link: Link, device: str, port: str) -> PortPlan:
    end = link.a if link.a.device == device else link.b
    far_device, _, far_site = _far(link, device)
    if link.kind == "uplink":
        what = f"UPLINK {far_site or 'internet'}"
    elif link.kind == "internet":
        what = "INTERNET"
    else:
        what = f"CORE {far_device or far_site}"
    carrier = " ".join(x for x in (link.isp, link.circuit_id) if x)
    desc = f"{what} {carrier} {link.bandwidth_mbps}M".replace("  ", " ").strip()
    return PortPlan(
        port,
        PortMode.routed,
        address=end.ip,
        description=desc,
        link=link.id,
        peer=far_device or far_site,
    )


def port_plan(inv: Inventory, device: Device) -> tuple[PortPlan, ...]:
    """Every port of the device, in ifIndex order. Empty for hosts and access points."""
    if device.role not in _NETWORK_ROLES:
        return ()
    site = inv.sites[device.site]
    mgmt = _management(site.vlans)
    all_vlans = tuple(v.id for v in site.vlans)
    linked = _linked(inv, device)
    plan: dict[str, PortPlan] = {}
    for port, link in linked.items():
        far_device, far_port, _ = _far(link, device.name)
        if link.kind != "lan" or (link.a.ip is not None and link.b.ip is not None):
            plan[port] = _routed(link, device.name, port)
            continue
        far = inv.devices.get(far_device or "")
        peer = f"{far_device} {far_port or ''}".strip()
        if far is not None and far.role is DeviceRole.server:
            vlan = mgmt.id if mgmt else None
            plan[port] = PortPlan(
                port,
                PortMode.access,
                vlan=vlan,
                description=f"SERVER {peer}",
                link=link.id,
                peer=peer,
            )
        else:
            kind = "AP" if far is not None and far.role is DeviceRole.access_point else "TRUNK"
            plan[port] = PortPlan(
                port,
                PortMode.trunk,
                vlan=mgmt.id if mgmt else None,
                allowed=all_vlans,
                description=f"{kind} {peer}",
                link=link.id,
                peer=peer,
            )
    free = [p for p in device.model.interfaces if p not in plan]
    wired = [v for v in site.vlans if not v.management and v.wired]
    if device.role in _ACCESS_ROLES and wired:
        ports = [p for p in free if p not in device.model.uplink_ports]
        for port, user_vlan in zip(ports, _blocks(len(ports), wired), strict=True):
            plan[port] = PortPlan(
                port, PortMode.access, vlan=user_vlan.id, description=f"USERS {user_vlan.name}"
            )
    for port in free:
        plan.setdefault(port, PortPlan(port, PortMode.shutdown, description="UNUSED"))
    return tuple(plan[p] for p in device.model.interfaces if p in plan) + tuple(
        plan[p] for p in plan if p not in device.model.interfaces
    )


def _blocks(n: int, vlans: list[Vlan]) -> list[Vlan]:
    """n ports in contiguous blocks, as equal as can be, the first VLANs taking the extras."""
    size, extra = divmod(n, len(vlans))
    out: list[Vlan] = []
    for i, vlan in enumerate(vlans):
        out.extend([vlan] * (size + (1 if i < extra else 0)))
    return out


def vlan_ranges(ids: tuple[int, ...] | list[int]) -> str:
    """``10,20-22,40``: how IOS writes an allowed-VLAN list."""
    out: list[str] = []
    ordered = sorted(set(ids))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(out)
