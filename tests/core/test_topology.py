"""Topology: paths, neighbourhoods, failure impact and single points of failure.

Each numbered case draws its network: ``[X]`` is a site (its one router is ``x-rt``
unless devices are shown), ``(isp:N)`` an ISP cloud, and the label on a line is the
link id. ``==`` marks parallel links.
"""

from __future__ import annotations

import gc
from collections import defaultdict, deque
from collections.abc import Iterable
from itertools import pairwise, product

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from topology_builder import Net

from edunet.model import Inventory, SiteKind
from edunet.topology import Impact, Path, Spof, Topology, TopologyError, topology_of


def topo(net: Net) -> Topology:
    return Topology.build(net.inv())


def hops(paths: list[Path]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(p.nodes, p.links) for p in paths]


def cut(t: Topology, element: str) -> tuple[tuple[str, ...], int, int]:
    """(sites cut, pupils cut, devices cut)"""
    i = t.impact(element)
    return i.sites_cut, i.pupils_cut, i.devices_cut


# --- 1xx: drawn networks -------------------------------------------------------------------


def chain() -> Net:
    return (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("PGD", kind="pgd")
        .site("A", pupils=500)
        .up("A", "PGD", "a-up")
        .up("PGD", "SO", "pgd-up")
        .up("SO", "DC", "so-up")
    )


def test_101_chain() -> None:
    """
    [A] --a-up--> [PGD] --pgd-up--> [SO] --so-up--> [DC]
    """
    t = topo(chain())
    assert hops(t.path_to_datacenter("A")) == [
        (("a-rt", "pgd-rt", "so-rt", "dc-rt"), ("a-up", "pgd-up", "so-up"))
    ]
    assert t.path_to_datacenter("a-rt")[0].hops == 3
    assert str(t.paths("A", "SO")[0]) == "a-rt -(a-up)- pgd-rt -(pgd-up)- so-rt"
    assert t.paths("DC", "DC") == [Path(("dc-rt",), ())]
    assert t.neighbours("a-rt", hops=3) == {"pgd-rt": 1, "so-rt": 2, "dc-rt": 3}
    assert t.site_neighbours("PGD", hops=2) == {"A": 1, "SO": 1, "DC": 2}
    assert cut(t, "pgd-up") == (("A", "PGD"), 500, 2)
    assert cut(t, "so-rt") == (("A", "PGD", "SO"), 500, 3)
    assert cut(t, "A") == (("A",), 500, 1)
    assert cut(t, "DC") == (("A", "DC", "PGD", "SO"), 500, 4)
    assert [(s.element, s.kind, s.sites_cut) for s in t.spof()] == [
        ("dc-rt", "device", 4),  # the data center's only device
        ("so-rt", "device", 3),
        ("so-up", "link", 3),
        ("pgd-rt", "device", 2),
        ("pgd-up", "link", 2),
        ("a-rt", "device", 1),
        ("a-up", "link", 1),
    ]
    s = t.stats()
    assert (s.nodes, s.links, s.bridges, s.articulation_points) == (4, 3, 3, 3)
    assert (s.unprotected_sites, s.single_upstream_sites) == (3, 2)
    assert t.unprotected_sites() == ("A", "PGD", "SO")


