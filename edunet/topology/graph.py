"""The questions the NOC asks of the topology: paths, neighbourhoods, failures."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import islice
from typing import Any

from edunet.model import Inventory
from edunet.select import natural_key, naturally
from edunet.topology.dfs import Level, Range
from edunet.topology.results import (
    ElementKind,
    Impact,
    Path,
    Spof,
    TopologyStats,
)
from edunet.topology.structure import Structure
from edunet.topology.stubs import Attached
from edunet.topology.walk import reach, shortest, within


class Topology(Structure):
    """Devices and ISP clouds joined by links, with everything precomputed for
    :meth:`impact` and :meth:`spof`.

    Schools are stub sites: a path may start or end in one but never pass through it, so
    a school with two uplinks backs up itself, never the sites it is linked to. Paths and
    failures follow that rule; :meth:`neighbours` and :meth:`site_neighbours` are plain
    graph distance.
    """

    def __init__(self, inv: Inventory) -> None:
        super().__init__(inv)
        self._spofs: list[Spof] | None = None
        self._unprotected: tuple[list[int], list[int]] | None = None
        self._site_adj: dict[str, set[str]] | None = None
        self._up: list[bool] | None = None  # nodes that reach the data center, all links up

    @classmethod
    def build(cls, inv: Inventory) -> Topology:
        return cls(inv)

    # --- neighbourhoods ------------------------------------------------------------------------

    def neighbours(self, node: str, hops: int = 1) -> dict[str, int]:
        """Devices and ISP clouds within ``hops`` links of ``node`` (a site: its gateway),
        with their distance, nearest first, then by name.

        Plain graph distance: unlike paths, a neighbourhood may reach through a school.
        """
        found = within(self._node(node), hops, lambda u: (v for v, _ in self.adj[u]))
        return _nearest_first({self.names[v]: d for v, d in found.items()})

    def site_neighbours(self, site: str, hops: int = 1) -> dict[str, int]:
        """Sites (and ``isp:<name>`` clouds) within ``hops`` site-to-site links of ``site``.

        ``site`` may also be a device name, meaning its site. LAN links do not count.
        Plain graph distance, as for :meth:`neighbours`: schools count as hops.
        """
        graph = self._site_graph()
        start = site if site in graph else site.upper()
        if start not in graph:
            i = self.index.get(site)
            if i is not None and self.is_device[i] and self.node_site[i] >= 0:
                start = self.site_codes[self.node_site[i]]
            else:
                raise self._unknown(site, "site", [graph])
        return _nearest_first(within(start, hops, graph.__getitem__))

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
        devices, gateway first). A path passes through no school other than its own end
        sites. Each parallel link gives its own path. Paths come in order of (next node
        name, link id) at every hop.
        """
        return self._shortest(self._nodes(a), self._nodes(b), limit)

    def path_to_datacenter(self, site_or_device: str, limit: int = 16) -> list[Path]:
        """Shortest paths to the nearest device(s) of the data center, through no other
        school."""
        return self._shortest(self._nodes(site_or_device), self.dc_nodes, limit)

    def _shortest(self, src: Sequence[int], dst: Sequence[int], limit: int) -> list[Path]:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        names, link_ids, stub = self.names, self.link_ids, self.stub_of
        ends = {stub[x] for x in (*src, *dst) if stub[x] >= 0}
        return [
            Path(tuple(names[x] for x in nodes), tuple(link_ids[e] for e in edges))
            for nodes, edges in islice(shortest(self.adj, src, dst, stub, ends), limit)
        ]

    # --- failures ------------------------------------------------------------------------------

    def impact(self, element: str) -> Impact:
        """What loses the data center when ``element`` fails: a link id, a device, an ISP
        (``isp:<name>``: its Internet cloud and every link with that ``isp``, uplinks
        included) or a site code (the whole site down)."""
        kind, i = self._lookup(element, links=True)
        sites, devices = self._cut(kind, i)
        codes = naturally(self.site_codes[s] for s in sites)
        by_district: dict[str, int] = {}
        for s in sites:
            by_district[self.site_district[s]] = by_district.get(self.site_district[s], 0) + 1
        return Impact(
            element=self._name(kind, i),
            kind=kind,
            sites_cut=tuple(codes),
            schools_cut=self._schools(sites),
            pupils_cut=self._pupils(sites),
            devices_cut=devices,
            by_district=dict(sorted(by_district.items())),
        )

    def _schools(self, sites: list[int]) -> int:
        return sum(1 for s in sites if self.site_school[s])

    def _pupils(self, sites: list[int]) -> int:
        return sum(self.site_pupils[s] for s in sites)

    def _cut(self, kind: ElementKind, i: int) -> tuple[list[int], int]:
        """(sites cut, devices cut) for one failure, from the precomputed trees.

        A failure inside a stub site (its device, its own or external link, the whole
        site) cuts nothing but devices of that site: the stub tree answers. A failure in
        the transit network cuts a subtree of the transit tree, and with it the stub
        groups all of whose anchors lie in that subtree.
        """
        stub = self.stub_of
        if kind == "isp":
            return self._isp_down(i)
        if kind == "link":
            u, v = self.ends[i]
            if stub[u] >= 0 or stub[v] >= 0:
                return self._in_stub(self.stub_tree.edge_ranges(i), max(stub[u], stub[v]))
            own = {self.node_site[u]} if self.node_site[u] == self.node_site[v] else set()
            return self._below(self.dev, self.hang_dev, self.tree.edge_ranges(i), own)
        if i < len(self.names):  # a device or an ISP cloud
            if stub[i] >= 0:
                return self._in_stub(self.stub_tree.node_ranges(i), stub[i])
            return self._below(
                self.dev, self.hang_dev, self.tree.node_ranges(i), {self.node_site[i]}
            )
        s = i - len(self.names)
        if self.site_school[s]:  # a stub site down cuts itself, and nothing else
            reached = len(self.stubs.site_pos[s])
            return ([s], reached) if reached else ([], 0)
        comps = [c for c in self.site_comps[s] if self.comp_tree.reached(c)]
        if not comps:
            return [], 0
        if len(comps) == 1:
            ranges = self.comp_tree.node_ranges(comps[0])
            return self._below(self.sites_level, self.hang_site, ranges, {s})
        # the site is in pieces: search below them (rare; still exact)
        ranges = self.tree.cut_by_nodes(self.tadj, self.site_nodes[s])
        return self._below(self.dev, self.hang_dev, ranges, {s})

    def _isp_down(self, k: int) -> tuple[list[int], int]:
        """An ISP down: its cloud and every link it carries at once. Many links fail, so
        no tree answers: walk what is left (one walk a query; the city has few ISPs)."""
        cloud = self.index.get(self.carriers[k])
        dead = {cloud} if cloud is not None else set()
        before = self._reached()
        after = reach(self.adj, self.dc_nodes, self.stub_of, dead, set(self.carried[k]))
        lost = [u for u, up in enumerate(before) if up and not after[u]]
        cut = [
            s
            for s in sorted({self.node_site[u] for u in lost if self.node_site[u] >= 0})
            if not any(after[u] for u in self.site_nodes[s])
        ]
        return cut, sum(1 for u in lost if self.is_device[u])

    def _reached(self) -> list[bool]:
        if self._up is None:
            self._up = reach(self.adj, self.dc_nodes, self.stub_of)
        return self._up

    def _in_stub(self, ranges: Sequence[Range], site: int) -> tuple[list[int], int]:
        return self.stubs.sites(ranges, {site}), self.stubs.weight(ranges)

    @staticmethod
    def _below(
        level: Level, hang: Attached, ranges: Sequence[Range], own: Collection[int]
    ) -> tuple[list[int], int]:
        sites = level.sites(ranges, own)
        stubs, devices = hang.cut(ranges)
        return sites + stubs, level.weight(ranges) + devices

    def spof(self, min_sites: int = 1) -> list[Spof]:
        """Devices, ISPs and links whose failure alone cuts at least ``min_sites``
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
                ("device", u)
                for u in range(len(self.names))
                if self.is_device[u] and (self.tree.reached(u) or self.stub_tree.reached(u))
            ]
            elements += [("isp", k) for k in range(len(self.carriers))]
            bridges = sorted({*self.tree.bridges, *self.stub_tree.bridges})
            elements += [("link", e) for e in bridges]
            for kind, i in elements:
                sites, devices = self._cut(kind, i)
                if not sites:
                    continue
                if kind == "link":
                    u, v = self.ends[i]
                    district = self.node_district[u] or self.node_district[v]
                elif kind == "isp":
                    district = None
                else:
                    district = self.node_district[i]
                out.append(
                    Spof(
                        element=self._name(kind, i),
                        kind=kind,
                        sites_cut=len(sites),
                        schools_cut=self._schools(sites),
                        pupils_cut=self._pupils(sites),
                        devices_cut=devices,
                        district=district,
                    )
                )
            out.sort(key=lambda x: (-x.sites_cut, natural_key(x.element)))
            self._spofs = out
        return self._spofs

    # --- summary -------------------------------------------------------------------------------

    def unprotected_sites(self) -> tuple[str, ...]:
        """Sites without a redundant path: one link, or one device or ISP cloud outside
        the site, cuts them off. The data center's own devices and internal links are left
        out (they are every site's single point; :meth:`spof` lists them)."""
        return tuple(naturally(self.site_codes[s] for s in self._weak()[0]))

    def single_upstream_sites(self) -> tuple[str, ...]:
        """Sites that the loss of one other whole site (or one ISP, with every link it
        carries) cuts off; the data center itself does not count."""
        return tuple(naturally(self.site_codes[s] for s in self._weak()[1]))

    def _weak(self) -> tuple[list[int], list[int]]:
        if self._unprotected is None:
            by_element: set[int] = set()
            dc = set(self.dc_sites)
            # the data center's own devices and wiring are not part of any site's path; a
            # device of a stub site cuts nothing but its own site
            for u in range(len(self.names)):
                if self.tree.reached(u) and self.node_site[u] not in dc:
                    by_element.update(
                        x for x in self._cut("device", u)[0] if x != self.node_site[u]
                    )
            for e in sorted({*self.tree.bridges, *self.stub_tree.bridges}):
                u, v = self.ends[e]
                if not (self.node_site[u] in dc and self.node_site[v] in dc):
                    by_element.update(self._cut("link", e)[0])
            by_site: set[int] = set()
            for k in range(len(self.carriers)):  # an ISP down, with every link it carries
                by_site.update(self._isp_down(k)[0])
            for s in range(len(self.site_codes)):  # a stub site down cuts only itself
                if s not in dc and self.sites_level.reached(s) and not self.site_school[s]:
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
            bridges=len(self.tree.bridges) + len(self.stub_tree.bridges),
            articulation_points=len(self.tree.cuts.keys() | self.hang_dev.sole_anchors())
            + len(self.stub_tree.cuts.keys() - {self.hub}),
            unreachable_sites=sum(
                1
                for s in range(len(self.site_codes))
                if not (self.dev.reached(s) or self.stubs.reached(s))
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


def _nearest_first(found: dict[str, int]) -> dict[str, int]:
    """Names by distance, then in the order people read names (``ap2`` before ``ap10``)."""
    return dict(sorted(found.items(), key=lambda kv: (kv[1], natural_key(kv[0]))))
