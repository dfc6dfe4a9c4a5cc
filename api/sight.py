"""What the topology's answers may name for a caller whose token reaches part of the city.

Paths and impact are computed on the whole graph (a school's way to the data center goes
through the core whatever the reach), then told in the reach's words: the reach's own
sites, devices and links by name, the city's core (``edunet.access.CORE_KINDS``) and the
ISPs by name too, and everything else only as a count. A name outside the sight is a 404
with the very body an unknown name gets, so other districts cannot be enumerated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import HTTPException

from api.snapshot import Snapshot
from edunet.access import CORE_KINDS, served_site
from edunet.model import Inventory
from edunet.select.names import NotFound, find
from edunet.topology import isp_node

HIDDEN = "(out of reach)"  # a path's node or link outside the sight


@dataclass(frozen=True, slots=True)
class Sight:
    """``None`` sets mean the whole city: everything is named, nothing is counted."""

    sites: frozenset[str] | None = None  # named: covered or core
    devices: frozenset[str] | None = None
    links: frozenset[str] | None = None
    clouds: frozenset[str] = frozenset()  # "isp:<name>" nodes: an ISP serves the whole city
    carriers: frozenset[str] = frozenset()  # "isp:<name>" as a failure: every link it carries
    listed: frozenset[str] | None = None  # the reach's own sites: listed in sites_cut
    districts: frozenset[str] | None = None  # the districts of those

    @classmethod
    def of(cls, snap: Snapshot) -> Sight:
        """The sight of the caller ``snap`` was cut for; built once per scoped snapshot."""
        if snap.reach.whole_city:
            return WHOLE
        return snap.memo("sight", lambda: cls._build(snap.city, snap.inventory))

    @classmethod
    def _build(cls, city: Inventory, part: Inventory) -> Sight:
        sites = frozenset(part.sites) | {c for c, s in city.sites.items() if s.kind in CORE_KINDS}

        # as the topology names them: the clouds on the far side of Internet uplinks (path
        # ends), and the carriers of any link (failures)
        links = city.links.values()
        clouds = {isp_node(ln) for ln in links if ln.a.device is None or ln.b.device is None}
        return cls(
            sites=sites,
            devices=frozenset(d for d, dev in city.devices.items() if dev.site in sites),
            links=frozenset(i for i, ln in city.links.items() if served_site(ln) in sites),
            clouds=frozenset(clouds),
            carriers=frozenset(isp_node(ln) for ln in links if ln.isp),
            listed=frozenset(part.sites),
            districts=frozenset(part.districts),
        )

    @property
    def whole(self) -> bool:
        return self.sites is None

    def names(self, name: str) -> bool:
        """A device, site, link or ISP cloud this caller may see named."""
        if self.sites is None or self.devices is None or self.links is None:
            return True
        return (
            name in self.devices
            or name in self.sites
            or name in self.links
            or name in self.clouds
            or name in self.carriers
        )

    def resolve(self, name: str, what: str, links: bool = False) -> str:
        """What the caller typed, as the topology will find it (exactly, then without case
        or diacritics) among what it may see; else the 404 an unknown name gets. The whole
        city's callers pass through: the topology's own message suggests close names."""
        if self.sites is None or self.devices is None or self.links is None:
            return name
        pools: list[Iterable[str]] = [self.devices, self.sites, self.clouds]
        if links:
            pools += [self.carriers, self.links]
        try:
            return find(what, name, (n for pool in pools for n in pool))
        except NotFound:
            raise unknown(what, name) from None

    def district(self, code: str | None) -> str | None:
        return code if self.districts is None or code in self.districts else None

    def shown(self, names: Iterable[str]) -> list[str]:
        return [n if self.names(n) else HIDDEN for n in names]


WHOLE = Sight()


def unknown(what: str, name: str) -> HTTPException:
    """The one body for a name that is not there and one that is out of reach."""
    return HTTPException(404, f"unknown {what} {name!r}")
