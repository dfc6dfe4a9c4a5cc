"""Topology: paths, neighbourhoods, failure impact and single points of failure.

Each numbered case draws its network: ``[X]`` is a site (its one router is ``x-rt``
unless devices are shown), ``(isp:N)`` an ISP cloud, and the label on a line is the
link id. ``==`` marks parallel links. Sites are schools unless marked otherwise; a
school is a stub site, which no path passes through.
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
    # A is a school: it carries neither B's traffic nor the PGD's
    assert cut(t, "dc-viettel") == (("B",), 300, 1)
    assert cut(t, "pgd-up") == (("PGD",), 0, 1)
    assert [(s.element, s.kind, s.sites_cut) for s in t.spof()] == [
        ("dc-rt", "device", 4),
        ("a-rt", "device", 1),
        ("b-ftth", "link", 1),
        ("b-rt", "device", 1),
        ("dc-viettel", "link", 1),
        ("isp:Viettel", "site", 1),
        ("pgd-rt", "device", 1),
        ("pgd-up", "link", 1),
    ]
    assert t.stats().isp_clouds == 1
    assert t.unprotected_sites() == ("B", "PGD")
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
    assert cut(t, "pgd-up") == (("PGD",), 0, 1)  # B's LAN is no way round for the PGD
    assert t.unprotected_sites() == ("PGD", "SO")  # B itself has two ways out


def test_108_sites_in_pieces() -> None:
    """
    [C: c-rt1] --c-up1--> [PGD] --pgd-up--> [DC]     C: a district office, no LAN
    [C: c-rt2] --c-up2--> [SO]  --so-up---> [DC]        between c-rt1 and c-rt2
    [D] --d-up--> c-rt2
    [E: e-rt1] --e-up1--> [PGD]                      E: a school, no LAN between
    [E: e-rt2] --e-up2--> [SO]                          e-rt1 and e-rt2
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("PGD", kind="pgd")
        .site("C", "c-rt1", "c-rt2", kind="pgd")
        .site("D", pupils=200)
        .site("E", "e-rt1", "e-rt2", pupils=100)
        .up("c-rt1", "PGD", "c-up1")
        .up("c-rt2", "SO", "c-up2")
        .up("D", "c-rt2", "d-up")
        .up("e-rt1", "PGD", "e-up1")
        .up("e-rt2", "SO", "e-up2")
        .up("PGD", "DC", "pgd-up")
        .up("SO", "DC", "so-up")
    )
    t = topo(net)
    assert cut(t, "C") == (("C", "D"), 200, 3)
    assert cut(t, "c-rt2") == (("D",), 200, 2)  # C still reaches the DC through c-rt1
    assert cut(t, "so-up") == (("D", "SO"), 200, 4)  # E is up through e-rt1
    # c-rt1 and e-rt1 are cut off, but C and E are up through their other routers
    assert cut(t, "PGD") == (("PGD",), 0, 3)
    assert cut(t, "e-rt1") == ((), 0, 1)
    assert cut(t, "E") == (("E",), 100, 2)
    assert t.single_upstream_sites() == ("D",)


