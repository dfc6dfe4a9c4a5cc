"""The proposal as a YAML fragment in the inventory's own format, to review and merge: a
``sites:`` entry for each site the inventory lacks (its devices, pinned at the addresses they
answer on, its slot in the IP plan, its uplinks as LLDP sees them) and ``links:`` for the
links between devices the inventory has. What discovery cannot know (an uplink's ISP and
contracted bandwidth, a hardware record's procurement fields) is guessed or left as a
comment, marked ``review``.

LAN links inside a proposed site are not written: the loader wires a site's LAN itself.
"""

from __future__ import annotations

from ipaddress import IPv4Address
from typing import Any

import yaml

from edunet.model import Inventory
from exporters.discover.propose import NewDevice, NewLink, Proposal

__all__ = ["fragment"]

_LEVELS = (  # words of a school's name (lower case) -> its level; first match wins
    ("mầm non", "mam_non"),
    ("tiểu học", "tieu_hoc"),
    ("trung học cơ sở", "thcs"),
    ("thcs", "thcs"),
    ("trung học phổ thông", "thpt"),
    ("thpt", "thpt"),
    ("liên cấp", "lien_cap"),
    ("thường xuyên", "gdtx"),
    ("gdtx", "gdtx"),
    ("chuyên biệt", "chuyen_biet"),
)


def _level(name: str) -> str:
    low = name.lower()
    return next((level for words, level in _LEVELS if words in low), "tieu_hoc")


def _new_sites(inv: Inventory, proposal: Proposal, hops: dict[str, int]) -> list[dict[str, Any]]:
    sites: dict[str, list[NewDevice]] = {}
    for d in proposal.devices:
        if d.site.site is None and d.site.district is not None:
            sites.setdefault(d.site.code, []).append(d)
    site_of = {d.name: code for code, devices in sites.items() for d in devices}
    for name, device in inv.devices.items():
        site_of.setdefault(name, device.site)
    depth = {d.name: hops.get(d.address, 0) for d in proposal.devices}
    # the management VLAN the addresses are in; the site's other VLANs are for review
    management = sorted({v.name for s in inv.sites.values() for v in s.vlans if v.management})
    out = []
    for code, devices in sites.items():
        first = devices[0]
        name, _, address = first.location.partition(", ")
        kind = "district_office" if first.site.slot == 0 else "school"
        entry: dict[str, Any] = {"code": code, "kind": kind, "name": name or code}
        if kind == "school":
            entry["level"] = _level(name)
        entry["district"] = first.site.district
        entry["address"] = address or "unknown"
        entry["slot"] = first.site.slot
        entry["vlans"] = list(management)  # a list each: no YAML anchors in the fragment
        entry["devices"] = [
            {"name": d.name, "role": d.role, "model": d.model, "mgmt_ip": d.address}
            for d in sorted(devices, key=lambda d: IPv4Address(d.address))
        ]
        # no uplink LLDP shows: an Internet uplink (FTTH, 4G) carries none, to review
        entry["uplinks"] = _uplinks(code, devices, proposal.links, site_of, depth) or [
            {"to": "internet", "isp": "unknown", "medium": "ftth", "bandwidth_mbps": 100}
        ]
        out.append(entry)
    return out


def _uplinks(
    code: str,
    devices: list[NewDevice],
    links: list[NewLink],
    site_of: dict[str, str],
    depth: dict[str, int],
) -> list[dict[str, Any]]:
    """Links from the site's devices to another site nearer the seeds: its way out."""
    ours = {d.name: d for d in devices}
    out = []
    for link in links:
        for near, far in ((link.a, link.b), (link.b, link.a)):
            if near.device not in ours or site_of.get(far.device, code) == code:
                continue
            if depth.get(far.device, -1) > depth.get(near.device, 0):
                continue  # a site it serves, not its way out
            out.append(
                {
                    "to": site_of[far.device],
                    "isp": "unknown",
                    "medium": "metronet",
                    "bandwidth_mbps": link.speed_mbps or 1000,
                    "port": near.port,
                }
            )
    return out


def _links(proposal: Proposal, inv: Inventory) -> list[dict[str, Any]]:
    """New links between two devices the inventory already has."""
    out = []
    for link in proposal.links:
        if link.a.device in inv.devices and link.b.device in inv.devices:
            out.append(
                {
                    "id": f"{link.a.device}-{link.b.device}"[:48].strip("-"),
                    "a": f"{link.a.device}:{link.a.port}",
                    "b": f"{link.b.device}:{link.b.port}",
                    "medium": "copper",
                    "bandwidth_mbps": link.speed_mbps or 1000,
                }
            )
    return out


def fragment(inv: Inventory, proposal: Proposal, hops: dict[str, int]) -> str:
    sites = _new_sites(inv, proposal, hops)
    links = _links(proposal, inv)
    lines = [
        "# Proposed by edunet discover: review before merging into the inventory.",
        "# review: each uplink's isp, medium and bandwidth_mbps (LLDP does not tell them; a",
        "# site with no uplink LLDP shows is given an Internet one, as found by the sweep),",
        "# a school's level (guessed from its name), its VLANs besides management, and the",
        "# hardware records below.",
    ]
    body: dict[str, Any] = {}
    if sites:
        body["sites"] = sites
    if links:
        body["links"] = links
    if body:
        lines.append(yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100).rstrip())
    elsewhere = [d for d in proposal.devices if d.site.site is not None or d.site.district is None]
    if elsewhere:
        lines.append("# devices of sites the inventory has (add each under its site's devices:):")
        for d in elsewhere:
            where = d.site.site or "an unknown site"
            lines.append(f"#   {where}: {{name: {d.name}, role: {d.role}, model: {d.model}}}")
    serials = [d for d in proposal.devices if d.serial]
    if serials:
        lines.append("# serials reported (a hardware record each, once procurement is known):")
        lines += [f"#   {d.name}: {d.serial}" for d in serials]
    if proposal.not_answering:
        lines.append("# declared but not answering (check each, or remove it from the inventory):")
        lines += [f"#   {name} at {a}: {why}" for name, a, why in proposal.not_answering]
    return "\n".join(lines) + "\n"
