"""Entities added, removed and changed between two inventories, field by field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from edunet.diff.entities import KINDS, Fields, Kind, plain
from edunet.model import Inventory
from edunet.select import natural_key

Status = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any  # plain values (text, numbers, lists, None), as JSON holds them
    new: Any


@dataclass(frozen=True, slots=True)
class EntityChange:
    """One entity added, removed or changed. An added or removed one carries every field
    it has (``old`` or ``new`` None), a changed one only the fields that differ."""

    kind: str
    key: str
    status: Status
    fields: tuple[FieldChange, ...]


def _field_changes(old: Fields, new: Fields) -> tuple[FieldChange, ...]:
    names = list(old) + [f for f in new if f not in old]
    return tuple(
        FieldChange(f, plain(old.get(f)), plain(new.get(f)))
        for f in names
        if old.get(f) != new.get(f)
    )


def _compare(kind: Kind, old: Inventory, new: Inventory) -> list[EntityChange]:
    before, after = kind.section(old), kind.section(new)
    out: list[EntityChange] = []
    for key, item in before.items():
        other = after.get(key)
        if other is None:
            out.append(
                EntityChange(kind.name, key, "removed", _field_changes(kind.fields(item), {}))
            )
            continue
        if item == other:  # the common case, and cheaper than reading fields
            continue
        a, b = kind.fields(item), kind.fields(other)
        if a != b:
            out.append(EntityChange(kind.name, key, "changed", _field_changes(a, b)))
    for key, item in after.items():
        if key not in before:
            out.append(EntityChange(kind.name, key, "added", _field_changes({}, kind.fields(item))))
    return sorted(out, key=lambda c: natural_key(c.key))


def compare(old: Inventory, new: Inventory) -> tuple[EntityChange, ...]:
    """Every entity of every kind that differs, kinds in :data:`KINDS` order, keys in the
    order people read them."""
    return tuple(c for kind in KINDS for c in _compare(kind, old, new))
