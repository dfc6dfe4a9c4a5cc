"""How a tool reaches a device: its inventory address, or that address translated.

The lab answers for the city on loopback (10.a.b.c is served at 127.a.b.c), and a real
operator may reach a district through a NAT. Either way the inventory keeps the real
addresses; an :class:`AddressMap` translates them at the moment a packet is sent, so
the exporters and the lab agree without knowing of each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from edunet.model import Device, Inventory, Site

__all__ = ["LAB_MAP", "AddressMap", "probe_address"]


@dataclass(frozen=True, slots=True)
class AddressMap:
    """Prefix-to-prefix translation, first match wins; unmatched addresses are unchanged."""

    rules: tuple[tuple[IPv4Network, IPv4Network], ...] = ()

    @classmethod
    def parse(cls, text: str) -> AddressMap:
        """``"10.0.0.0/8=127.0.0.0/8,192.0.2.0/24=198.51.100.0/24"`` (empty: no translation)."""
        rules = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            src, sep, dst = part.partition("=")
            if not sep:
                raise ValueError(f"address map rule {part!r}: write FROM_PREFIX=TO_PREFIX")
            a, b = IPv4Network(src.strip()), IPv4Network(dst.strip())
            if a.prefixlen != b.prefixlen:
                raise ValueError(f"address map rule {part!r}: both prefixes need the same length")
            rules.append((a, b))
        return cls(tuple(rules))

    def __call__(self, address: IPv4Address) -> IPv4Address:
        for src, dst in self.rules:
            if address in src:
                offset = int(address) - int(src.network_address)
                return IPv4Address(int(dst.network_address) + offset)
        return address

    def __str__(self) -> str:
        return ",".join(f"{a}={b}" for a, b in self.rules)


# The lab's translation: the city's 10/8 on the machine's own loopback.
LAB_MAP = AddressMap.parse("10.0.0.0/8=127.0.0.0/8")


def probe_address(inv: Inventory, site: Site) -> IPv4Address | None:
    """The address that answers for a site's uplink: its gateway's loopback, else its
    management address. None for a site without a gateway."""
    if site.gateway is None:
        return None
    gw: Device = inv.devices[site.gateway]
    return gw.loopback if gw.loopback is not None else gw.mgmt_ip
