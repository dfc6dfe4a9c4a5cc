"""The IP plan's building blocks."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from edunet.ipam import IpPlan, PoolExhausted, vlan_slices
from edunet.schema import DeviceRole
from edunet.schema import IpPlan as PlanInput

PLAN = PlanInput(
    management=IPv4Network("10.32.0.0/11"),
    sites=IPv4Network("10.128.0.0/9"),
    loopbacks=IPv4Network("10.16.0.0/15"),
    p2p=IPv4Network("10.20.0.0/14"),
)
SLICES = vlan_slices([("staff", 26), ("lab", 26), ("wifi", 26), ("cameras", 27)], 24)


def test_slices_are_aligned_and_in_catalogue_order() -> None:
    assert [(s.offset, s.prefix_length) for s in SLICES.values()] == [
        (0, 26),
        (64, 26),
        (128, 26),
        (192, 27),
    ]


def test_appending_a_vlan_type_never_moves_the_others() -> None:
    more = vlan_slices(
        [("staff", 26), ("lab", 26), ("wifi", 26), ("cameras", 27), ("voip", 28)], 24
    )
    assert {k: more[k] for k in SLICES} == SLICES


def test_catalogue_too_big_for_the_block() -> None:
    with pytest.raises(PoolExhausted, match="does not fit"):
        vlan_slices([("a", 25), ("b", 25), ("c", 28)], 24)


def test_site_prefixes_depend_only_on_area_and_slot() -> None:
    plan = IpPlan(PLAN, SLICES)
    assert plan.site_management(1, 12) == IPv4Network("10.33.3.0/26")
    assert plan.vlan_prefix(1, 12, "lab") == IPv4Network("10.132.12.64/26")
    assert plan.vlan_prefix(24, 999, "cameras") == IPv4Network("10.227.231.192/27")
    assert plan.uplink_p2p(1, 12, 1) == IPv4Network("10.20.32.98/31")
    assert plan.loopback(0, 2, 1) == IPv4Address("10.16.0.9")


def test_exhaustion_names_the_pool() -> None:
    plan = IpPlan(PLAN, SLICES)
    with pytest.raises(PoolExhausted, match="sites pool of area 1"):
        plan.site_block(1, 1024)
    with pytest.raises(PoolExhausted, match="management pool"):
        plan.area_management(32)


def test_management_hosts_by_role() -> None:
    plan = IpPlan(PLAN, SLICES)
    net = IPv4Network("10.33.3.0/26")
    assert plan.management_host(net, DeviceRole.firewall, 0, gateway=True) == IPv4Address(
        "10.33.3.1"
    )
    assert plan.management_host(net, DeviceRole.router, 0, gateway=False) == IPv4Address(
        "10.33.3.2"
    )
    assert plan.management_host(net, DeviceRole.access_switch, 15, False) == IPv4Address(
        "10.33.3.24"
    )
    with pytest.raises(PoolExhausted, match="room for 16 access_switch"):
        plan.management_host(net, DeviceRole.access_switch, 16, False)


def test_core_p2p_is_stable_and_unique() -> None:
    plan = IpPlan(PLAN, SLICES)
    a = plan.core_p2p("so-ttdl-dark-fibre", set())
    assert a == plan.core_p2p("so-ttdl-dark-fibre", set())
    taken: set[int] = set()
    nets = {plan.core_p2p(f"link-{i}", taken) for i in range(200)}
    assert len(nets) == 200
