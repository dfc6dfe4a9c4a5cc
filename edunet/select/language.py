"""The selection language: which devices ``district=q1&level=thcs`` means.

A selection is terms joined by ``,`` (either side), ``&`` (both sides) and ``!`` (not);
repeated selections (``-l a -l b``) are joined like ``a,b``. As in Ansible's host patterns,
``&`` and ``!`` apply to the whole selection wherever they are written: the joined terms (or
every device when there are none), narrowed by each ``&`` term, less each ``!`` term.

A term is ``key=value`` for a key of :data:`KEYS`, or a device name, a glob over device names
(``*-sw1``) or ``~regex``; a caller may add named groups of its own (the rollout adds the
Ansible inventory's). Values and names compare case-insensitively and without diacritics and
may be globs; a value that names nothing, or a term that matches no device, is an error with
"did you mean", never an empty selection.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass
from typing import Literal

from edunet.model import Device, Inventory
from edunet.platforms import PLATFORMS
from edunet.schema import DeviceRole, SchoolLevel, SiteKind
from edunet.select.lookups import Spellings, lookup, resolve, spellings
from edunet.select.names import NotFound, did_you_mean, fold, fold_glob

__all__ = [
    "KEYS",
    "Query",
    "Selected",
    "SelectionError",
    "Term",
    "devices_of",
    "parse",
    "select",
    "values_of",
]

KEYS = ("district", "site", "level", "role", "platform", "kind")
GLOB = frozenset("*?[")

Op = Literal["+", "&", "!"]  # join, narrow, exclude


class SelectionError(ValueError):
    """A selection that cannot be read, or a term that names or matches nothing."""


@dataclass(frozen=True, slots=True)
class Term:
    op: Op
    key: str | None  # None: a device name, a glob, ~regex or a caller's group
    value: str

    def __str__(self) -> str:
        sign = "" if self.op == "+" else self.op
        return f"{sign}{self.key}={self.value}" if self.key else f"{sign}{self.value}"


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed selection; the empty one selects every device."""

    terms: tuple[Term, ...] = ()

    def __str__(self) -> str:
        # "a,b&c!d": a join needs its comma, "&" and "!" stand for one
        return "".join(
            ("," if t.op == "+" and i else "") + str(t) for i, t in enumerate(self.terms)
        )


@dataclass(frozen=True, slots=True)
class Selected:
    devices: tuple[str, ...]  # device names, inventory order
    sites: tuple[str, ...]  # codes of the sites of those devices, inventory order


def parse(text: str | Iterable[str]) -> Query:
    """A selection as terms; :class:`SelectionError` for a key or an operator the language
    does not know. Values are checked against an inventory by :func:`select`."""
    pieces = [text] if isinstance(text, str) else list(text)
    terms: list[Term] = []
    for piece in (p for whole in pieces for p in whole.split(",")):
        ops = ""
        for part in re.split(r"([&!])", piece):
            if part in ("&", "!"):
                ops += part
            elif part.strip():
                terms.append(_term(piece, ops, part.strip()))
                ops = ""
        if ops:
            raise SelectionError(f"{piece.strip()!r}: nothing after {ops[-1]!r}")
    return Query(tuple(terms))


def _term(piece: str, ops: str, body: str) -> Term:
    if ops not in ("", "&", "!", "&!"):
        raise SelectionError(f"{piece.strip()!r}: {ops!r} is no operator; write '&' or '!'")
    op: Op = "!" if "!" in ops else "&" if ops else "+"
    key, sep, value = body.partition("=")
    if not sep:
        return Term(op, None, body)
    key = key.strip().lower()
    if key not in KEYS:
        hint = did_you_mean(key, KEYS) or f"; use one of {', '.join(KEYS)}"
        raise SelectionError(f"{body!r}: the selection has no key {key!r}{hint}")
    if not value.strip():
        raise SelectionError(f"{body!r}: no value after '='")
    return Term(op, key, value.strip())


