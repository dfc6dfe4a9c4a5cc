"""Where the lab answers for a device or a site: the inventory's addresses on loopback."""

from __future__ import annotations

from ipaddress import IPv4Address

from edunet.model import Device, Inventory
from edunet.reach import LAB_MAP, probe_address


def device_address(device: Device) -> IPv4Address:
    """Where the lab serves a device: its management address on loopback."""
    return LAB_MAP(device.mgmt_ip)


def site_probe_address(inv: Inventory, site: str) -> IPv4Address | None:
    """Where the lab answers for a site's uplink (its gateway's loopback, else management)."""
    addr = probe_address(inv, inv.sites[site])
    return LAB_MAP(addr) if addr is not None else None


def site_addresses(inv: Inventory, site: str) -> list[IPv4Address]:
    """Every lab address of a site: its devices' management addresses and loopbacks."""
    out: list[IPv4Address] = []
    for d in inv.site_devices(site):
        out.append(LAB_MAP(d.mgmt_ip))
        if d.loopback is not None:
            out.append(LAB_MAP(d.loopback))
    probe = site_probe_address(inv, site)
    if probe is not None and probe not in out:
        out.append(probe)
    return out
