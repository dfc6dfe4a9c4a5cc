"""The sweep: management addresses LLDP does not lead to, probed one by one.

LLDP stops at an Internet uplink (FTTH, 4G) and at a LAN link whose router port nobody
wrote down. The IP plan still says where a site's devices answer: every area (the city core,
each district) has a management prefix per slot, reserved even when the inventory has no
site there. After the LLDP walk, discovery probes the plan's management prefixes it has
not fully matched (and every prefix given with ``--sweep``): one GET of sysObjectID, one
try, a short wait. An address that answers is walked like any other.

A slot of the plan nothing answered in is asked only at its gateway (the prefix's first
address, where every site's router or firewall answers): an empty slot costs one probe, a
site whose gateway answers is swept whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from edunet.ipam import PoolExhausted
from edunet.model import Inventory
from exporters.snmp.oids import Module, oid

__all__ = ["PROBE", "SLOT_MARGIN", "Sweep", "declared", "hosts", "plan_sweep", "told_prefix"]

PROBE = Module("probe", {"sysObjectID": oid("1.3.6.1.2.1.1.2.0")}, {})

SLOT_MARGIN = 16  # slots swept past the highest one the inventory uses: sites it lacks
MAX_PREFIX_ADDRESSES = 1 << 16  # a --sweep prefix of at most a /16


@dataclass(frozen=True, slots=True)
class Sweep:
    """What to sweep once the LLDP walk is done."""

    told: tuple[IPv4Network, ...] = ()  # every address of each (--sweep)
    plan: tuple[IPv4Network, ...] = ()  # site management prefixes: each from its gateway
    # management prefix -> the addresses the inventory declares answering SNMP there
    declared: dict[IPv4Network, frozenset[str]] = field(default_factory=dict)

    def matched(self, told: Iterable[str]) -> set[IPv4Network]:
        """The declared prefixes whose every declared device answered: no need to sweep."""
        answered = set(told)
        return {p for p, addresses in self.declared.items() if addresses <= answered}


def declared(inv: Inventory) -> dict[IPv4Network, frozenset[str]]:
    """Each management prefix and the SNMP devices the inventory declares in it."""
    out: dict[IPv4Network, set[str]] = {}
    for d in inv.devices.values():
        if d.snmp is not None and d.platform.snmp:
            out.setdefault(d.mgmt_prefix, set()).add(str(d.mgmt_ip))
    return {p: frozenset(a) for p, a in out.items()}


def plan_sweep(inv: Inventory, slots: int | None = None) -> Sweep:
    """The plan's management prefixes of every area (the core and each district) for slots
    0..``slots``-1 (default: up to the highest slot in use plus :data:`SLOT_MARGIN`), and
    the prefixes of the inventory's sites wherever they are pinned."""
    mine = declared(inv)
    prefixes = set(mine)
    plan = inv.plan
    if plan is not None:
        per_area = 1 << (plan.plan.site_management_prefix - plan.plan.area_management_prefix)
        if slots is None:
            slots = max((s.slot for s in inv.sites.values()), default=0) + 1 + SLOT_MARGIN
        # every unit's area, and the areas sites keep after a reorganisation
        areas = {d.number for d in inv.districts.values() if d.number is not None}
        areas |= {s.area for s in inv.sites.values()}
        for area in sorted(areas | {0}):
            for slot in range(min(slots, per_area)):
                try:
                    prefixes.add(plan.site_management(area, slot))
                except PoolExhausted:  # an area beyond the pool: the plan cannot hold it
                    break
    ordered = tuple(sorted(prefixes, key=lambda p: int(p.network_address)))
    return Sweep(plan=ordered, declared=mine)


def told_prefix(text: str) -> IPv4Network:
    """A ``--sweep`` prefix as written (host bits allowed); at most a /16."""
    try:
        prefix = IPv4Network(text.strip(), strict=False)
    except ValueError:
        raise ValueError(f"--sweep {text}: not an IPv4 prefix (e.g. 10.33.0.0/24)") from None
    if prefix.num_addresses > MAX_PREFIX_ADDRESSES:
        raise ValueError(f"--sweep {text}: at most a /16 ({MAX_PREFIX_ADDRESSES:,} addresses)")
    return prefix


def hosts(prefix: IPv4Network) -> list[str]:
    """The addresses a device may answer on (a /31 or /32 is all hosts)."""
    if prefix.prefixlen >= 31:
        return [str(a) for a in prefix]
    first = int(prefix.network_address)
    return [str(IPv4Address(first + i)) for i in range(1, prefix.num_addresses - 1)]
