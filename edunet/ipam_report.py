"""Read-only views of the IP plan of a resolved inventory: per site, and per pool."""

from __future__ import annotations

from collections import Counter
from ipaddress import IPv4Address, IPv4Network
from itertools import pairwise
from typing import Any

from edunet.model import Inventory


def site_plan(inv: Inventory, code: str) -> list[dict[str, Any]]:
    """Every prefix and address that belongs to one site."""
    site = inv.sites[code]
    mgmt = next((v for v in site.vlans if v.management), None)
    rows: list[dict[str, Any]] = []
    for v in site.vlans:
        rows.append(
            {
                "kind": "vlan",
                "name": v.name,
                "vlan": v.id,
                "address": str(v.prefix),
                "gateway": str(v.gateway),
                "note": v.title,
            }
        )
    for d in inv.site_devices(code):
        rows.append(
            {
                "kind": "device",
                "name": d.name,
                "vlan": mgmt.id if mgmt and d.mgmt_ip in mgmt.prefix else None,
                "address": str(d.mgmt_interface),
                "gateway": "",
                "note": f"{d.role.value} {d.model.model}",
            }
        )
        if d.loopback is not None:
            rows.append(
                {
                    "kind": "loopback",
                    "name": d.name,
                    "vlan": None,
                    "address": f"{d.loopback}/32",
                    "gateway": "",
                    "note": "",
                }
            )
    for link in inv.site_links(code):
        if link.p2p is None:
            continue
        near, far = (link.a, link.b) if link.a.site == code else (link.b, link.a)
        rows.append(
            {
                "kind": "p2p",
                "name": link.id,
                "vlan": None,
                "address": str(near.ip),
                "gateway": str(far.ip.ip) if far.ip else "",
                "note": f"to {far.label} ("
                + ", ".join(x for x in (link.medium.value, link.isp) if x)
                + ")",
            }
        )
    return rows


def pool_usage(inv: Inventory) -> list[dict[str, Any]]:
    """Sites per area and how much of the area's slots they take."""
    per_area: Counter[int] = Counter(s.area for s in inv.sites.values())
    top: Counter[int] = Counter()
    for s in inv.sites.values():
        top[s.area] = max(top[s.area], s.slot)
    names = {d.number: f"{d.code} {d.name}" for d in inv.districts.values() if d.number}
    names[0] = "core (Department, data center)"
    for s in inv.sites.values():  # an area kept by sites moved to another unit
        d = inv.districts[s.district]
        names.setdefault(s.area, f"{d.code} {d.name}")
    return [
        {"area": a, "name": names.get(a, "?"), "sites": per_area[a], "highest_slot": top[a]}
        for a in sorted(per_area)
    ]


def check(inv: Inventory) -> list[str]:
    """Invariants of the allocated plan; an empty list means the plan is sound.

    The resolver already refuses overlaps and duplicates; this re-derives them from the
    finished model so a regression in allocation cannot pass unnoticed.
    """
    problems: list[str] = []
    seen: dict[IPv4Address, str] = {}

    def claim(ip: IPv4Address, owner: str) -> None:
        if ip in seen:
            problems.append(f"{ip} is both {seen[ip]} and {owner}")
        seen[ip] = owner

    for d in inv.devices.values():
        claim(d.mgmt_ip, f"device {d.name}")
        if d.loopback is not None:
            claim(d.loopback, f"loopback of {d.name}")
    for vm in inv.vms.values():
        claim(vm.ip.ip, f"VM {vm.name}")
    prefixes: list[tuple[IPv4Network, str]] = []
    for s in inv.sites.values():
        prefixes.extend((v.prefix, f"{s.code}/{v.name}") for v in s.vlans)
    prefixes.extend((link.p2p, f"link {link.id}") for link in inv.links.values() if link.p2p)
    prefixes.sort(key=lambda p: (int(p[0].network_address), -p[0].num_addresses))
    for (a, an), (b, bn) in pairwise(prefixes):
        if a.overlaps(b):
            problems.append(f"{a} ({an}) overlaps {b} ({bn})")
    return problems