def test_102_star() -> None:
    """
    [school A] --a-up--> [PGD] --pgd-up--> [SO] --so-dc--> [DC]
    [school B] --b-up--> [PGD]
    [school C] --c-up--> [PGD]
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("PGD", kind="pgd")
        .site("A", pupils=500)
        .site("B", pupils=700)
        .site("C", pupils=None)
        .up("A", "PGD", "a-up")
        .up("B", "PGD", "b-up")
        .up("C", "PGD", "c-up")
        .up("PGD", "SO", "pgd-up")
        .up("SO", "DC", "so-dc")
    )
    t = topo(net)
    assert hops(t.paths("A", "B")) == [(("a-rt", "pgd-rt", "b-rt"), ("a-up", "b-up"))]
    assert t.neighbours("PGD") == {"a-rt": 1, "b-rt": 1, "c-rt": 1, "so-rt": 1}
    assert t.neighbours("pgd-rt", hops=2) == {
        "a-rt": 1, "b-rt": 1, "c-rt": 1, "so-rt": 1, "dc-rt": 2
    }  # fmt: skip
    assert t.site_neighbours("A", hops=2) == {"PGD": 1, "B": 2, "C": 2, "SO": 2}
    for element in ("pgd-rt", "PGD", "pgd-up"):
        i = t.impact(element)
        assert i.sites_cut == ("A", "B", "C", "PGD")
        assert (i.schools_cut, i.pupils_cut, i.devices_cut) == (3, 1200, 4)
        assert i.by_district == {"760": 4}
    assert t.impact("PGD").kind == "site"
    assert t.impact("pgd-up").kind == "link"
    assert cut(t, "b-up") == (("B",), 700, 1)
    top = t.spof(min_sites=2)
    assert [(s.element, s.sites_cut, s.pupils_cut) for s in top] == [
        ("dc-rt", 6, 1200),
        ("so-dc", 5, 1200),
        ("so-rt", 5, 1200),
        ("pgd-rt", 4, 1200),
        ("pgd-up", 4, 1200),
    ]
    assert top[3] == Spof("pgd-rt", "device", 4, 3, 1200, 4, "760")
    assert len(t.spof()) == 5 + 6  # each school's router and uplink cut it alone


def test_103_dual_homed_district_office() -> None:
    """
    [A] --a-up--> [PGD] --pgd-so--> [SO] --so-dc--> [DC]
                  [PGD] --pgd-dc------------------> [DC]
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("PGD", kind="pgd")
        .site("A", pupils=800)
        .up("A", "PGD", "a-up")
        .up("PGD", "SO", "pgd-so")
        .up("PGD", "DC", "pgd-dc")
        .up("SO", "DC", "so-dc")
    )
    t = topo(net)
    assert hops(t.path_to_datacenter("PGD")) == [(("pgd-rt", "dc-rt"), ("pgd-dc",))]
    assert hops(t.paths("A", "SO")) == [
        (("a-rt", "pgd-rt", "so-rt"), ("a-up", "pgd-so")),
    ]
    assert t.site_neighbours("PGD") == {"A": 1, "DC": 1, "SO": 1}
    assert cut(t, "pgd-so") == ((), 0, 0)
    assert cut(t, "pgd-dc") == ((), 0, 0)
    assert cut(t, "SO") == (("SO",), 0, 1)
    assert cut(t, "so-dc") == ((), 0, 0)  # SO still reaches the DC through the PGD
    assert cut(t, "pgd-rt") == (("A", "PGD"), 800, 2)
    assert [s.element for s in t.spof(min_sites=2)] == ["dc-rt", "pgd-rt"]
    s = t.stats()
    assert (s.bridges, s.articulation_points) == (1, 2)
    assert t.unprotected_sites() == ("A",)
    assert t.single_upstream_sites() == ("A",)


