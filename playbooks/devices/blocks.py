"""IOS-style configurations as blocks (a top-level line and its indented lines), and the
commands that turn one configuration into another.

Two levels are enough for what edunet pushes (VLANs, interfaces, global lines); deeper
lines are kept with their top-level parent, indentation dropped.
"""

from __future__ import annotations

import difflib

from playbooks.devices.store import strip_volatile

Blocks = dict[str, list[str]]  # top-level line -> its sub-lines (stripped), in order
_NOISE = ("!", "end", "exit")


def significant_lines(text: str) -> list[str]:
    """The lines that carry configuration: volatile lines, ``!`` and ``end`` out."""
    out = []
    for line in strip_volatile(text).splitlines():
        bare = line.strip()
        if not bare or bare in _NOISE or line.startswith("version "):
            continue
        out.append(line.rstrip())
    return out


def parse(text: str) -> Blocks:
    blocks: Blocks = {}
    parent: str | None = None
    for line in significant_lines(text):
        if line[0].isspace():
            if parent is not None:
                blocks[parent].append(line.strip())
            continue
        parent = line
        blocks.setdefault(parent, [])
    return blocks


def negate(line: str) -> str:
    line = line.strip()
    return line[3:] if line.startswith("no ") else "no " + line


def changes(before: str, after: str) -> list[str]:
    """The unified-diff lines (``-``/``+``, no headers) from one configuration to another."""
    diff = difflib.unified_diff(
        significant_lines(before), significant_lines(after), lineterm="", n=0
    )
    return [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]


def revert_commands(before: str, after: str) -> list[str]:
    """Commands that bring a device showing ``after`` back to ``before``: what the push
    added is negated, what it removed is sent again, each under its parent line."""
    old, new = parse(before), parse(after)
    cmds: list[str] = []
    for parent, children in new.items():
        if parent not in old:
            cmds.append(negate(parent))  # a whole new block or global line
            continue
        was = set(old[parent])
        now = set(children)
        added = [c for c in children if c not in was]
        removed = [c for c in old[parent] if c not in now]
        if added or removed:
            fix = list(dict.fromkeys([*(negate(c) for c in added), *removed]))  # once each
            cmds += [parent, *fix, "exit"]
    for parent, children in old.items():
        if parent not in new:
            cmds += [parent, *children, "exit"] if children else [parent]
    return cmds
