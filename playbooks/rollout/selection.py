"""Which devices a run touches: ``--limit`` resolved against the model, grouped by site.

A limit is the core's selection language (``edunet.select``: ``district=q1&level=thcs``,
``site=``, ``level=``, ``role=``, ``platform=``, ``kind=``, device names, globs and ``~regex``;
``,`` joins, ``&`` intersects, ``!`` excludes) with two Ansible spellings added: ``:`` joins
as ``,`` does, and a term may name a group of the Ansible inventory (``district_q1``,
``site_79760012``, ``level_thcs``, ``role_access_switch``, ``platform_cisco_ios``, ``network``,
``all`` …).

The result is an explicit host list: Ansible gets exactly the hosts planned into a wave.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from edunet import select as core
from edunet.model import Inventory, SiteKind
from edunet.select import SelectionError
from playbooks.ansible_inventory import build, group_hosts
from playbooks.rollout.waves import SiteHosts

__all__ = ["KEYS", "Selection", "SelectionError", "select", "sites_in_order"]

KEYS = core.KEYS

# Riskier sites go last: the department and the data center carry everyone's traffic.
KIND_ORDER = (SiteKind.school, SiteKind.district_office, SiteKind.department, SiteKind.datacenter)


@dataclass(frozen=True, slots=True)
class Selection:
    hosts: tuple[str, ...]  # inventory order
    sites: tuple[SiteHosts, ...]  # see sites_in_order


def _groups(inv: Inventory) -> dict[str, set[str]]:
    """Every group of the Ansible inventory with its devices, children expanded. Only
    devices: the data center's VMs are Ansible hosts too, but a rollout selects devices."""
    devices = set(inv.devices)
    out = {name: hosts & devices for name, hosts in group_hosts(build(inv, lambda a: a)).items()}
    out["all"] = devices
    return out


def select(inv: Inventory, limits: Sequence[str] = ()) -> Selection:
    """The devices a list of ``--limit`` values names (every device when empty)."""
    # Ansible joins host patterns with ':' as well as ','
    query = core.parse([limit.replace(":", ",") for limit in limits])
    hosts = core.select(inv, query, _groups(inv)).devices if query.terms else tuple(inv.devices)
    return Selection(hosts, sites_in_order(inv, hosts))


def sites_in_order(inv: Inventory, hosts: Iterable[str]) -> tuple[SiteHosts, ...]:
    """Hosts grouped by site: schools first, then district offices, the department and the
    data center last; inside a kind, inventory order."""
    wanted = set(hosts)
    by_kind = {kind: i for i, kind in enumerate(KIND_ORDER)}
    sites = sorted(
        (s for s in inv.sites.values()), key=lambda s: by_kind.get(s.kind, len(KIND_ORDER))
    )
    out = []
    for site in sites:
        chosen = tuple(d for d in site.devices if d in wanted)
        if chosen:
            out.append(SiteHosts(site.code, chosen, by_kind.get(site.kind, len(KIND_ORDER))))
    return tuple(out)
