"""What an inventory change does: computed on two resolved inventories, so a change that
resolves to the same network (a comment, a reordering, a profile refactored) is none.

    d = diff(load("old.yaml"), load("inventory.yaml"))
    d.different, d.changes, d.addresses, d.effects.spofs, d.effects.paths

Modules: :mod:`entities` (each kind, field by field), :mod:`changes` (added, removed,
changed), :mod:`addressing` (addresses and prefixes moved), :mod:`effects` (single points
of failure, paths to the data center), :mod:`report` (JSON and Markdown), :mod:`revisions`
(an inventory read from a git revision).
"""

from __future__ import annotations

from dataclasses import dataclass

from edunet.diff.addressing import AddressChange, address_changes
from edunet.diff.changes import EntityChange, FieldChange, compare
from edunet.diff.effects import Effects, PathChange, SpofChange, effects
from edunet.model import Inventory

__all__ = [
    "AddressChange",
    "Diff",
    "Effects",
    "EntityChange",
    "FieldChange",
    "PathChange",
    "SpofChange",
    "diff",
]


@dataclass(frozen=True, slots=True)
class Diff:
    old: str  # what was compared, as the user named it
    new: str
    changes: tuple[EntityChange, ...]
    addresses: tuple[AddressChange, ...]
    effects: Effects

    @property
    def different(self) -> bool:
        return bool(self.changes)

    @property
    def moved(self) -> tuple[AddressChange, ...]:
        return tuple(a for a in self.addresses if a.movement == "moved")


def diff(old: Inventory, new: Inventory, old_label: str = "old", new_label: str = "new") -> Diff:
    changes = compare(old, new)
    return Diff(old_label, new_label, changes, address_changes(changes), effects(old, new, changes))
