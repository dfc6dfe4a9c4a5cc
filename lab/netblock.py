"""Blocked lab addresses: an nftables set and an input-hook chain per lab state directory,
in table ``inet edunet_lab``, so that two labs on one machine never undo each other.

The drop is on the input hook: a packet on ``lo`` is dropped on its way in and its sender
sees a timeout, as with a dead device (a drop on the output hook would fail the send at
once with EPERM). An address routed into a namespace never reaches the host's input; the
namespace drops it instead (:func:`lab.netns.set_rules`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from ipaddress import IPv4Address
from pathlib import Path

from lab.netcmd import run

__all__ = ["TABLE", "apply", "owner_id", "owners_present", "remove_table"]

TABLE = "inet edunet_lab"
_CHAIN = re.compile(r"^\s*chain input_([0-9a-f]{10})\s*\{", re.M)


def owner_id(state_dir: Path) -> str:
    """A short, stable name for a state directory, used in its set and chain names."""
    return hashlib.sha256(str(Path(state_dir).resolve()).encode()).hexdigest()[:10]


def apply(owner: str, addresses: Iterable[str]) -> None:
    """Make ``owner``'s set hold exactly ``addresses`` (one atomic transaction); with none,
    remove its set and chain, and the table once no owner is left in it."""
    blocked = sorted(set(addresses), key=IPv4Address)
    s, c = f"{TABLE} blocked_{owner}", f"{TABLE} input_{owner}"
    # `add` of what exists is a no-op, so every transaction starts from a known shape.
    text = (
        f"add table {TABLE}\n"
        f"add set {s} {{ type ipv4_addr; }}\n"
        f"add chain {c} {{ type filter hook input priority filter; policy accept; }}\n"
        f"flush chain {c}\n"
        f"flush set {s}\n"
    )
    if blocked:
        text += f"add rule {c} ip daddr @blocked_{owner} drop\n"
        text += f"add element {s} {{ {', '.join(blocked)} }}\n"
    else:
        text += f"delete chain {c}\ndelete set {s}\n"
    run(["nft", "-f", "-"], stdin=text)
    if not blocked and not owners_present():
        remove_table()


def owners_present() -> set[str]:
    """The owners with a chain in the table now."""
    done = run(["nft", "list", "table", *TABLE.split()], check=False)
    return set(_CHAIN.findall(done.stdout)) if done.returncode == 0 else set()


def remove_table() -> None:
    """Remove the whole table, whoever's sets are in it (create-then-delete: never fails
    for a table that is not there)."""
    run(["nft", "-f", "-"], stdin=f"add table {TABLE}\ndelete table {TABLE}\n")
