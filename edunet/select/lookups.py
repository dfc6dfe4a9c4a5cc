"""``lookup(inv, "site", "le ngoc han")``: one thing of the inventory by any of its spellings.

A key is tried, in turn: as the thing's key; against its other spellings (a district's
code, number, slug and name; a device's management address) exactly, case-insensitively and
without diacritics; then, for things with a name, as whole words of the name. The first step
that finds one thing wins; one that finds several is an error naming them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from edunet.model import Inventory
from edunet.select.names import NotFound, fold

__all__ = ["KINDS", "Spellings", "lookup", "resolve", "spellings"]


@dataclass(frozen=True, slots=True)
class Spellings:
    """How one thing may be named: ``keys`` match whole, ``names`` match by whole words too."""

    keys: tuple[str, ...]
    names: tuple[str, ...] = ()


def _districts(inv: Inventory) -> Iterator[tuple[str, Spellings]]:
    for d in inv.districts.values():
        number = () if d.number is None else (str(d.number),)
        yield d.code, Spellings((d.code, *number, d.slug, d.name), (d.name,))


def _sites(inv: Inventory) -> Iterator[tuple[str, Spellings]]:
    for s in inv.sites.values():
        yield s.code, Spellings((s.code, s.name), (s.name,))


def _devices(inv: Inventory) -> Iterator[tuple[str, Spellings]]:
    for d in inv.devices.values():
        yield d.name, Spellings((d.name, str(d.mgmt_ip)))


def _links(inv: Inventory) -> Iterator[tuple[str, Spellings]]:
    for lid in inv.links:
        yield lid, Spellings((lid,))


def _applications(inv: Inventory) -> Iterator[tuple[str, Spellings]]:
    for a in inv.applications.values():
        yield a.code, Spellings((a.code, a.name, a.name_en), (a.name, a.name_en))


def _vms(inv: Inventory) -> Iterator[tuple[str, Spellings]]:
    for name in inv.vms:
        yield name, Spellings((name,))


_TABLES: dict[str, Callable[[Inventory], Iterator[tuple[str, Spellings]]]] = {
    "district": _districts,
    "site": _sites,
    "device": _devices,
    "link": _links,
    "application": _applications,
    "vm": _vms,
}
KINDS = tuple(_TABLES)
_KEY = {"district": "code", "site": "code", "application": "code"}  # else "name"


_KEYS: dict[str, Callable[[Inventory], Mapping[str, object]]] = {
    "district": lambda inv: inv.districts,
    "site": lambda inv: inv.sites,
    "device": lambda inv: inv.devices,
    "link": lambda inv: inv.links,
    "application": lambda inv: inv.applications,
    "vm": lambda inv: inv.vms,
}


def spellings(inv: Inventory, kind: str) -> dict[str, Spellings]:
    """Every ``kind`` of the inventory by its key, with its spellings."""
    if kind not in _TABLES:
        raise NotFound("kind of thing", kind, KINDS, " edunet looks up")
    return dict(_TABLES[kind](inv))


def lookup(inv: Inventory, kind: str, key: str) -> str:
    """The key (district code, site code, device name, link id, application code, VM name)
    of the one ``kind`` that ``key`` names; else :class:`NotFound` with "did you mean"."""
    if kind in _KEYS and key in _KEYS[kind](inv):
        return key  # the common case costs one dict probe
    return resolve(kind, key, spellings(inv, kind))


def _one(kind: str, key: str, found: list[str], table: Mapping[str, Spellings]) -> str | None:
    unique = list(dict.fromkeys(found))
    if len(unique) == 1:
        return unique[0]
    if not unique:
        return None
    named = ", ".join(
        f"{k} ({table[k].names[0]})" if table[k].names and table[k].names[0] != k else k
        for k in unique[:5]
    )
    more = f" and {len(unique) - 5} more" if len(unique) > 5 else ""
    by = _KEY.get(kind, "name")
    message = f"{key!r} names {len(unique)} {kind}s: {named}{more}; give one's {by}"
    raise NotFound(kind, key, message=message)


def resolve(
    kind: str, key: str, table: Mapping[str, Spellings], where: str = " in the inventory"
) -> str:
    """:func:`lookup` over a table of spellings rather than an inventory."""
    if key in table:
        return key
    text = key.strip()
    folded = fold(text)
    steps: tuple[Callable[[Spellings], bool], ...] = (
        lambda s: text in s.keys,
        lambda s: any(k.casefold() == text.casefold() for k in s.keys),
        lambda s: any(fold(k) == folded for k in s.keys),
        lambda s: any(f" {folded} " in f" {fold(n)} " for n in s.names),
    )
    if folded:
        for matches in steps:
            found = _one(kind, key, [k for k, s in table.items() if matches(s)], table)
            if found is not None:
                return found
    raise NotFound(kind, key, [k for s in table.values() for k in s.keys], where)