def test_104_two_isps() -> None:
    """
    [A] --a-metro (MetroNet)--> [PGD] --pgd-up--> [DC]
    [A] --a-ftth (FTTH)--> (isp:Viettel) <--dc-viettel-- [DC]
    [B] --b-ftth (FTTH)--> (isp:Viettel)
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("PGD", kind="pgd")
        .site("A", pupils=600)
        .site("B", pupils=300)
        .up("A", "PGD", "a-metro")
        .up("PGD", "DC", "pgd-up")
        .internet("A", "Viettel", "a-ftth")
        .internet("B", "Viettel", "b-ftth")
        .internet("DC", "Viettel", "dc-viettel")
    )
    t = topo(net)
    assert hops(t.path_to_datacenter("A")) == [
        (("a-rt", "isp:Viettel", "dc-rt"), ("a-ftth", "dc-viettel")),
        (("a-rt", "pgd-rt", "dc-rt"), ("a-metro", "pgd-up")),
    ]
    assert t.neighbours("isp:Viettel") == {"a-rt": 1, "b-rt": 1, "dc-rt": 1}
    assert t.site_neighbours("A") == {"PGD": 1, "isp:Viettel": 1}
    assert t.site_neighbours("isp:Viettel") == {"A": 1, "B": 1, "DC": 1}
    assert cut(t, "pgd-rt") == (("PGD",), 0, 1)  # A falls back to FTTH
    assert cut(t, "a-metro") == ((), 0, 0)
    assert cut(t, "a-ftth") == ((), 0, 0)
    isp = t.impact("isp:Viettel")
    assert (isp.kind, isp.sites_cut, isp.pupils_cut, isp.devices_cut) == ("site", ("B",), 300, 1)
    # B still reaches the DC through the Viettel cloud and A's MetroNet uplink
    assert cut(t, "dc-viettel") == ((), 0, 0)
    assert [(s.element, s.kind, s.sites_cut) for s in t.spof()] == [
        ("dc-rt", "device", 4),
        ("a-rt", "device", 1),
        ("b-ftth", "link", 1),
        ("b-rt", "device", 1),
        ("isp:Viettel", "site", 1),
        ("pgd-rt", "device", 1),  # pgd-up is no SPOF: the PGD is backed up through A
    ]
    assert t.stats().isp_clouds == 1
    assert t.unprotected_sites() == ("B",)
    assert t.single_upstream_sites() == ("B",)


def test_105_parallel_links() -> None:
    """
    [A] ==a-up1== [PGD] ==pgd-up1== [DC]
        ==a-up2==       ==pgd-up2==
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("PGD", kind="pgd")
        .site("A", pupils=400)
        .up("A", "PGD", "a-up1")
        .up("A", "PGD", "a-up2")
        .up("PGD", "DC", "pgd-up1")
        .up("PGD", "DC", "pgd-up2")
    )
    t = topo(net)
    nodes = ("a-rt", "pgd-rt", "dc-rt")
    assert hops(t.path_to_datacenter("A")) == [
        (nodes, ("a-up1", "pgd-up1")),
        (nodes, ("a-up1", "pgd-up2")),
        (nodes, ("a-up2", "pgd-up1")),
        (nodes, ("a-up2", "pgd-up2")),
    ]
    assert hops(t.paths("A", "DC", limit=2)) == hops(t.paths("A", "DC"))[:2]
    assert t.neighbours("pgd-rt") == {"a-rt": 1, "dc-rt": 1}
    for link in ("a-up1", "a-up2", "pgd-up1", "pgd-up2"):
        assert cut(t, link) == ((), 0, 0)
    assert cut(t, "pgd-rt") == (("A", "PGD"), 400, 2)
    assert [(s.element, s.sites_cut) for s in t.spof()] == [
        ("dc-rt", 3),
        ("pgd-rt", 2),
        ("a-rt", 1),
    ]
    s = t.stats()
    assert (s.links, s.parallel_links, s.bridges) == (4, 4, 0)


