"""Topology checks beyond the drawn cases: names, caching, and every element of random
and sample cities against the reference implementations."""

from __future__ import annotations

import gc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from topology_builder import Net, chain, topo
from topology_reference import (
    border,
    isps_of,
    networks,
    reference_impact,
    reference_paths,
    reference_up,
)

from edunet.model import Inventory, SiteKind
from edunet.select import natural_key, naturally
from edunet.topology import Impact, Topology, TopologyError, topology_of

# --- 1xx: drawn networks -------------------------------------------------------------------


def test_201_unknown_names_suggest_close_ones() -> None:
    t = topo(chain())
    with pytest.raises(TopologyError) as err:
        t.impact("pgd-rt2")
    assert isinstance(err.value, KeyError)
    assert str(err.value).startswith("unknown device, site, ISP or link 'pgd-rt2'; did you mean")
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


@settings(
    max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(networks())
def test_301_impact_matches_reference_bfs(inv: Inventory) -> None:
    t = Topology.build(inv)
    isps = isps_of(inv)
    elements = [*inv.links, *inv.devices, *inv.sites, *isps]
    expected_spofs = []
    external: set[str] = set()  # sites cut by one link, or one device/ISP outside them
    upstream: set[str] = set()  # sites cut by one other site or ISP cloud
    for element in elements:
        sites, devices = reference_impact(inv, element)
        got = t.impact(element)
        assert got.sites_cut == tuple(naturally(sites)), element
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
        elif element in isps:
            # unprotected: its cloud alone is one element outside the site; single upstream:
            # the ISP whole, with every link it carries
            external |= reference_up(inv)[0] - reference_up(inv, [element])[0]
            upstream |= sites
        else:
            link = inv.links[element]
            if {link.a.site, link.b.site} != {"S0"}:
                external |= sites
        if sites:
            expected_spofs.append((-len(sites), element, devices))
    expected_spofs.sort(key=lambda x: (x[0], natural_key(x[1])))
    assert [(-s.sites_cut, s.element, s.devices_cut) for s in t.spof()] == expected_spofs
    assert t.unprotected_sites() == tuple(naturally(external))
    assert t.single_upstream_sites() == tuple(naturally(upstream))
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
    isps = isps_of(small)
    for element in [*small.links, *small.devices, *small.sites, *isps]:
        sites, devices = reference_impact(small, element)
        got = t.impact(element)
        assert (got.sites_cut, got.devices_cut) == (tuple(naturally(sites)), devices), element
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
