"""A reorganisation planned on the resolved inventory: which units are added, changed and
removed, and which sites move to which unit, each keeping its IP-plan area."""

from __future__ import annotations

from dataclasses import dataclass, field

from edunet.model import Inventory
from edunet.reorganise.mapping import Mapping, MappingError, UnitSpec
from edunet.select import lookup
from edunet.select.names import NotFound

__all__ = ["Plan", "SiteMove", "plan"]

UNIT_FIELDS = ("code", "number", "name", "kind", "slug", "parent")


@dataclass(frozen=True, slots=True)
class SiteMove:
    site: str
    old: str  # unit codes
    new: str
    area: int | None  # the area to pin (the site's own), None when the new unit's number is it


@dataclass
class Plan:
    added: dict[str, dict[str, object]] = field(default_factory=dict)  # code → fields
    changed: dict[str, dict[str, tuple[object, object]]] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)  # removed unit → the unit it went to
    moves: dict[str, SiteMove] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.moves)


def _unit(inv: Inventory, text: str, new: dict[str, dict[str, object]]) -> str:
    if text in new or text in inv.districts:
        return text
    try:
        return lookup(inv, "district", text)
    except NotFound as e:
        raise MappingError(str(e)) from None


def _declare(inv: Inventory, p: Plan, spec: UnitSpec) -> None:
    given = {k: getattr(spec, k) for k in UNIT_FIELDS if getattr(spec, k) is not None}
    given = {k: (v.value if hasattr(v, "value") else v) for k, v in given.items()}
    old = inv.districts.get(spec.code)
    if old is None:
        missing = [k for k in ("name", "kind", "slug") if k not in given]
        if spec.code in p.added:
            p.added[spec.code].update(given)
            return
        if missing:
            raise MappingError(
                f"unit {spec.code} is new: give its {', '.join(missing)} "
                f"(kind: quan, huyen, thanh_pho, phuong, xa or dac_khu)"
            )
        p.added[spec.code] = given
        return
    if "number" in given and given["number"] != old.number:
        raise MappingError(
            f"unit {spec.code}: its number (IP-plan area {old.number}) never changes; "
            "leave 'number' out"
        )
    now = {k: getattr(old, k) for k in UNIT_FIELDS}
    now = {k: (v.value if hasattr(v, "value") else v) for k, v in now.items()}
    diff = {k: (now[k], v) for k, v in given.items() if now[k] != v}
    if diff:
        p.changed.setdefault(spec.code, {}).update(diff)


def _number(inv: Inventory, p: Plan, code: str) -> int | None:
    if code in p.added:
        n = p.added[code].get("number")
        return n if isinstance(n, int) else None
    return inv.districts[code].number


def _move(inv: Inventory, p: Plan, site: str, to: str) -> None:
    s = inv.sites[site]
    if s.district == to:
        p.moves.pop(site, None)
        return
    # core sites are in area 0 by 'core: true'; the others keep theirs, pinned if need be
    keep = s.area != 0 and s.area != _number(inv, p, to)
    p.moves[site] = SiteMove(site, s.district, to, s.area if keep else None)


def plan(inv: Inventory, mapping: Mapping) -> Plan:
    """The reorganisation ``mapping`` asks for, checked against ``inv``; raises
    :class:`MappingError` naming what is unknown or impossible."""
    p = Plan()
    for spec in mapping.units:
        _declare(inv, p, spec)
    for merge in mapping.merge:
        _declare(inv, p, merge.into)
        target = merge.into.code
        for text in merge.units:
            code = _unit(inv, text, p.added)
            if code == target:
                continue
            if code not in inv.districts:
                raise MappingError(f"unit {text}: only units of the inventory can be merged")
            p.removed[code] = target
            for s in inv.sites.values():
                if s.district == code:
                    _move(inv, p, s.code, target)
            for other in inv.districts.values():  # its wards now belong to the new unit
                if other.parent == code and other.code not in p.removed:
                    p.changed.setdefault(other.code, {})["parent"] = (code, target)
    for move in mapping.move:
        to = _unit(inv, move.to, p.added)
        if to in p.removed:
            raise MappingError(f"unit {move.to} is merged into {p.removed[to]}: move there")
        for text in move.sites:
            try:
                site = lookup(inv, "site", text)
            except NotFound as e:
                raise MappingError(str(e)) from None
            _move(inv, p, site, to)
    for code in p.removed:
        p.changed.pop(code, None)
    return p