def test_106_school_lan() -> None:
    """
                                     +--lan-- a-ap1
    [A: a-rt] --a-lan-- a-sw --------+--lan-- a-ap2
        |                            +--lan-- a-ap3
        +--a-up--> [PGD] --pgd-up--> [DC]
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("PGD", kind="pgd")
        .site("A", "a-rt", "a-sw", "a-ap1", "a-ap2", "a-ap3", pupils=900)
        .lan("a-rt", "a-sw", "a-lan")
        .lan("a-sw", "a-ap1")
        .lan("a-sw", "a-ap2")
        .lan("a-sw", "a-ap3")
        .up("A", "PGD", "a-up")
        .up("PGD", "DC", "pgd-up")
    )
    t = topo(net)
    assert t.neighbours("a-sw") == {"a-ap1": 1, "a-ap2": 1, "a-ap3": 1, "a-rt": 1}
    assert t.neighbours("A", hops=2) == {
        "a-sw": 1, "pgd-rt": 1, "a-ap1": 2, "a-ap2": 2, "a-ap3": 2, "dc-rt": 2
    }  # fmt: skip
    assert t.site_neighbours("A") == {"PGD": 1}  # LAN links stay inside the site
    assert hops(t.paths("a-ap2", "DC")) == [
        (
            ("a-ap2", "a-sw", "a-rt", "pgd-rt", "dc-rt"),
            ("a-sw--a-ap2", "a-lan", "a-up", "pgd-up"),
        )
    ]
    assert cut(t, "a-sw") == ((), 0, 4)  # the APs go, the school stays up
    assert cut(t, "a-lan") == ((), 0, 4)
    assert cut(t, "a-ap1") == ((), 0, 1)
    assert cut(t, "a-rt") == (("A",), 900, 5)
    assert cut(t, "A") == (("A",), 900, 5)
    assert cut(t, "PGD") == (("A", "PGD"), 900, 6)
    assert [s.element for s in t.spof()] == ["dc-rt", "pgd-rt", "pgd-up", "a-rt", "a-up"]
    s = t.stats()
    assert (s.devices, s.bridges, s.articulation_points) == (7, 6, 4)
    assert t.unprotected_sites() == ("A", "PGD")


def test_107_school_with_two_routers() -> None:
    """
    [B: b-rt1] --b-up1--> [PGD] --pgd-up--> [DC]
    [B: b-rt2] --b-up2--> [SO]  --so-up---> [DC]
      b-rt1 --lan-- b-cs --lan-- b-rt2
                    b-cs --lan-- b-ap1
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("PGD", kind="pgd")
        .site("B", "b-rt1", "b-rt2", "b-cs", "b-ap1", pupils=1000)
        .lan("b-cs", "b-rt1")
        .lan("b-cs", "b-rt2")
        .lan("b-ap1", "b-cs")
        .up("b-rt1", "PGD", "b-up1")
        .up("b-rt2", "SO", "b-up2")
        .up("PGD", "DC", "pgd-up")
        .up("SO", "DC", "so-up")
    )
    t = topo(net)
    # a site's paths start at each of its border routers, the gateway first
    assert hops(t.path_to_datacenter("B")) == [
        (("b-rt1", "pgd-rt", "dc-rt"), ("b-up1", "pgd-up")),
        (("b-rt2", "so-rt", "dc-rt"), ("b-up2", "so-up")),
    ]
    assert len(t.path_to_datacenter("b-ap1")) == 2
    assert cut(t, "b-rt1") == ((), 0, 1)
    assert cut(t, "PGD") == (("PGD",), 0, 1)
    assert cut(t, "b-cs") == ((), 0, 2)  # the AP behind it; both routers stay up
    assert cut(t, "B") == (("B",), 1000, 4)
    assert t.unprotected_sites() == ()  # PGD and SO back each other up through B's LAN