def test_109_dual_uplink_school_protects_only_itself() -> None:
    """
    The small city's situation: B has MetroNet to its district office and FTTH to an ISP.

    [A] --a-up--> [PGD] --pgd-up--> [SO] --so-up--> [DC] --dc-viettel--> (isp:Viettel)
    [B] --b-metro--> [PGD]
    [B] --b-ftth--> (isp:Viettel)
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("PGD", kind="pgd")
        .site("A", pupils=1450)
        .site("B", pupils=980)
        .up("A", "PGD", "a-up")
        .up("B", "PGD", "b-metro")
        .internet("B", "Viettel", "b-ftth")
        .up("PGD", "SO", "pgd-up")
        .up("SO", "DC", "so-up")
        .internet("DC", "Viettel", "dc-viettel")
    )
    t = topo(net)
    # the PGD does not reach the DC through B's FTTH line: SO's router cuts it, and A
    assert cut(t, "so-rt") == (("A", "PGD", "SO"), 1450, 3)
    assert cut(t, "so-up") == (("A", "PGD", "SO"), 1450, 3)
    assert cut(t, "pgd-up") == (("A", "PGD"), 1450, 2)
    assert cut(t, "PGD") == (("A", "PGD"), 1450, 2)
    # B survives each of those over its own FTTH line, and its FTTH line's loss
    for element in ("b-ftth", "b-metro", "isp:Viettel", "dc-viettel"):
        assert cut(t, element) == ((), 0, 0), element
    assert cut(t, "b-rt") == (("B",), 980, 1)
    assert hops(t.path_to_datacenter("PGD")) == [
        (("pgd-rt", "so-rt", "dc-rt"), ("pgd-up", "so-up"))
    ]
    assert hops(t.path_to_datacenter("B")) == [
        (("b-rt", "isp:Viettel", "dc-rt"), ("b-ftth", "dc-viettel"))
    ]
    assert [(s.element, s.sites_cut) for s in t.spof(min_sites=2)] == [
        ("dc-rt", 5),
        ("so-rt", 3),
        ("so-up", 3),
        ("pgd-rt", 2),
        ("pgd-up", 2),
    ]
    assert t.unprotected_sites() == ("A", "PGD", "SO")
    assert t.single_upstream_sites() == ("A", "PGD")


def test_110_school_between_two_district_offices() -> None:
    """
    [P1] --p1-up--> [DC] <--p2-up-- [P2]     P1, P2: district offices
      ^                               ^
      +--a-up1-- [A] ------a-up2------+
    [B] --b-up--> [P2]
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("P1", kind="pgd")
        .site("P2", kind="pgd")
        .site("A", pupils=500)
        .site("B", pupils=300)
        .up("A", "P1", "a-up1")
        .up("A", "P2", "a-up2")
        .up("B", "P2", "b-up")
        .up("P1", "DC", "p1-up")
        .up("P2", "DC", "p2-up")
    )
    t = topo(net)
    # A does not carry traffic between the district offices
    assert cut(t, "p2-up") == (("B", "P2"), 300, 2)
    assert cut(t, "p1-up") == (("P1",), 0, 1)
    assert cut(t, "P2") == (("B", "P2"), 300, 2)
    # ... but keeps itself up through either of them
    assert cut(t, "P1") == (("P1",), 0, 1)
    assert cut(t, "a-up2") == ((), 0, 0)
    assert hops(t.paths("P1", "P2")) == [(("p1-rt", "dc-rt", "p2-rt"), ("p1-up", "p2-up"))]
    assert hops(t.paths("A", "P2")) == [(("a-rt", "p2-rt"), ("a-up2",))]  # A is an end
    assert t.neighbours("p1-rt", hops=2)["p2-rt"] == 2  # plain graph distance
    assert t.site_neighbours("P1", hops=2)["P2"] == 2
    s = t.stats()
    assert (s.bridges, s.articulation_points) == (3, 2)  # p1-up, p2-up, b-up; dc-rt, p2-rt
    assert t.unprotected_sites() == ("B", "P1", "P2")
    assert t.single_upstream_sites() == ("B",)


def test_111_no_shortcut_through_a_school() -> None:
    """
    [P1] --p1-so--> [SO] --so-dc--> [DC] <--p2-dc-- [P2]     P1, P2: district offices
      ^                                               ^
      +--a-up1-- [A] ------------a-up2----------------+
    [B] --b-up--> [P2]
    [C] --c-up--> [A]               C hangs off another school only
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("P1", kind="pgd")
        .site("P2", kind="pgd")
        .site("A", pupils=500)
        .site("B", pupils=300)
        .site("C", pupils=100)
        .up("A", "P1", "a-up1")
        .up("A", "P2", "a-up2")
        .up("B", "P2", "b-up")
        .up("C", "A", "c-up")
        .up("P1", "SO", "p1-so")
        .up("SO", "DC", "so-dc")
        .up("P2", "DC", "p2-dc")
    )
    t = topo(net)
    # two hops through A would be shorter, but A is no transit
    assert hops(t.paths("P1", "P2")) == [
        (("p1-rt", "so-rt", "dc-rt", "p2-rt"), ("p1-so", "so-dc", "p2-dc"))
    ]
    assert hops(t.paths("b-rt", "P1")) == [
        (("b-rt", "p2-rt", "dc-rt", "so-rt", "p1-rt"), ("b-up", "p2-dc", "so-dc", "p1-so"))
    ]
    # a path may run inside its own end sites
    assert hops(t.paths("B", "A")) == [(("b-rt", "p2-rt", "a-rt"), ("b-up", "a-up2"))]
    assert hops(t.paths("C", "A")) == [(("c-rt", "a-rt"), ("c-up",))]
    assert hops(t.path_to_datacenter("A")) == [(("a-rt", "p2-rt", "dc-rt"), ("a-up2", "p2-dc"))]
    # C's only way out is through A: it never reaches the DC
    assert t.path_to_datacenter("C") == []
    assert t.paths("C", "P1") == []
    assert cut(t, "A") == (("A",), 500, 1)
    assert cut(t, "so-dc") == (("P1", "SO"), 0, 2)
    assert t.stats().unreachable_sites == 1


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


def school_of(inv: Inventory, node: str) -> str | None:
    """The school a device belongs to; None for other sites' devices and ISP clouds."""
    device = inv.devices.get(node)
    if device is None or inv.sites[device.site].kind is not SiteKind.school:
        return None
    return device.site


