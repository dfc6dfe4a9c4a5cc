"""Reference implementations the topology is checked against: literal BFS and networkx.

They are slow and obviously right: a BFS from the data center that may enter a school's
devices but never leaves a school for another site, and networkx shortest paths on the
graph without third-party schools. ``networks()`` draws random small cities.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from itertools import pairwise, product

import networkx as nx
from hypothesis import strategies as st
from topology_builder import Net

from edunet.model import Inventory, SiteKind
from edunet.topology import Path


def isp_of(inv: Inventory, link_id: str) -> str:
    return "isp:" + (inv.links[link_id].isp or "internet")


def isps_of(inv: Inventory) -> list[str]:
    """Every ISP: the clouds of Internet links, and every ``isp`` a link names."""
    clouds = {isp_of(inv, lid) for lid, link in inv.links.items() if link.to_internet}
    return sorted(clouds | {f"isp:{link.isp}" for link in inv.links.values() if link.isp})


def school_of(inv: Inventory, node: str) -> str | None:
    """The school a device belongs to; None for other sites' devices and ISP clouds."""
    device = inv.devices.get(node)
    if device is None or inv.sites[device.site].kind is not SiteKind.school:
        return None
    return device.site


def reference_up(
    inv: Inventory, dead_nodes: Iterable[str] = (), dead_links: Iterable[str] = ()
) -> tuple[set[str], set[str]]:
    """(sites, devices) that reach any data-center device, by BFS over what is left.

    Schools are stub sites: the BFS may enter a school's devices, but never leaves a
    school for a node of another site.
    """
    dead = set(dead_nodes)
    gone = set(dead_links)
    adj: dict[str, list[str]] = defaultdict(list)
    for link in inv.links.values():
        if link.id in gone:
            continue
        a, b = (e.device or isp_of(inv, link.id) for e in (link.a, link.b))
        if a not in dead and b not in dead:
            adj[a].append(b)
            adj[b].append(a)
    seen = {
        d.name
        for d in inv.devices.values()
        if inv.sites[d.site].kind is SiteKind.datacenter and d.name not in dead
    }
    queue = deque(seen)
    while queue:
        u = queue.popleft()
        school = school_of(inv, u)
        for v in adj[u]:
            if v in seen:
                continue
            if school is not None and (v not in inv.devices or inv.devices[v].site != school):
                continue  # out of a school: to another site or an ISP cloud
            seen.add(v)
            queue.append(v)
    devices = seen & inv.devices.keys()
    return {inv.devices[d].site for d in devices}, devices


def reference_impact(inv: Inventory, element: str) -> tuple[set[str], int]:
    sites0, devices0 = reference_up(inv)
    if element in inv.links:
        sites1, devices1 = reference_up(inv, dead_links=[element])
    elif element.startswith("isp:"):  # the ISP whole: its cloud and every link it carries
        carried = [lid for lid, link in inv.links.items() if f"isp:{link.isp}" == element]
        sites1, devices1 = reference_up(inv, [element], carried)
    elif element in inv.sites:
        sites1, devices1 = reference_up(inv, inv.sites[element].devices)
    else:
        sites1, devices1 = reference_up(inv, [element])
    return sites0 - sites1, len(devices0 - devices1)


def reference_paths(inv: Inventory, src: set[str], dst: set[str]) -> list[Path]:
    """Every shortest path from src to dst: networkx's node paths, times the parallel links,
    on the graph without the schools other than those of src and dst."""
    allowed = {None} | {school_of(inv, x) for x in src | dst}  # None: not in a school
    g = nx.Graph()
    g.add_nodes_from(src | dst)
    between: dict[frozenset[str], list[str]] = defaultdict(list)
    for link in inv.links.values():
        a, b = (e.device or isp_of(inv, link.id) for e in (link.a, link.b))
        if a != b and school_of(inv, a) in allowed and school_of(inv, b) in allowed:
            g.add_edge(a, b)
            between[frozenset((a, b))].append(link.id)
    lengths = {
        (s, t): nx.shortest_path_length(g, s, t) for s in src for t in dst if nx.has_path(g, s, t)
    }
    if not lengths:
        return []
    best = min(lengths.values())
    found = [
        Path(tuple(nodes), links)
        for (s, t), n in lengths.items()
        if n == best
        for nodes in nx.all_shortest_paths(g, s, t)
        for links in product(*(between[frozenset(hop)] for hop in pairwise(nodes)))
    ]
    return sorted(found, key=lambda p: (p.nodes[0], list(zip(p.nodes[1:], p.links, strict=True))))


def border(inv: Inventory, code: str) -> set[str]:
    site = inv.sites[code]
    out = {site.devices[0]}
    for link in inv.links.values():
        ends = (link.a, link.b)
        for near, far in (ends, ends[::-1]):
            if near.site == code and far.site != code:
                out.add(str(near.device))
    return out


@st.composite
def networks(draw: st.DrawFn) -> Inventory:
    """Random networks, with schools homed twice: to a district office and an ISP
    cloud, or to two district offices; uplinks sometimes carried by an ISP."""
    net = Net()
    names: list[str] = []
    sites: dict[str, tuple[str, tuple[str, ...]]] = {}  # code -> (kind, devices)
    isps = st.sampled_from(["VNPT", "Viettel"])
    carriers = st.none() | isps
    for s in range(draw(st.integers(2, 7))):
        kind = "dc" if s == 0 else draw(st.sampled_from(["school", "school", "pgd", "so"]))
        devices = tuple(f"s{s}-d{j}" for j in range(draw(st.integers(1, 3))))
        pupils = draw(st.integers(0, 900) | st.none()) if kind == "school" else None
        net.site(f"S{s}", *devices, kind=kind, pupils=pupils, district=f"7{s % 2}0")
        sites[f"S{s}"] = (kind, devices)
        names += devices
    for i, name in enumerate(names[1:], 1):  # a loose spanning skeleton
        if draw(st.booleans()):
            other = names[draw(st.integers(0, i - 1))]
            same = name.split("-")[0] == other.split("-")[0]
            net.link(name, other, f"t{i}", "lan" if same else "uplink", draw(carriers))
    if draw(st.booleans()):
        net.internet("S0", draw(isps), "dc-isp")
    offices = [code for code, (kind, _) in sites.items() if kind == "pgd"]
    for code, (kind, devices) in sites.items():
        if kind != "school" or not offices:
            continue
        way = draw(st.sampled_from(["none", "office+isp", "two offices"]))
        if way == "office+isp":
            office = draw(st.sampled_from(offices))
            net.up(draw(st.sampled_from(devices)), office, f"{code}-m", draw(carriers))
            net.internet(draw(st.sampled_from(devices)), draw(isps), f"{code}-ftth")
        elif way == "two offices" and len(offices) > 1:
            pair = draw(st.lists(st.sampled_from(offices), min_size=2, max_size=2, unique=True))
            for n, office in enumerate(pair, 1):
                net.up(draw(st.sampled_from(devices)), office, f"{code}-up{n}", draw(carriers))
    for i in range(draw(st.integers(0, 10))):
        a = draw(st.sampled_from(names))
        if draw(st.integers(0, 4)) == 0:
            net.internet(a, draw(isps), f"x{i}")
        else:
            net.link(a, draw(st.sampled_from(names)), f"x{i}")
    return net.inv()
