"""``edunet reorganise MAPPING.yaml``: schools moved between administrative units (units
merged, declared, sites moved) without moving one address, prefix or VLAN.

    result = reorganise(Path("inventory.yaml"), read_mapping(Path("thu-duc.yaml")))
    result.plan, result.edited, result.moved, result.after

Modules: :mod:`mapping` (the file people write), :mod:`plan` (what changes, on the resolved
inventory), :mod:`text` (the inventory's text edited in place), :mod:`reach_files` (tokens and
roles files follow).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from edunet.diff import AddressChange, diff
from edunet.load import load, read_files
from edunet.model import Inventory
from edunet.reorganise.mapping import Mapping, MappingError, read_mapping
from edunet.reorganise.plan import Plan, SiteMove, plan
from edunet.reorganise.reach_files import ReachEdit, rewrite_reach
from edunet.reorganise.text import edit

__all__ = [
    "Mapping",
    "MappingError",
    "Plan",
    "ReachEdit",
    "Result",
    "SiteMove",
    "read_mapping",
    "reorganise",
    "rewrite_reach",
]


@dataclass(frozen=True, slots=True)
class Result:
    plan: Plan
    before: Inventory
    after: Inventory  # the edited inventory, resolved (it loads clean, or nothing is returned)
    edited: dict[Path, bytes]  # the inventory's files as they are to be written
    moved: tuple[AddressChange, ...]  # addresses and prefixes that moved: none, or refuse
    vlans_changed: tuple[str, ...]  # "site: vlan X.id" whose VLAN id changed: none

    @property
    def renamed(self) -> dict[str, str]:
        """Each removed unit's code → the unit its sites went to."""
        return dict(self.plan.removed)


def reorganise(inventory: Path, mapping: Mapping) -> Result:
    """Plan and check a reorganisation; nothing is written. Raises :class:`MappingError`,
    or the loader's :class:`edunet.errors.InventoryError` when the edited inventory does
    not load."""
    files = read_files(inventory)
    before = load(inventory, files)
    p = plan(before, mapping)
    edited = edit(files, p)
    after = load(inventory, {**files, **edited}) if edited else before
    d = diff(before, after)
    vlans = tuple(
        f"{c.key}: {f.field}"
        for c in d.changes
        if c.kind == "site"
        for f in c.fields
        if f.field.startswith("vlan ") and f.field.endswith(".id") and f.old is not None
    )
    return Result(p, before, after, edited, d.moved, vlans)
