"""The topology of a resolved inventory, and the questions the NOC asks of it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from edunet.model import Inventory
from edunet.schema import SiteKind
from edunet.topology.dfs import Level, Tree
from edunet.topology.results import (
    ElementKind,
    Impact,
    Path,
    Spof,
    TopologyError,
    TopologyStats,
)
from edunet.topology.walk import shortest, within

if TYPE_CHECKING:
    from edunet.model import Endpoint, Link

ISP_PREFIX = "isp:"


def isp_node(link: Link) -> str:
    """The cloud node on the far side of an Internet link: ``isp:<ISP name>``."""
    return ISP_PREFIX + (link.isp or "internet")


class Topology:
    """Devices and ISP clouds joined by links, with everything precomputed for
    :meth:`impact` and :meth:`spof` (a DFS tree from the data center with low-links).

    Node and link indexes follow name order, so every answer is deterministic.
    """

    def __init__(self, inv: Inventory) -> None:
        isps = {isp_node(link) for link in inv.links.values() if link_has_cloud(link)}
        names = sorted({*inv.devices, *isps})
        self.names = names
        self.index = {name: i for i, name in enumerate(names)}
        self.is_device = [name in inv.devices for name in names]
        self.isps = sorted(isps)
        self.link_ids = sorted(inv.links)
        self.link_index = {lid: e for e, lid in enumerate(self.link_ids)}

        # --- sites ------------------------------------------------------------------------
        self.site_codes = list(inv.sites)
        self.site_index = {code: s for s, code in enumerate(self.site_codes)}
        sites = list(inv.sites.values())
        self.site_school = [s.kind is SiteKind.school for s in sites]
        self.site_pupils = [s.pupils or 0 for s in sites]
        self.site_district = [s.district for s in sites]
        self.node_site = [-1] * len(names)
        self.node_district: list[str | None] = [None] * len(names)
        site_nodes: list[list[int]] = [[] for _ in sites]
        for dev in inv.devices.values():
            i = self.index[dev.name]
            self.node_district[i] = dev.district
            s = self.site_index.get(dev.site, -1)
            self.node_site[i] = s
            if s >= 0:
                site_nodes[s].append(i)
        self.site_nodes = site_nodes
        self.gateway = [self._gateway_of(s.gateway, s.devices) for s in sites]

        # --- links ------------------------------------------------------------------------
        n = len(names)
        adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        self.ends: list[tuple[int, int]] = []
        for e, lid in enumerate(self.link_ids):
            link = inv.links[lid]
            u = self._end(link, link.a)
            v = self._end(link, link.b)
            self.ends.append((u, v))
            if u != v:
                adj[u].append((v, e))
                adj[v].append((u, e))
        for row in adj:
            row.sort()
        self.adj = adj
        # border devices: those with a link leaving their site (uplinks, core, Internet)
        self.border: list[list[int]] = []
        for s, nodes in enumerate(site_nodes):
            gw = self.gateway[s]
            out = sorted(u for u in nodes if any(self.node_site[v] != s for v, _ in adj[u]))
            self.border.append([gw, *(u for u in out if u != gw)] if gw >= 0 else out)

        # --- the data center is one root ------------------------------------------------------
        self.dc_sites = [s for s, site in enumerate(sites) if site.kind is SiteKind.datacenter]
        dc_nodes = sorted(u for s in self.dc_sites for u in site_nodes[s])
        self.dc_nodes = dc_nodes

        # device level: devices and ISP clouds
        self.tree = Tree(adj, dc_nodes)
        comp = self._components(n)
        single = [
            len({comp[u] for u in nodes if self.tree.reached(u)}) <= 1 for nodes in site_nodes
        ]
        weight = [1 if d else 0 for d in self.is_device]
        self.dev = Level(self.tree, weight, site_nodes, single)

        # site level: each site's internally connected parts contracted to one node, so a
        # whole-site failure is a single node failure
        ncomp = max(comp, default=-1) + 1
        cadj: list[list[tuple[int, int]]] = [[] for _ in range(ncomp)]
        for e, (u, v) in enumerate(self.ends):
            if comp[u] != comp[v]:
                cadj[comp[u]].append((comp[v], e))
                cadj[comp[v]].append((comp[u], e))
        cweight = [0] * ncomp
        for u, c in enumerate(comp):
            cweight[c] += weight[u]
        self.comp = comp
        self.comp_tree = Tree(cadj, sorted({comp[u] for u in dc_nodes}))
        site_comps = [sorted({comp[u] for u in nodes}) for nodes in site_nodes]
        self.site_comps = site_comps
        csingle = [sum(1 for c in comps if self.comp_tree.reached(c)) <= 1 for comps in site_comps]
        self.sites_level = Level(self.comp_tree, cweight, site_comps, csingle)

        self._spofs: list[Spof] | None = None
        self._unprotected: tuple[list[int], list[int]] | None = None
        self._site_adj: dict[str, set[str]] | None = None

    @classmethod
    def build(cls, inv: Inventory) -> Topology:
        return cls(inv)

    # --- construction helpers ------------------------------------------------------------------

    def _gateway_of(self, gateway: str | None, devices: Sequence[str]) -> int:
        for name in (gateway, *devices):
            if name is not None and name in self.index:
                return self.index[name]
        return -1

    def _end(self, link: Link, end: Endpoint) -> int:
        if end.device is None:
            return self.index[isp_node(link)]
        i = self.index.get(end.device)
        if i is None:
            raise ValueError(f"link {link.id}: unknown device {end.device!r}")
        return i

    def _components(self, n: int) -> list[int]:
        """Connected parts of each site over its own links; an ISP cloud is a part of its own."""
        parent = list(range(n))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for u, v in self.ends:
            s = self.node_site[u]
            if s >= 0 and s == self.node_site[v]:
                ru, rv = find(u), find(v)
                if ru != rv:
                    parent[max(ru, rv)] = min(ru, rv)
        ids: dict[int, int] = {}
        return [ids.setdefault(find(u), len(ids)) for u in range(n)]

    # --- names ---------------------------------------------------------------------------------

    def _unknown(self, name: str, what: str, pools: Iterable[Iterable[str]]) -> TopologyError:
        choices = [c for pool in pools for c in pool]
        close = difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
        if not close:
            lowered = name.lower()
            close = sorted(c for c in choices if lowered in c.lower())[:3]
        hint = "; did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""
        return TopologyError(f"unknown {what} {name!r}{hint}")

    def _lookup(self, name: str, links: bool) -> tuple[ElementKind, int]:
        """A name as (kind, index): a device, a site code, an ISP cloud, then a link id."""
        for key in dict.fromkeys((name, name.lower(), name.upper())):
            if key in self.index:
                i = self.index[key]
                if self.is_device[i]:
                    return "device", i
                return "site", i  # an ISP cloud is a pseudo-site
            if key in self.site_index:
                return "site", len(self.names) + self.site_index[key]
            if links and key in self.link_index:
                return "link", self.link_index[key]
        what = "device, site or link" if links else "device or site"
        pools = [self.names, self.site_codes, self.link_ids if links else ()]
        raise self._unknown(name, what, pools)

    def _name(self, kind: ElementKind, i: int) -> str:
        if kind == "link":
            return self.link_ids[i]
        if i >= len(self.names):
            return self.site_codes[i - len(self.names)]
        return self.names[i]

    def _nodes(self, name: str) -> list[int]:
        """Path ends: a device or ISP cloud, or a site's border devices (gateway first)."""
        _, i = self._lookup(name, links=False)
        if i < len(self.names):
            return [i]
        s = i - len(self.names)
        if not self.border[s]:
            raise TopologyError(f"site {self.site_codes[s]} has no devices")
        return self.border[s]

    def _node(self, name: str) -> int:
        """One device-level node: a device, an ISP cloud, or a site's gateway."""
        _, i = self._lookup(name, links=False)
        if i < len(self.names):
            return i
        s = i - len(self.names)
        if self.gateway[s] < 0:
            raise TopologyError(f"site {self.site_codes[s]} has no devices")
        return self.gateway[s]

    # --- neighbourhoods ------------------------------------------------------------------------

    def neighbours(self, node: str, hops: int = 1) -> dict[str, int]:
        """Devices and ISP clouds within ``hops`` links of ``node`` (a site: its gateway),
        with their distance, nearest first, then by name."""
        found = within(self._node(node), hops, lambda u: (v for v, _ in self.adj[u]))
        return {self.names[v]: d for v, d in sorted(found.items(), key=lambda kv: (kv[1], kv[0]))}

    def site_neighbours(self, site: str, hops: int = 1) -> dict[str, int]:
        """Sites (and ``isp:<name>`` clouds) within ``hops`` site-to-site links of ``site``.

        ``site`` may also be a device name, meaning its site. LAN links do not count.
        """
        graph = self._site_graph()
        start = site if site in graph else site.upper()
        if start not in graph:
            i = self.index.get(site)
            if i is not None and self.is_device[i] and self.node_site[i] >= 0:
                start = self.site_codes[self.node_site[i]]
            else:
                raise self._unknown(site, "site", [graph])
        found = within(start, hops, graph.__getitem__)
        return dict(sorted(found.items(), key=lambda kv: (kv[1], kv[0])))

    def _site_graph(self) -> dict[str, set[str]]:
        if self._site_adj is None:
            graph: dict[str, set[str]] = {code: set() for code in self.site_codes}
            graph.update({isp: set() for isp in self.isps})

            def label(u: int) -> str | None:
                s = self.node_site[u]
                if s >= 0:
                    return self.site_codes[s]
                return None if self.is_device[u] else self.names[u]

            for u, v in self.ends:
                a, b = label(u), label(v)
                if a is not None and b is not None and a != b:
                    graph[a].add(b)
                    graph[b].add(a)
            self._site_adj = graph
        return self._site_adj

    # --- paths ---------------------------------------------------------------------------------

    def paths(self, a: str, b: str, limit: int = 16) -> list[Path]:
        """All equal-cost shortest paths (in hops) from ``a`` to ``b``, up to ``limit``.

        Ends are devices, ISP clouds or sites (a site starts or ends at any of its border
        devices, gateway first). Each parallel link gives its own path. Paths come in
        order of (next node name, link id) at every hop.
        """
        return self._shortest(self._nodes(a), self._nodes(b), limit)

    def path_to_datacenter(self, site_or_device: str, limit: int = 16) -> list[Path]:
        """Shortest paths to the nearest device(s) of the data center."""
        return self._shortest(self._nodes(site_or_device), self.dc_nodes, limit)

    def _shortest(self, src: Sequence[int], dst: Sequence[int], limit: int) -> list[Path]:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        names, link_ids = self.names, self.link_ids
        return [
            Path(tuple(names[x] for x in nodes), tuple(link_ids[e] for e in edges))
            for nodes, edges in islice(shortest(self.adj, src, dst), limit)
        ]

    # --- failures ------------------------------------------------------------------------------

    def impact(self, element: str) -> Impact:
        """What loses the data center when ``element`` fails: a link id, a device, an ISP
        cloud (``isp:<name>``) or a site code (the whole site down)."""
        kind, i = self._lookup(element, links=True)
        sites, devices = self._cut(kind, i)
        codes = sorted(self.site_codes[s] for s in sites)
        by_district: dict[str, int] = {}
        for s in sites:
            by_district[self.site_district[s]] = by_district.get(self.site_district[s], 0) + 1
        return Impact(
            element=self._name(kind, i),
            kind=kind,
            sites_cut=tuple(codes),
            schools_cut=sum(1 for s in sites if self.site_school[s]),
            pupils_cut=sum(self.site_pupils[s] for s in sites),
            devices_cut=devices,
            by_district=dict(sorted(by_district.items())),
        )

    def _cut(self, kind: ElementKind, i: int) -> tuple[list[int], int]:
        """(sites cut, devices cut) for one failure, from the precomputed trees."""
        if kind == "link":
            u, v = self.ends[i]
            own = {self.node_site[u]} if self.node_site[u] == self.node_site[v] else set()
            ranges = self.tree.edge_ranges(i)
            return self.dev.sites(ranges, own), self.dev.weight(ranges)
        if i < len(self.names):  # a device or an ISP cloud
            ranges = self.tree.node_ranges(i)
            own = {self.node_site[i]}
            return self.dev.sites(ranges, own), self.dev.weight(ranges)
        s = i - len(self.names)
        reached = [c for c in self.site_comps[s] if self.comp_tree.reached(c)]
        if len(reached) == 1:
            ranges = self.comp_tree.node_ranges(reached[0])
            level = self.sites_level
        else:  # the site is in pieces: search below them (rare; still exact)
            ranges = self.tree.cut_by_nodes(self.adj, self.site_nodes[s])
            level = self.dev
        return level.sites(ranges, {s}), level.weight(ranges)

    def spof(self, min_sites: int = 1) -> list[Spof]:
        """Devices, ISP clouds and links whose failure alone cuts at least ``min_sites``
        sites, most sites first, then by name.

        A device's own site counts: a school's only router cuts that school, so it is a
        SPOF with one site. Use ``min_sites=2`` for what takes down more than one site.
        """
        if min_sites < 1:
            raise ValueError("min_sites must be at least 1")
        return [x for x in self._all_spofs() if x.sites_cut >= min_sites]

    def _all_spofs(self) -> list[Spof]:
        if self._spofs is None:
            out: list[Spof] = []
            elements: list[tuple[ElementKind, int]] = [
                ("device" if self.is_device[u] else "site", u)
                for u in range(len(self.names))
                if self.tree.reached(u)
            ]
            elements += [("link", e) for e in sorted(self.tree.bridges)]
            for kind, i in elements:
                sites, devices = self._cut(kind, i)
                if not sites:
                    continue
                if kind == "link":
                    u, v = self.ends[i]
                    district = self.node_district[u] or self.node_district[v]
                else:
                    district = self.node_district[i]
                out.append(
                    Spof(
                        element=self._name(kind, i),
                        kind=kind,
                        sites_cut=len(sites),
                        schools_cut=sum(1 for s in sites if self.site_school[s]),
                        pupils_cut=sum(self.site_pupils[s] for s in sites),
                        devices_cut=devices,
                        district=district,
                    )
                )
            out.sort(key=lambda x: (-x.sites_cut, x.element))
            self._spofs = out
        return self._spofs

    # --- summary -------------------------------------------------------------------------------

    def unprotected_sites(self) -> tuple[str, ...]:
        """Sites without a redundant path: one link, or one device or ISP cloud outside
        the site, cuts them off. The data center's own devices and internal links are left
        out (they are every site's single point; :meth:`spof` lists them)."""
        return tuple(sorted(self.site_codes[s] for s in self._weak()[0]))

    def single_upstream_sites(self) -> tuple[str, ...]:
        """Sites that the loss of one other whole site (or ISP cloud) cuts off; the data
        center itself does not count."""
        return tuple(sorted(self.site_codes[s] for s in self._weak()[1]))

    def _weak(self) -> tuple[list[int], list[int]]:
        if self._unprotected is None:
            by_element: set[int] = set()
            dc = set(self.dc_sites)
            # the data center's own devices and wiring are not part of any site's path
            for u in self.tree.cuts:  # other devices cut nothing but their own site
                if self.node_site[u] not in dc:
                    by_element.update(
                        x for x in self._cut("device", u)[0] if x != self.node_site[u]
                    )
            for e, (u, v) in enumerate(self.ends):
                if e in self.tree.bridges and not (
                    self.node_site[u] in dc and self.node_site[v] in dc
                ):
                    by_element.update(self._cut("link", e)[0])
            by_site: set[int] = set()
            for isp in self.isps:
                by_site.update(self._cut("site", self.index[isp])[0])
            for s in range(len(self.site_codes)):
                if s not in dc and self.sites_level.reached(s):
                    by_site.update(x for x in self._cut("site", len(self.names) + s)[0] if x != s)
            self._unprotected = (sorted(by_element), sorted(by_site))
        return self._unprotected

    def stats(self) -> TopologyStats:
        pairs: dict[tuple[int, int], int] = {}
        for u, v in self.ends:
            key = (min(u, v), max(u, v))
            pairs[key] = pairs.get(key, 0) + 1
        unprotected, single_upstream = self._weak()
        return TopologyStats(
            nodes=len(self.names),
            devices=sum(self.is_device),
            isp_clouds=len(self.isps),
            links=len(self.link_ids),
            parallel_links=sum(k for k in pairs.values() if k > 1),
            sites=len(self.site_codes),
            bridges=len(self.tree.bridges),
            articulation_points=len(self.tree.cuts),
            unreachable_sites=sum(
                1 for s in range(len(self.site_codes)) if not self.dev.reached(s)
            ),
            unprotected_sites=len(unprotected),
            single_upstream_sites=len(single_upstream),
        )

    # --- export --------------------------------------------------------------------------------

    def to_networkx(self) -> Any:
        """A ``networkx.MultiGraph`` copy (keys are link ids) for drawing or ad-hoc analysis."""
        import networkx as nx

        g = nx.MultiGraph()
        for u, name in enumerate(self.names):
            s = self.node_site[u]
            g.add_node(
                name,
                site=self.site_codes[s] if s >= 0 else None,
                kind="device" if self.is_device[u] else "isp",
            )
        for e, (u, v) in enumerate(self.ends):
            g.add_edge(self.names[u], self.names[v], key=self.link_ids[e])
        return g


def link_has_cloud(link: Link) -> bool:
    return link.a.device is None or link.b.device is None