def select(
    inv: Inventory,
    query: Query | str | Iterable[str] = (),
    groups: Mapping[str, Set[str]] | None = None,
) -> Selected:
    """The devices a selection names, and their sites, in inventory order. ``groups``: named
    sets of device names a caller adds to the language (the rollout's Ansible groups)."""
    q = query if isinstance(query, Query) else parse(query)
    joined: set[str] = set()
    narrow: list[set[str]] = []
    exclude: set[str] = set()
    for term in q.terms:
        hosts = devices_of(inv, term, groups or {})
        if term.op == "&":
            narrow.append(hosts)
        elif term.op == "!":
            exclude |= hosts
        else:
            joined |= hosts
    chosen = joined if any(t.op == "+" for t in q.terms) else set(inv.devices)
    for hosts in narrow:
        chosen &= hosts
    chosen -= exclude
    sites = tuple(code for code, s in inv.sites.items() if any(d in chosen for d in s.devices))
    return Selected(tuple(n for n in inv.devices if n in chosen), sites)


def devices_of(inv: Inventory, term: Term, groups: Mapping[str, Set[str]]) -> set[str]:
    """The names of the devices one term matches; never empty (else :class:`SelectionError`)."""
    if term.key is None:
        hosts = _named(inv, term, groups)
    else:
        wanted = values_of(inv, term)
        value_of = _VALUE_OF[term.key]
        hosts = {d.name for d in inv.devices.values() if value_of(inv, d) in wanted}
    if not hosts:
        raise SelectionError(f"{str(term)!r} matches no device")
    return hosts


def _named(inv: Inventory, term: Term, groups: Mapping[str, Set[str]]) -> set[str]:
    name = term.value
    if name in groups:
        return set(groups[name])
    if name.startswith("~"):
        try:
            rx = re.compile(name[1:])
        except re.error as e:
            raise SelectionError(f"{str(term)!r}: {e}") from None
        return {n for n in inv.devices if rx.search(n)}
    if GLOB & set(name):
        want = fold_glob(name)
        return {n for n in inv.devices if fnmatch.fnmatchcase(fold(n), want)}
    try:
        return {lookup(inv, "device", name)}
    except NotFound as e:
        if e.kind != "device":  # one that names several
            raise SelectionError(f"{str(term)!r}: {e}") from None
        what = "device or group" if groups else "device"
        missing = NotFound(what, name, [*inv.devices, *groups])
        raise SelectionError(f"{str(term)!r}: {missing}") from None


# --- key=value -----------------------------------------------------------------------------


def _known(inv: Inventory, key: str) -> dict[str, Spellings]:
    """The values a key takes: the inventory's districts and sites, the model's enums."""
    if key in ("district", "site"):
        return spellings(inv, key)
    names: Iterable[str] = {
        "level": [v.value for v in SchoolLevel],
        "role": [v.value for v in DeviceRole],
        "kind": [v.value for v in SiteKind],
        "platform": [*PLATFORMS, *(d.platform.name for d in inv.devices.values())],
    }[key]
    return {v: Spellings((v,)) for v in names}


def values_of(inv: Inventory, term: Term) -> set[str]:
    """The keys (district codes, site codes, enum values) a ``key=value`` term's value names;
    never empty (else :class:`SelectionError`). The listing commands filter with it too."""
    if term.key is None:
        raise SelectionError(f"{str(term)!r}: no key")
    key, value = term.key, term.value
    known = _known(inv, key)
    if GLOB & set(value):
        want = fold_glob(value)
        hits = {
            k for k, s in known.items() if any(fnmatch.fnmatchcase(fold(x), want) for x in s.keys)
        }
        if not hits:
            choices = [x for s in known.values() for x in s.keys]
            raise SelectionError(f"{str(term)!r}: no {key} matches{did_you_mean(value, choices)}")
        return hits
    where = " in the inventory" if key in ("district", "site") else ""
    try:
        return {resolve(key, value, known, where)}
    except NotFound as e:
        raise SelectionError(f"{str(term)!r}: {e}") from None


def _level(inv: Inventory, d: Device) -> str | None:
    level = inv.sites[d.site].level
    return level.value if level is not None else None


_VALUE_OF: dict[str, Callable[[Inventory, Device], str | None]] = {
    "district": lambda inv, d: d.district,
    "site": lambda inv, d: d.site,
    "level": _level,
    "role": lambda inv, d: d.role.value,
    "platform": lambda inv, d: d.platform.name,
    "kind": lambda inv, d: inv.sites[d.site].kind.value,
}
