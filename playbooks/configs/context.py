"""The intended configuration of one device as plain data: what every template reads.

The same dict is the ``device_config`` host variable of the Ansible inventory and the
input of :func:`playbooks.configs.render.render_device`, so Ansible and netmiko render one
text. It holds no secret: templates take those from a separate ``secrets`` mapping.
"""

from __future__ import annotations

import unicodedata
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, collapse_addresses
from typing import Any

from edunet.model import Device, Inventory, Link, Site
from edunet.portplan import PortMode, port_plan, vlan_ranges
from edunet.schema import DeviceRole

__all__ = ["CONFIGURABLE_PLATFORMS", "ascii_text", "configurable", "device_context"]

# platforms with templates; IOS-XE takes the IOS template
CONFIGURABLE_PLATFORMS = {
    "cisco_ios": "cisco_ios",
    "cisco_xe": "cisco_ios",
    "mikrotik_routeros": "mikrotik_routeros",
}


def configurable(device: Device) -> bool:
    return device.model.platform.name in CONFIGURABLE_PLATFORMS


def template_family(device: Device) -> str:
    return CONFIGURABLE_PLATFORMS[device.model.platform.name]


def ascii_text(text: str) -> str:
    """Vietnamese folded to plain ASCII for device configs: 'Quận Gò Vấp' → 'Quan Go Vap'."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("–", "-").replace("—", "-")
    folded = unicodedata.normalize("NFKD", text)
    out = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" else "?" for c in out)


def _net(prefix: IPv4Network) -> dict[str, Any]:
    return {
        "prefix": str(prefix),
        "network": str(prefix.network_address),
        "netmask": str(prefix.netmask),
        "prefixlen": prefix.prefixlen,
    }


def _address(ip: IPv4Interface) -> dict[str, Any]:
    return {"address": str(ip.ip), "netmask": str(ip.netmask), "prefixlen": ip.network.prefixlen}


def _site_prefixes(inv: Inventory, site: Site) -> list[IPv4Network]:
    """A site's address blocks (management and LAN, whole, so routes stay few) and the
    loopbacks of its routers (the probes' targets)."""
    nets = [v.prefix for v in site.vlans]
    if inv.plan is not None and site.area > 0:
        blocks = [
            inv.plan.site_management(site.area, site.slot),
            inv.plan.site_block(site.area, site.slot),
        ]
        nets = blocks + [n for n in nets if not any(n.subnet_of(b) for b in blocks)]
    for name in site.devices:
        loopback = inv.devices[name].loopback
        if loopback is not None:
            nets.append(IPv4Network(f"{loopback}/32"))
    return nets


class _Uplinks:
    """The city's uplinks indexed once: a device's routes then cost its own subtree, not a
    pass over every link of the city (which made the whole city quadratic)."""

    def __init__(self, inv: Inventory) -> None:
        self.inv = inv
        self.feeding: dict[str, list[Link]] = {}  # site -> uplinks ending in it
        self.ending_on: dict[str, list[Link]] = {}  # device -> uplinks ending on it
        for link in inv.links.values():
            if link.kind != "uplink":
                continue
            if link.b.site is not None:
                self.feeding.setdefault(link.b.site, []).append(link)
            if link.b.device is not None:
                self.ending_on.setdefault(link.b.device, []).append(link)
        self._prefixes: dict[str, list[IPv4Network]] = {}

    def prefixes(self, site: str) -> list[IPv4Network]:
        if site not in self._prefixes:
            self._prefixes[site] = _site_prefixes(self.inv, self.inv.sites[site])
        return self._prefixes[site]


_uplinks: _Uplinks | None = None  # the last inventory's index; one city at a time


def _uplinks_of(inv: Inventory) -> _Uplinks:
    global _uplinks
    if _uplinks is None or _uplinks.inv is not inv:
        _uplinks = _Uplinks(inv)
    return _uplinks


def _downstream(inv: Inventory, device: Device) -> list[tuple[IPv4Address, list[IPv4Network]]]:
    """Static routes: the sites whose uplinks end on this device (and the sites behind
    them), via the far end of each such uplink."""
    index = _uplinks_of(inv)

    def behind(site: str, seen: set[str]) -> list[IPv4Network]:
        if site in seen:
            return []
        seen.add(site)
        nets = list(index.prefixes(site))
        for link in index.feeding.get(site, ()):
            if link.a.site is not None and link.a.site not in seen:
                nets += behind(link.a.site, seen)
        return nets

    routes = []
    for link in index.ending_on.get(device.name, ()):
        if link.a.ip is None:
            continue
        assert link.a.site is not None
        nets = list(collapse_addresses(behind(link.a.site, {device.site})))
        routes.append((link.a.ip.ip, nets))
    return routes


def _routes(inv: Inventory, device: Device, site: Site) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if site.gateway == device.name:
        distance = 1
        for link_id in site.uplinks:
            link = inv.links[link_id]
            if link.a.device == device.name and link.b.ip is not None:
                out.append(
                    {
                        **_net(IPv4Network("0.0.0.0/0")),
                        "next_hop": str(link.b.ip.ip),
                        "distance": distance,
                        "description": f"default {link.id}",
                    }
                )
                distance += 9  # backup uplinks float above the first
    for next_hop, nets in _downstream(inv, device):
        out += [
            {**_net(n), "next_hop": str(next_hop), "distance": 1, "description": "downstream"}
            for n in nets
        ]
    return out


def device_context(inv: Inventory, device: Device) -> dict[str, Any]:
    site = inv.sites[device.site]
    district = inv.districts[site.district]
    mgmt = next((v for v in site.vlans if v.management), None)
    gateway = site.gateway == device.name
    ports = []
    for p in port_plan(inv, device):
        port: dict[str, Any] = {
            "name": p.name,
            "mode": p.mode.value,
            "vlan": p.vlan,
            "allowed": list(p.allowed),
            "allowed_ranges": vlan_ranges(p.allowed) if p.allowed else "",
            "description": ascii_text(p.description),
            "shutdown": p.mode is PortMode.shutdown,
            "address": None,
        }
        if p.address is not None:
            port.update(_address(p.address))
        ports.append(port)
    vlans = [
        {
            "id": v.id,
            "name": v.name,
            "title": ascii_text(v.title),
            "management": v.management,
            "dhcp": v.dhcp,
            "gateway": str(v.gateway),
            **_net(v.prefix),
        }
        for v in site.vlans
    ]
    # the gateway routes every VLAN; a switch has an address in the management VLAN only
    svis = []
    for v in site.vlans:
        if gateway:
            svis.append(
                {
                    "vlan": v.id,
                    "name": v.name,
                    "address": str(v.gateway),
                    "netmask": str(v.prefix.netmask),
                    "prefixlen": v.prefix.prefixlen,
                }
            )
        elif v.management and device.role is not DeviceRole.firewall:
            svis.append(
                {
                    "vlan": v.id,
                    "name": v.name,
                    "address": str(device.mgmt_ip),
                    "netmask": str(v.prefix.netmask),
                    "prefixlen": v.prefix.prefixlen,
                }
            )
    services = inv.services
    snmp = device.snmp
    return {
        "hostname": device.name,
        "platform": device.model.platform.name,
        "template": template_family(device) if configurable(device) else None,
        "role": device.role.value,
        "model": device.model.model,
        "vendor": device.model.vendor,
        "site": {
            "code": site.code,
            "kind": site.kind.value,
            "name": ascii_text(site.name),
            "address": ascii_text(site.address),
            "district": ascii_text(district.name),
            "level": site.level.value if site.level else None,
        },
        "domain": inv.city.domain,
        "gateway": gateway,
        "management": {
            "vlan": mgmt.id if mgmt else None,
            "address": str(device.mgmt_ip),
            "netmask": str(device.mgmt_prefix.netmask),
            "prefixlen": device.mgmt_prefix.prefixlen,
            "default_gateway": str(mgmt.gateway) if mgmt and not gateway else None,
        },
        "loopback": str(device.loopback) if device.loopback else None,
        "vlans": vlans,
        "svis": svis,
        "ports": ports,
        "routes": _routes(inv, device, site),
        "services": {
            "ntp": [str(a) for a in services.ntp],
            "syslog": [str(a) for a in services.syslog],
            "dns": [str(a) for a in services.dns],
            "monitoring": str(services.monitoring_ip) if services.monitoring_ip else None,
            "banner": services.banner,
        },
        "snmp": {
            "profile": snmp.name,
            "version": snmp.version,
            "auth": snmp.auth,
            "priv": snmp.priv,
            "location": ascii_text(f"{site.name}, {site.address}"),
            "contact": f"noc@{inv.city.domain}",
        }
        if snmp is not None
        else None,
        "ssh": {"profile": device.ssh.name, "port": device.ssh.port} if device.ssh else None,
    }