def reference_up(
    inv: Inventory, dead_nodes: Iterable[str] = (), dead_link: str | None = None
) -> tuple[set[str], set[str]]:
    """(sites, devices) that reach any data-center device, by BFS over what is left.

    Schools are stub sites: the BFS may enter a school's devices, but never leaves a
    school for a node of another site.
    """
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
        sites1, devices1 = reference_up(inv, dead_link=element)
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
    cloud, or to two district offices."""
    net = Net()
    names: list[str] = []
    sites: dict[str, tuple[str, tuple[str, ...]]] = {}  # code -> (kind, devices)
    isps = st.sampled_from(["VNPT", "Viettel"])
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
            net.link(name, other, f"t{i}", "lan" if same else "uplink")
    if draw(st.booleans()):
        net.internet("S0", draw(isps), "dc-isp")
    offices = [code for code, (kind, _) in sites.items() if kind == "pgd"]
    for code, (kind, devices) in sites.items():
        if kind != "school" or not offices:
            continue
        way = draw(st.sampled_from(["none", "office+isp", "two offices"]))
        if way == "office+isp":
            net.up(draw(st.sampled_from(devices)), draw(st.sampled_from(offices)), f"{code}-m")
            net.internet(draw(st.sampled_from(devices)), draw(isps), f"{code}-ftth")
        elif way == "two offices" and len(offices) > 1:
            pair = draw(st.lists(st.sampled_from(offices), min_size=2, max_size=2, unique=True))
            for n, office in enumerate(pair, 1):
                net.up(draw(st.sampled_from(devices)), office, f"{code}-up{n}")
    for i in range(draw(st.integers(0, 10))):
        a = draw(st.sampled_from(names))
        if draw(st.integers(0, 4)) == 0:
            net.internet(a, draw(isps), f"x{i}")
        else:
            net.link(a, draw(st.sampled_from(names)), f"x{i}")
    return net.inv()


@settings(
    max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
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


@settings(max_examples=200, deadline=None, database=None)
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


def test_402_small_city_school_is_no_transit(small: Inventory) -> None:
    """79760031 has MetroNet to PGD-Q1 and FTTH via isp:Viettel; TTDL has a Viettel line.

    [79760012] --up1--> [PGD-Q1] --pgd-q1-up1--> [SO-GDDT] --so-gddt-up1--> [TTDL]
    [79760031] --up1--> [PGD-Q1]                                             [TTDL]
    [79760031] --up2--> (isp:Viettel) <----------------ttdl-up2------------- [TTDL]
    """
    t = topology_of(small)
    # PGD-Q1 does not reach TTDL through 79760031's FTTH line
    rt = t.impact("so-gddt-rt1")
    assert rt.sites_cut == ("79760012", "PGD-Q1", "SO-GDDT")
    assert (rt.schools_cut, rt.pupils_cut, rt.devices_cut) == (1, 1450, 8)  # so-gddt-sw1 too
    assert "so-gddt-rt1" in [s.element for s in t.spof(min_sites=2)]
    assert t.impact("PGD-Q1").sites_cut == ("79760012", "PGD-Q1")
    assert t.impact("isp:Viettel").sites_cut == ()  # 79760031 keeps its MetroNet uplink
    assert [str(p) for p in t.path_to_datacenter("PGD-Q1")] == [
        "pgd-q1-rt1 -(pgd-q1-up1)- so-gddt-rt1 -(so-gddt-up1)- ttdl-rt1"
    ]
    assert [str(p) for p in t.path_to_datacenter("79760031")] == [
        "79760031-rt1 -(79760031-up2)- isp:Viettel -(ttdl-up2)- ttdl-rt1"
    ]
