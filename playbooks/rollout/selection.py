"""Which devices a run touches: ``--limit`` resolved against the model, grouped by site.

A limit is a list of terms separated by ``,`` or ``:`` as in Ansible host patterns; a term
starting with ``&`` intersects, one starting with ``!`` excludes, the others are joined.
A term is

- ``district=q1`` (slug, code or name), ``site=79760012`` (code or name), ``level=thcs``,
  ``role=access_switch``, ``platform=cisco_ios``, ``kind=school`` (values may be globs);
- a group of the Ansible inventory (``district_q1``, ``site_79760012``, ``level_thcs``,
  ``role_access_switch``, ``platform_cisco_ios``, ``network``, ``all`` …);
- a device name, a glob over device names (``*-sw1``) or ``~regex``.

The result is an explicit host list: Ansible gets exactly the hosts planned into a wave.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from edunet.model import Device, Inventory, SiteKind
from playbooks.ansible_inventory import build, group_hosts, group_name
from playbooks.rollout.waves import SiteHosts

__all__ = ["KEYS", "Selection", "SelectionError", "select", "sites_in_order"]

KEYS = ("district", "site", "level", "role", "platform", "kind")

# Riskier sites go last: the department and the data center carry everyone's traffic.
KIND_ORDER = (SiteKind.school, SiteKind.district_office, SiteKind.department, SiteKind.datacenter)


class SelectionError(ValueError):
    """A limit term that matches nothing, or one that cannot be read."""


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


def _folded(text: str) -> str:
    return text.strip().lower()


def _key_matches(inv: Inventory, device: Device, key: str, pattern: str) -> bool:
    site = inv.sites[device.site]
    district = inv.districts[device.district]
    candidates: Iterable[str]
    if key == "district":
        candidates = (district.slug, district.code, district.name, group_name("", district.slug))
    elif key == "site":
        candidates = (site.code, site.name)
    elif key == "level":
        candidates = (site.level.value,) if site.level is not None else ()
    elif key == "role":
        candidates = (device.role.value,)
    elif key == "platform":
        candidates = (device.platform.name,)
    else:
        candidates = (site.kind.value,)
    want = _folded(pattern)
    return any(fnmatch.fnmatchcase(_folded(c).strip("_"), want) for c in candidates)


def _term_hosts(inv: Inventory, groups: Mapping[str, set[str]], term: str) -> set[str]:
    key, sep, value = term.partition("=")
    if sep:
        key = key.strip().lower()
        if key not in KEYS:
            raise SelectionError(f"limit {term!r}: use one of {', '.join(KEYS)} before '='")
        return {d.name for d in inv.devices.values() if _key_matches(inv, d, key, value)}
    if term in groups:
        return set(groups[term])
    if term in inv.devices:
        return {term}
    if term.startswith("~"):
        try:
            rx = re.compile(term[1:])
        except re.error as e:
            raise SelectionError(f"limit {term!r}: {e}") from None
        return {n for n in inv.devices if rx.search(n)}
    if any(c in term for c in "*?["):
        return {n for n in inv.devices if fnmatch.fnmatchcase(n, term)}
    return set()


def _split(limits: Sequence[str]) -> list[str]:
    terms: list[str] = []
    for limit in limits:
        terms += [t.strip() for t in re.split(r"[,:]", limit) if t.strip()]
    return terms


def select(inv: Inventory, limits: Sequence[str] = ()) -> Selection:
    """The devices a list of ``--limit`` values names (every device when empty)."""
    groups = _groups(inv)
    include: set[str] = set()
    narrow: list[set[str]] = []
    exclude: set[str] = set()
    positive = False
    for term in _split(limits):
        op, body = (term[0], term[1:]) if term[0] in "&!" else ("", term)
        hosts = _term_hosts(inv, groups, body)
        if not hosts:
            raise SelectionError(f"limit {term!r} matches no device")
        if op == "&":
            narrow.append(hosts)
        elif op == "!":
            exclude |= hosts
        else:
            positive = True
            include |= hosts
    chosen = include if positive else set(inv.devices)
    for hosts in narrow:
        chosen &= hosts
    chosen -= exclude
    ordered = tuple(n for n in inv.devices if n in chosen)
    return Selection(ordered, sites_in_order(inv, ordered))


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
