"""The graph of a resolved inventory, split into its transit core and its stub sites.

A school is a *stub* site: traffic may start or end in it, never pass through it. Every
other site (the Department, the data center, district offices) and every ISP cloud is
*transit*. So the structure has two parts, each with a DFS tree and low-links:

* the transit tree, on transit nodes and the links among them, hanging from the data
  center; with a site-level copy in which each transit site's internally connected parts
  are contracted, so a whole-site failure is one node failure. Stub sites hang from it as
  groups (:class:`~edunet.topology.stubs.Attached`), cut when all their anchors are;
* the stub tree, on the devices of stub sites and their own links, every stub site hung
  from one hub by its links to reached transit nodes. A failure inside a stub site only
  ever cuts devices of that site, and this tree answers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING

from edunet.model import Inventory
from edunet.schema import SiteKind
from edunet.select import NotFound, did_you_mean, find
from edunet.topology.dfs import Level, Tree
from edunet.topology.results import ElementKind, TopologyError
from edunet.topology.stubs import Attached, Group

if TYPE_CHECKING:
    from edunet.model import Endpoint, Link

ISP_PREFIX = "isp:"
_NONE: tuple[tuple[int, int], ...] = ()  # the row of a node outside a tree


def isp_node(link: Link) -> str:
    """The cloud node on the far side of an Internet link: ``isp:<ISP name>``."""
    return ISP_PREFIX + (link.isp or "internet")


def link_has_cloud(link: Link) -> bool:
    return link.a.device is None or link.b.device is None


class Structure:
    """Devices and ISP clouds joined by links, and the trees the failure queries read.

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
        # an ISP (``isp:<name>``) fails whole: its cloud, and every link that rides it
        # (a MetroNet uplink with ``isp: VNPT`` goes down with VNPT, though it has no cloud)
        carried: dict[str, list[int]] = {isp: [] for isp in isps}
        for e, lid in enumerate(self.link_ids):
            carrier = inv.links[lid].isp
            if carrier:
                carried.setdefault(ISP_PREFIX + carrier, []).append(e)
        self.carriers = sorted(carried)
        self.carrier_index = {name: k for k, name in enumerate(self.carriers)}
        self.carried = [carried[name] for name in self.carriers]

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
        # node -> its stub site (schools), or -1 for transit nodes
        self.stub_of = [s if s >= 0 and self.site_school[s] else -1 for s in self.node_site]

        # --- links ------------------------------------------------------------------------
        n = len(names)
        adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        self.ends: list[tuple[int, int]] = []
        node_site = self.node_site
        # nodes with a link leaving their site (uplinks, core, Internet)
        self.outward = outward = [False] * n
        for e, lid in enumerate(self.link_ids):
            link = inv.links[lid]
            u = self._end(link, link.a)
            v = self._end(link, link.b)
            self.ends.append((u, v))
            if u != v:
                adj[u].append((v, e))
                adj[v].append((u, e))
                if node_site[u] != node_site[v]:
                    outward[u] = outward[v] = True
        for row in adj:
            row.sort()
        self.adj = adj
        self.border: list[list[int]] = []  # each site's outward devices, gateway first
        for s, nodes in enumerate(site_nodes):
            gw = self.gateway[s]
            out = sorted(u for u in nodes if outward[u])
            self.border.append([gw, *(u for u in out if u != gw)] if gw >= 0 else out)

        self.dc_sites = [s for s, site in enumerate(sites) if site.kind is SiteKind.datacenter]
        self.dc_nodes = sorted(u for s in self.dc_sites for u in site_nodes[s])
        self.comp = self._components(n)
        weight = [1 if d else 0 for d in self.is_device]
        self._build_transit(weight)
        self._build_stubs(weight)

    def _build_transit(self, weight: list[int]) -> None:
        """The transit tree from the data center, at device and at site level."""
        stub_of, comp, site_nodes = self.stub_of, self.comp, self.site_nodes
        # most nodes are in stub sites: they share one empty row, and rows share their
        # pairs with ``adj`` (fewer objects, which keeps the garbage collector quiet)
        self.tadj: list[Sequence[tuple[int, int]]] = [
            _NONE if stub_of[u] >= 0 else [p for p in row if stub_of[p[0]] < 0]
            for u, row in enumerate(self.adj)
        ]
        self.tree = Tree(self.tadj, self.dc_nodes)
        pre = self.tree.pre
        # only transit sites have nodes in the transit trees
        transit = [[] if self.site_school[s] else nodes for s, nodes in enumerate(site_nodes)]
        single = [len({comp[u] for u in nodes if pre[u] >= 0}) <= 1 for nodes in transit]
        self.dev = Level(self.tree, weight, transit, single)

        ncomp = max(comp, default=-1) + 1
        cadj: list[list[tuple[int, int]]] = [[] for _ in range(ncomp)]
        for e, (u, v) in enumerate(self.ends):
            if comp[u] != comp[v] and stub_of[u] < 0 and stub_of[v] < 0:
                cadj[comp[u]].append((comp[v], e))
                cadj[comp[v]].append((comp[u], e))
        cweight = [0] * ncomp
        for u, c in enumerate(comp):
            cweight[c] += weight[u]
        self.comp_tree = Tree(cadj, sorted({comp[u] for u in self.dc_nodes}))
        site_comps = [sorted({comp[u] for u in nodes}) for nodes in transit]
        self.site_comps = site_comps  # of transit sites
        creached = self.comp_tree.reached
        csingle = [sum(1 for c in comps if creached(c)) <= 1 for comps in site_comps]
        self.sites_level = Level(self.comp_tree, cweight, site_comps, csingle)

    def _build_stubs(self, weight: list[int]) -> None:
        """The stub tree, and each stub site's groups hung from the transit trees."""
        n = len(self.names)
        hub = n
        stub_of, comp, pre, adj = self.stub_of, self.comp, self.tree.pre, self.adj
        stub_nodes = [
            nodes if school else []
            for school, nodes in zip(self.site_school, self.site_nodes, strict=True)
        ]
        sadj: list[Sequence[tuple[int, int]]] = [_NONE] * (n + 1)
        hub_row: list[tuple[int, int]] = []
        # a stub group is one internally connected part of a stub site: (site, devices,
        # reached transit nodes at the far ends of its external links)
        parts: dict[int, tuple[int, list[int], list[int]]] = {}
        for s, nodes in enumerate(stub_nodes):
            for u in nodes:
                part = parts.get(comp[u])
                if part is None:
                    part = parts[comp[u]] = (s, [], [])
                part[1].append(u)
                if not self.outward[u]:  # its links all stay inside the site
                    sadj[u] = adj[u]
                    continue
                row: list[tuple[int, int]] = []
                for p in adj[u]:
                    v = p[0]
                    if stub_of[v] == s:
                        row.append(p)
                    elif stub_of[v] < 0 and pre[v] >= 0:
                        row.append((hub, p[1]))
                        hub_row.append((u, p[1]))
                        part[2].append(v)
                sadj[u] = row
        hub_row.sort()
        sadj[hub] = hub_row
        self.hub = hub
        self.stub_tree = Tree(sadj, [hub])
        nsites = len(self.site_codes)
        self.stubs = Level(self.stub_tree, [*weight, 0], stub_nodes, [False] * nsites)
        groups = [Group(s, len(nodes), tuple(out)) for s, nodes, out in parts.values()]
        self.hang_dev = Attached(self.tree, groups, nsites)
        by_comp = [Group(g.site, g.weight, tuple(comp[a] for a in g.anchors)) for g in groups]
        self.hang_site = Attached(self.comp_tree, by_comp, nsites)

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
        node_site = self.node_site
        for u, v in self.ends:
            s = node_site[u]
            if s >= 0 and s == node_site[v]:
                while parent[u] != u:  # find, halving the path as it goes
                    parent[u] = u = parent[parent[u]]
                while parent[v] != v:
                    parent[v] = v = parent[parent[v]]
                if u != v:
                    parent[max(u, v)] = min(u, v)
        ids: dict[int, int] = {}
        out: list[int] = []
        for x in range(n):
            while parent[x] != x:
                parent[x] = x = parent[parent[x]]
            out.append(ids.setdefault(x, len(ids)))
        return out

    # --- names ---------------------------------------------------------------------------------

    def _unknown(self, name: str, what: str, pools: Iterable[Iterable[str]]) -> TopologyError:
        return TopologyError(f"unknown {what} {name!r}{did_you_mean(name, chain(*pools))}")

    def _lookup(self, name: str, links: bool) -> tuple[ElementKind, int]:
        """A name as (kind, index): a device, a site code, an ISP cloud, then a link id;
        spelt exactly, else as :func:`edunet.select.find` compares (case, diacritics)."""
        found = self._exact(name, links)
        if found is not None:
            return found
        what = "device, site, ISP or link" if links else "device or site"
        pools = [self.names, self.site_codes, *([self.carriers, self.link_ids] if links else [])]
        try:
            key = find(what, name, chain(*pools))
        except NotFound:
            raise self._unknown(name, what, pools) from None
        found = self._exact(key, links)
        assert found is not None
        return found

    def _exact(self, key: str, links: bool) -> tuple[ElementKind, int] | None:
        if links and key in self.carrier_index:  # a failure: the whole ISP
            return "isp", self.carrier_index[key]
        if key in self.index:
            i = self.index[key]
            if self.is_device[i]:
                return "device", i
            return "site", i  # a place to start from: the ISP's cloud is a pseudo-site
        if key in self.site_index:
            return "site", len(self.names) + self.site_index[key]
        if links and key in self.link_index:
            return "link", self.link_index[key]
        return None

    def _name(self, kind: ElementKind, i: int) -> str:
        if kind == "link":
            return self.link_ids[i]
        if kind == "isp":
            return self.carriers[i]
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
