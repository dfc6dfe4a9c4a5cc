"""What a change does to the network's shape: single points of failure it adds or removes,
and schools whose way to the data center it changes.

Building the topology of a whole city takes a while, so it is built only when the change
touches it: a device or link added, removed or re-wired, a site added or removed or of
another kind. Schools are stub sites (no path passes through one), so when only schools'
own devices and links change, only those schools' paths are compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from edunet.diff.changes import EntityChange
from edunet.model import Inventory, SiteKind
from edunet.select import natural_key
from edunet.topology import Path, Spof, Topology, TopologyError, isp_node, topology_of

# what cuts more than its own site, as `edunet topology spof` lists by default
MIN_SITES = 2
PATHS_COMPARED = 16  # equal-cost paths per school: a new or lost alternative is a change
_WIRING = {"site", "a.device", "a.site", "b.device", "b.site", "kind", "isp", "isolated"}


@dataclass(frozen=True, slots=True)
class SpofChange:
    element: str
    kind: str  # "device", "link", "isp"
    status: str  # "added" (a new single point of failure) or "removed"
    sites_cut: int
    schools_cut: int
    pupils_cut: int


@dataclass(frozen=True, slots=True)
class PathChange:
    """A school's shortest paths to the data center before and after (empty: none)."""

    site: str
    name: str
    old: tuple[str, ...]  # routes, site by site: "79760012 -(79760012-up1)- PGD-Q1 …"
    new: tuple[str, ...]
    old_hops: int | None
    new_hops: int | None


@dataclass(frozen=True, slots=True)
class Effects:
    checked: bool  # False: nothing in the change can alter the topology, so none was built
    spofs: tuple[SpofChange, ...] = ()
    paths: tuple[PathChange, ...] = ()


def _rewires(c: EntityChange) -> bool:
    if c.kind not in ("site", "device", "link"):
        return False
    return c.status != "changed" or any(f.field in _WIRING for f in c.fields)


def _sites_of(c: EntityChange, inv: Inventory) -> set[str]:
    """The sites an entity change sits in, in one snapshot."""
    if c.kind == "site":
        return {c.key}
    if c.kind == "device":
        d = inv.devices.get(c.key)
        return {d.site} if d else set()
    link = inv.links.get(c.key)
    return {s for s in (link.a.site, link.b.site) if s} if link else set()


def _is_school(code: str, old: Inventory, new: Inventory) -> bool:
    site = new.sites.get(code) or old.sites.get(code)
    return site is not None and site.kind is SiteKind.school


def effects(old: Inventory, new: Inventory, changes: tuple[EntityChange, ...]) -> Effects:
    wiring = [c for c in changes if _rewires(c)]
    if not wiring:
        return Effects(checked=False)
    touched: set[str] = set()  # schools whose own devices or links changed
    transit = False  # a change outside the schools: every school's path may change
    for c in wiring:
        sites = _sites_of(c, old) | _sites_of(c, new)
        schools = {s for s in sites if _is_school(s, old, new)}
        touched |= schools
        if not schools:
            transit = True
    before, after = topology_of(old), topology_of(new)
    spofs = _spof_changes(before.spof(MIN_SITES), after.spof(MIN_SITES))
    both = [s.code for s in new.schools() if s.code in old.sites and not s.isolated]
    candidates = [s for s in both if s in touched]
    if transit:  # and the schools that leave the school through a place whose paths changed
        moved = _moved_anchors(before, after, old, new, both)
        candidates = [s for s in both if s in touched or not moved.isdisjoint(_anchors(old, s))]
    paths: list[PathChange] = []
    for code in candidates:
        was, now = _paths(before, code), _paths(after, code)
        old_routes = tuple(dict.fromkeys(_route(p, old) for p in was))
        new_routes = tuple(dict.fromkeys(_route(p, new) for p in now))
        if [p.links for p in was] != [p.links for p in now] or old_routes != new_routes:
            paths.append(
                PathChange(
                    code,
                    new.sites[code].name,
                    old_routes,
                    new_routes,
                    was[0].hops if was else None,
                    now[0].hops if now else None,
                )
            )
    paths.sort(key=lambda p: natural_key(p.site))
    return Effects(True, spofs, tuple(paths))


def _anchors(inv: Inventory, school: str) -> set[str]:
    """Where a school's links leave it: devices of other sites, and ISP clouds."""
    out: set[str] = set()
    for link in inv.site_links(school):
        for end in (link.a, link.b):
            if end.site != school:
                out.add(end.device if end.device is not None else isp_node(link))
    return out


def _moved_anchors(
    before: Topology, after: Topology, old: Inventory, new: Inventory, schools: list[str]
) -> set[str]:
    """The places schools leave by whose own paths to the data center changed. A school's
    paths are its way to such a place followed by that place's paths (no path crosses
    another school), so a school whose every exit keeps its paths keeps its own."""
    anchors = set().union(*(_anchors(old, s) | _anchors(new, s) for s in schools))
    return {a for a in anchors if _walks(before, a) != _walks(after, a)}


def _walks(topo: Topology, node: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(p.nodes, p.links) for p in _paths(topo, node)]


def _paths(topo: Topology, code: str) -> list[Path]:
    try:
        return topo.path_to_datacenter(code, limit=PATHS_COMPARED)
    except TopologyError:  # no device to start from
        return []


def _route(p: Path, inv: Inventory) -> str:
    """A path as the sites it crosses and the links between them; links inside a site
    (a school's switch to its router) are left out, so a route reads as the WAN does."""
    parts: list[str] = []
    here: str | None = None
    for link, node in zip((None, *p.links), p.nodes, strict=True):
        device = inv.devices.get(node)
        where = device.site if device else node  # an ISP cloud stands for itself
        if where != here:
            if link is not None:
                parts.append(f"-({link})-")
            parts.append(where)
            here = where
    return " ".join(parts)


def _spof_changes(old: list[Spof], new: list[Spof]) -> tuple[SpofChange, ...]:
    was = {s.element: s for s in old}
    now = {s.element: s for s in new}
    out = [_spof(s, "added") for s in new if s.element not in was]
    out += [_spof(s, "removed") for s in old if s.element not in now]
    return tuple(out)


def _spof(s: Spof, status: str) -> SpofChange:
    return SpofChange(s.element, s.kind, status, s.sites_cut, s.schools_cut, s.pupils_cut)
