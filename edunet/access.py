"""What part of the city a principal may see or change: its *reach*.

The programme's hierarchy (Department → district office → school) gives every principal,
an API token or an operator of the tools, a reach: the whole city, some districts, or
some sites. A reach is kept as codes (district codes, site codes), so a tokens or roles
file stays readable and survives a re-render; it is resolved against an inventory when
it is used, and every unit asks the same three questions of it: does it cover a site,
a device, a link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from edunet.model import Device, Inventory, Link, Site, SiteKind
from edunet.select import lookup
from edunet.select.names import naturally

__all__ = ["CITY", "CORE_KINDS", "OutOfReach", "Reach", "served_site"]

# The city's core: every district's traffic to the data center goes through these sites, so
# a path or an uplink may name them whatever the reach (they are listed only where covered).
CORE_KINDS = frozenset({SiteKind.department, SiteKind.datacenter})


def served_site(link: Link) -> str | None:
    """The site a link serves: an uplink's downstream end ``a``, a LAN link's site, the
    site of an Internet uplink."""
    return link.a.site if link.a.site is not None else link.b.site


class OutOfReach(PermissionError):
    """A change named things outside the principal's reach; ``names`` lists them."""

    def __init__(self, who: str, reach: Reach, names: Iterable[str]) -> None:
        self.names = tuple(naturally(set(names)))
        shown = ", ".join(self.names[:10]) + (
            f" and {len(self.names) - 10} more" if len(self.names) > 10 else ""
        )
        super().__init__(f"{who} may change only {reach.describe()}; out of reach: {shown}")


@dataclass(frozen=True, slots=True)
class Reach:
    """Districts and sites by code; both empty means the whole city.

    A site is covered when it is one of ``sites`` or lies in one of ``districts``.
    """

    districts: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()

    @property
    def whole_city(self) -> bool:
        return not self.districts and not self.sites

    @classmethod
    def resolve(
        cls, inv: Inventory, districts: Iterable[str] = (), sites: Iterable[str] = ()
    ) -> Reach:
        """A reach from what people write ("760", "q1", "Quận 1", a school's code or name);
        an unknown one raises :class:`edunet.select.names.NotFound` with "did you mean"."""
        return cls(
            frozenset(lookup(inv, "district", d) for d in districts),
            frozenset(lookup(inv, "site", s) for s in sites),
        )

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> Reach:
        """The ``reach:`` entry of a tokens or roles file (absent: the whole city)."""
        data = data or {}
        unknown = set(data) - {"districts", "sites"}
        if unknown:
            raise ValueError(f"reach: unknown key(s) {sorted(unknown)}; use districts, sites")
        return cls(
            frozenset(str(d) for d in data.get("districts") or ()),
            frozenset(str(s) for s in data.get("sites") or ()),
        )

    def to_data(self) -> dict[str, list[str]]:
        """The file form; empty for the whole city."""
        out: dict[str, list[str]] = {}
        if self.districts:
            out["districts"] = naturally(self.districts)
        if self.sites:
            out["sites"] = naturally(self.sites)
        return out

    def describe(self) -> str:
        """``city``, ``district 760``, ``districts 760, 761 and site 79760002`` …"""
        if self.whole_city:
            return "the whole city"
        parts = []
        for word, codes in (("district", self.districts), ("site", self.sites)):
            if codes:
                parts.append(f"{word}{'s' if len(codes) > 1 else ''} {', '.join(naturally(codes))}")
        return " and ".join(parts)

    def covers_site(self, site: Site | str, inv: Inventory | None = None) -> bool:
        """``site`` is a :class:`Site`, or a site code with the inventory to find it in."""
        if self.whole_city:
            return True
        if isinstance(site, str):
            if site in self.sites:
                return True
            if inv is None or site not in inv.sites:
                return False
            site = inv.sites[site]
        return site.code in self.sites or site.district in self.districts

    def covers_device(self, device: Device) -> bool:
        return self.whole_city or device.site in self.sites or device.district in self.districts

    def covers_link(self, link: Link, inv: Inventory) -> bool:
        """A link belongs to the site it serves (:func:`served_site`): a school's uplink is
        its own and its district's, and the district holding the Department does not get
        every other district office's uplink that ends there."""
        if self.whole_city:
            return True
        served = served_site(link)
        return served is not None and self.covers_site(served, inv)

    def site_codes(self, inv: Inventory) -> frozenset[str]:
        """Every covered site's code, in one pass."""
        if self.whole_city:
            return frozenset(inv.sites)
        return frozenset(code for code, s in inv.sites.items() if self.covers_site(s))

    def within(self, inv: Inventory) -> Inventory:
        """The part of ``inv`` this reach covers: its sites, their devices, its links and
        their districts. The city's services (applications, VMs, models) stay whole."""
        if self.whole_city:
            return inv
        sites = self.site_codes(inv)
        links = {k: ln for k, ln in inv.links.items() if self.covers_link(ln, inv)}
        districts = self.districts | {inv.sites[s].district for s in sites}
        return replace(
            inv,
            districts={k: d for k, d in inv.districts.items() if k in districts},
            sites={k: s for k, s in inv.sites.items() if k in sites},
            devices={k: d for k, d in inv.devices.items() if d.site in sites},
            links=links,
            _by_site_links={
                s: tuple(i for i in ids if i in links)
                for s, ids in inv._by_site_links.items()
                if s in sites
            },
        )

    def out_of_reach(self, inv: Inventory, devices: Iterable[str]) -> list[str]:
        """The named devices this reach does not cover (unknown names count as outside)."""
        if self.whole_city:
            return []
        return [
            name
            for name in devices
            if name not in inv.devices or not self.covers_device(inv.devices[name])
        ]


CITY = Reach()
