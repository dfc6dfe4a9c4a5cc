"""The network as a graph: paths, neighbourhoods, and what a failure cuts off.

Nodes are device names, plus one node per ISP cloud (``isp:<ISP name>``) on the far
side of Internet links. Edges are the inventory's links, parallel links kept apart
(each is its own edge, keyed by link id). Every device of the data-center site(s) hangs
from one virtual root by edges that cannot fail: "reaching the data center" means
reaching any of them.

Schools are *stub* sites: a path may start or end in a school but never pass through
one, so a school with both a MetroNet uplink to its district office and an FTTH line to
an ISP keeps itself up when either fails, and never carries its district office's
traffic. The Department, the data center, district offices and ISP clouds are transit
(ISP clouds are not joined to each other). Paths, impact and SPOFs follow this rule;
neighbourhoods are plain graph distance.

An ISP fails whole: ``impact("isp:VNPT")`` takes down its cloud and every link whose
``isp`` is VNPT (MetroNet uplinks included), so a school is cut unless another ISP (or a
link with no ISP) still carries it.

A site is *cut* when it reached the data center before a failure and none of its
devices does after it; a failed site counts itself. Inside a site, devices are counted
one by one (a failed switch cuts the access points behind it). Unknown names raise
:class:`TopologyError` (a ``KeyError``) naming the closest known ones.

    topo = topology_of(inv)
    topo.impact("pgd-q1-rt1").schools_cut
    topo.spof(min_sites=2)[:10]
    topo.paths("TH-NGUYEN-DU", "DC")
"""

from __future__ import annotations

import weakref

from edunet.model import Inventory
from edunet.topology.graph import Topology
from edunet.topology.results import (
    ElementKind,
    Impact,
    Path,
    Spof,
    TopologyError,
    TopologyStats,
)
from edunet.topology.structure import ISP_PREFIX, isp_node

__all__ = [
    "ISP_PREFIX",
    "ElementKind",
    "Impact",
    "Path",
    "Spof",
    "Topology",
    "TopologyError",
    "TopologyStats",
    "isp_node",
    "topology_of",
]

# id(inventory) -> (weak reference to it, its topology). An Inventory compares by value
# and holds dicts, so it cannot be a dictionary key; the weak reference both checks
# that the id still names the same object and drops the entry when it is collected.
_CACHE: dict[int, tuple[weakref.ref[Inventory], Topology]] = {}


def topology_of(inv: Inventory) -> Topology:
    """The topology of ``inv``, built once per inventory object."""
    key = id(inv)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is inv:
        return hit[1]
    topo = Topology.build(inv)

    def forget(ref: weakref.ref[Inventory]) -> None:
        entry = _CACHE.get(key)
        if entry is not None and entry[0] is ref:
            del _CACHE[key]

    _CACHE[key] = (weakref.ref(inv, forget), topo)
    return topo
