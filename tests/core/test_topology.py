"""Topology: paths, neighbourhoods, failure impact and single points of failure.

Each numbered case draws its network: ``[X]`` is a site (its one router is ``x-rt``
unless devices are shown), ``(isp:N)`` an ISP cloud, and the label on a line is the
link id. ``==`` marks parallel links. Sites are schools unless marked otherwise; a
school is a stub site, which no path passes through.
"""

from __future__ import annotations

from topology_builder import Net, chain, cut, hops, topo

from edunet.topology import Path, Spof

# --- 1xx: drawn networks -------------------------------------------------------------------


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
    assert (isp.kind, isp.sites_cut, isp.pupils_cut, isp.devices_cut) == ("isp", ("B",), 300, 1)
    # A is a school: it carries neither B's traffic nor the PGD's
    assert cut(t, "dc-viettel") == (("B",), 300, 1)
    assert cut(t, "pgd-up") == (("PGD",), 0, 1)
    assert [(s.element, s.kind, s.sites_cut) for s in t.spof()] == [
        ("dc-rt", "device", 4),
        ("a-rt", "device", 1),
        ("b-ftth", "link", 1),
        ("b-rt", "device", 1),
        ("dc-viettel", "link", 1),
        ("isp:Viettel", "isp", 1),
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


def test_112_an_isp_down_takes_the_uplinks_it_carries() -> None:
    """
    [A] --a-up (VNPT MetroNet)--> [PGD] --pgd-up--> [DC]
    [B] --b-up (VNPT MetroNet)--> [PGD]
    [B] --b-ftth (FTTH)--> (isp:Viettel) <--dc-viettel-- [DC]
    [C] --c-up (no ISP named)--> [PGD]
    VNPT has no Internet cloud here: it only carries uplinks, and still cuts A.
    """
    net = (
        Net()
        .site("DC", kind="dc")
        .site("PGD", kind="pgd")
        .site("A", pupils=600)
        .site("B", pupils=300)
        .site("C", pupils=100)
        .up("A", "PGD", "a-up", isp="VNPT")
        .up("B", "PGD", "b-up", isp="VNPT")
        .up("C", "PGD", "c-up")
        .up("PGD", "DC", "pgd-up")
        .internet("B", "Viettel", "b-ftth")
        .internet("DC", "Viettel", "dc-viettel")
    )
    t = topo(net)
    vnpt = t.impact("isp:VNPT")
    assert (vnpt.kind, vnpt.sites_cut, vnpt.pupils_cut, vnpt.devices_cut) == ("isp", ("A",), 600, 1)
    assert t.impact("isp:vnpt").element == "isp:VNPT"  # spelt as the inventory spells it
    viettel = t.impact("isp:Viettel")
    assert (viettel.kind, viettel.sites_cut) == ("isp", ())  # B falls back to VNPT
    assert [(s.element, s.kind) for s in t.spof() if s.element.startswith("isp:")] == [
        ("isp:VNPT", "isp")
    ]
    assert "A" in t.single_upstream_sites()