def test_108_site_in_pieces() -> None:
    """
    [C: c-rt1] --c-up1--> [PGD] --pgd-up--> [DC]
    [C: c-rt2] --c-up2--> [SO]  --so-up---> [DC]
    [D] --d-up--> c-rt2            (no LAN between c-rt1 and c-rt2)
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("PGD", kind="pgd")
        .site("C", "c-rt1", "c-rt2", pupils=100)
        .site("D", pupils=200)
        .up("c-rt1", "PGD", "c-up1")
        .up("c-rt2", "SO", "c-up2")
        .up("D", "c-rt2", "d-up")
        .up("PGD", "DC", "pgd-up")
        .up("SO", "DC", "so-up")
    )
    t = topo(net)
    assert cut(t, "C") == (("C", "D"), 300, 3)
    assert cut(t, "c-rt2") == (("D",), 200, 2)  # C still reaches the DC through c-rt1
    assert cut(t, "so-up") == (("D", "SO"), 200, 3)
    assert cut(t, "PGD") == (("PGD",), 0, 2)  # c-rt1 is cut off, but C is up through c-rt2
    assert t.single_upstream_sites() == ("D",)


# --- 2xx: names, errors, caching --------------------------------------------------------------


def test_201_unknown_names_suggest_close_ones() -> None:
    t = topo(chain())
    with pytest.raises(TopologyError) as err:
        t.impact("pgd-rt2")
    assert isinstance(err.value, KeyError)
    assert str(err.value).startswith("unknown device, site or link 'pgd-rt2'; did you mean")
    assert "'pgd-rt'" in str(err.value)
    with pytest.raises(TopologyError, match="did you mean 'PGD'"):
        t.paths("A", "PGDX")
    with pytest.raises(TopologyError, match="unknown device or site 'so-up'"):
        t.neighbours("so-up")  # a link is no place to start from
    with pytest.raises(TopologyError, match="unknown site"):
        t.site_neighbours("NOWHERE")
    with pytest.raises(ValueError):
        t.paths("A", "DC", limit=0)
    with pytest.raises(ValueError):
        t.spof(min_sites=0)
    assert t.impact("pgd").element == "PGD"  # site codes are forgiven their case


def test_202_topology_is_cached_per_inventory_object() -> None:
    inv = chain().inv()
    first = topology_of(inv)
    assert topology_of(inv) is first
    other = chain().inv()
    assert other == inv and topology_of(other) is not first
    from edunet import topology

    key = id(inv)
    del inv, first
    gc.collect()
    assert key not in topology._CACHE


def test_203_empty_and_rootless_inventories() -> None:
    t = topo(Net().site("A", pupils=10).site("B").up("A", "B", "ab"))
    assert t.path_to_datacenter("A") == []
    assert t.impact("A") == Impact("A", "site", (), 0, 0, 0, {})
    assert t.spof() == []
    assert t.stats().unreachable_sites == 2


# --- 3xx: every failure in random networks against a plain BFS ----------------------------------


def isp_of(inv: Inventory, link_id: str) -> str:
    return "isp:" + (inv.links[link_id].isp or "internet")


def reference_up(
    inv: Inventory, dead_nodes: Iterable[str] = (), dead_link: str | None = None
) -> tuple[set[str], set[str]]:
    """(sites, devices) that reach any data-center device, by BFS over what is left."""
    dead = set(dead_nodes)
    adj: dict[str, list[str]] = defaultdict(list)
    for link in inv.links.values():
        if link.id == dead_link:
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
        for v in adj[queue.popleft()]:
            if v not in seen:
                seen.add(v)
                queue.append(v)
    devices = seen & inv.devices.keys()
    return {inv.devices[d].site for d in devices}, devices


def reference_impact(inv: Inventory, element: str) -> tuple[set[str], int]:
    sites0, devices0 = reference_up(inv)
    if element in inv.links:
        sites1, devices1 = reference_up(inv, dead_link=element)
    elif element in inv.sites:
        sites1, devices1 = reference_up(inv, inv.sites[element].devices)
    else:
        sites1, devices1 = reference_up(inv, [element])
    return sites0 - sites1, len(devices0 - devices1)


def reference_paths(inv: Inventory, src: set[str], dst: set[str]) -> list[Path]:
    """Every shortest path from src to dst: networkx's node paths, times the parallel links."""
    g = nx.Graph()
    g.add_nodes_from(src | dst)
    between: dict[frozenset[str], list[str]] = defaultdict(list)
    for link in inv.links.values():
        a, b = (e.device or isp_of(inv, link.id) for e in (link.a, link.b))
        if a != b:
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
    net = Net()
    names: list[str] = []
    for s in range(draw(st.integers(2, 6))):
        kind = "dc" if s == 0 else draw(st.sampled_from(["school", "school", "pgd", "so"]))
        devices = tuple(f"s{s}-d{j}" for j in range(draw(st.integers(1, 3))))
        pupils = draw(st.integers(0, 900) | st.none()) if kind == "school" else None
        net.site(f"S{s}", *devices, kind=kind, pupils=pupils, district=f"7{s % 2}0")
        names += devices
    for i, name in enumerate(names[1:], 1):  # a loose spanning skeleton
        if draw(st.booleans()):
            other = names[draw(st.integers(0, i - 1))]
            same = name.split("-")[0] == other.split("-")[0]
            net.link(name, other, f"t{i}", "lan" if same else "uplink")
    for i in range(draw(st.integers(0, 10))):
        a = draw(st.sampled_from(names))
        if draw(st.integers(0, 4)) == 0:
            net.internet(a, draw(st.sampled_from(["VNPT", "Viettel"])), f"x{i}")
        else:
            net.link(a, draw(st.sampled_from(names)), f"x{i}")
    return net.inv()


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(networks())
def test_301_impact_matches_reference_bfs(inv: Inventory) -> None:
    t = Topology.build(inv)
    isps = sorted({isp_of(inv, lid) for lid, link in inv.links.items() if link.to_internet})
    elements = [*inv.links, *inv.devices, *inv.sites, *isps]
    expected_spofs = []
    external: set[str] = set()  # sites cut by one link, or one device/ISP outside them
    upstream: set[str] = set()  # sites cut by one other site or ISP cloud
    for element in elements:
        sites, devices = reference_impact(inv, element)
        got = t.impact(element)
        assert got.sites_cut == tuple(sorted(sites)), element
        assert got.devices_cut == devices, element
        assert got.pupils_cut == sum(inv.sites[s].pupils or 0 for s in sites), element
        assert got.schools_cut == sum(inv.sites[s].kind is SiteKind.school for s in sites)
        assert sum(got.by_district.values()) == len(sites)
        if element in inv.devices:
            if not element.startswith("s0-"):  # the data center is no site's path
                external |= sites - {inv.devices[element].site}
        elif element in inv.sites:
            if inv.sites[element].kind is not SiteKind.datacenter:
                upstream |= sites - {element}
            continue
        else:
            link = inv.links.get(element)
            if link is None or {link.a.site, link.b.site} != {"S0"}:
                external |= sites
            if element in isps:
                upstream |= sites
        if sites:
            expected_spofs.append((-len(sites), element, devices))
    assert [(-s.sites_cut, s.element, s.devices_cut) for s in t.spof()] == sorted(expected_spofs)
    assert t.unprotected_sites() == tuple(sorted(external))
    assert t.single_upstream_sites() == tuple(sorted(upstream))
    assert t.stats().unreachable_sites == len(inv.sites) - len(reference_up(inv)[0])


