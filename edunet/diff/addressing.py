"""Addresses and prefixes a change moves, adds or frees.

An address *moved* when something that exists before and after the change holds another
address (or prefix) in the same field: what a reviewer must notice, since devices, DHCP
scopes and firewall rules out there still hold the old one. An added school's prefixes are
*added*, a removed one's *freed*: expected, and listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from edunet.diff.changes import EntityChange
from edunet.diff.entities import KINDS

Movement = Literal["moved", "added", "freed"]
_ADDRESS_FIELD = {k.name: k.addresses for k in KINDS}


@dataclass(frozen=True, slots=True)
class AddressChange:
    kind: str  # of the holder: "device", "site", "link", "vm", "city"
    key: str
    field: str  # "mgmt_ip", "vlan staff.prefix", "p2p" …
    movement: Movement
    old: str | None
    new: str | None


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(str(v) for v in value) or None
    return str(value)


def address_changes(changes: tuple[EntityChange, ...]) -> tuple[AddressChange, ...]:
    out: list[AddressChange] = []
    for c in changes:
        holds = _ADDRESS_FIELD[c.kind]
        for f in c.fields:
            if not holds(f.field):
                continue
            old, new = _text(f.old), _text(f.new)
            if old is not None and new is not None:
                movement: Movement = "moved"
            elif new is not None:
                movement = "added"
            elif old is not None:
                movement = "freed"
            else:
                continue
            out.append(AddressChange(c.kind, c.key, f.field, movement, old, new))
    return tuple(out)