@settings(max_examples=100, deadline=None, database=None)
@given(networks(), st.data())
def test_302_paths_match_networkx(inv: Inventory, data: st.DataObject) -> None:
    t = Topology.build(inv)
    code = data.draw(st.sampled_from(sorted(inv.sites)))
    dc = {d for d in inv.devices if d.startswith("s0-")}
    assert t.path_to_datacenter(code, limit=10_000) == reference_paths(inv, border(inv, code), dc)
    a, b = data.draw(st.lists(st.sampled_from(sorted(inv.devices)), min_size=2, max_size=2))
    full = t.paths(a, b, limit=10_000)
    assert full == reference_paths(inv, {a}, {b})
    assert t.paths(a, b, limit=3) == full[:3]


# --- 4xx: a city from the loader ----------------------------------------------------------------


def test_401_small_city_matches_reference(small: Inventory) -> None:
    """The loader's small city: every site reaches the DC, every failure matches the BFS."""
    t = topology_of(small)
    assert t.stats().unreachable_sites == 0
    for code in small.sites:
        assert t.path_to_datacenter(code), code
    isps = sorted({isp_of(small, lid) for lid, link in small.links.items() if link.to_internet})
    for element in [*small.links, *small.devices, *small.sites, *isps]:
        sites, devices = reference_impact(small, element)
        got = t.impact(element)
        assert (got.sites_cut, got.devices_cut) == (tuple(sorted(sites)), devices), element
    for office in (s for s in small.sites.values() if s.kind is SiteKind.district_office):
        only_there = {s.code for s in small.schools() if s.uplinks and s.upstream == (office.code,)}
        only_there -= {s.code for s in small.schools() if len(s.uplinks) > 1}
        assert only_there <= set(t.impact(office.code).sites_cut)
