"""The commands that turn one configuration into another, from :mod:`playbooks.configs.text`:
what a push sends (a file of lines, or what the intended configuration adds) and what rolls
a device back.

IOS leaves a sub-mode by itself when a top-level line follows, so commands go out without
indentation; ``exit`` closes a block where a rollback reopens one.
"""

from __future__ import annotations

from playbooks.configs.text import MASK, ConfigDiff, blocks, config_diff, config_lines

__all__ = ["additions", "command_lines", "lines_to_send", "negate", "revert_commands"]


def command_lines(text: str) -> list[str]:
    """Lines as a device takes them: blanks, ``!`` and ``#`` comments out, indentation
    dropped."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", "!")):
            out.append(line)
    return out


def additions(diff: ConfigDiff) -> list[str]:
    """The commands that add what the diff lists as missing, each sub-line after its
    parent; lines only on the device (``+``) are left alone."""
    cmds: list[str] = []
    parent: str | None = None  # a header not yet sent: sent only if a sub-line follows
    for line in diff.lines:
        sign, body = line[0], line[1:]
        if sign == " ":
            parent = body.strip()
        elif sign == "-":
            if body[:1].isspace():
                if parent is not None:
                    cmds.append(parent)
                    parent = None
            else:
                parent = None
            cmds.append(body.strip())
        elif not body[:1].isspace():
            parent = None
    return cmds


def lines_to_send(platform: str, intended: str, running: str) -> list[str]:
    """Additive only: what the intended configuration has and the device lacks; extra
    lines on the device stay (drift reports them). Credential lines (users, enable, SNMP
    users), which a device hides or hashes, are never compared and so never sent, and a
    line still holding ``********`` (a secret the store lacks) is never sent either."""
    return [c for c in additions(config_diff(platform, intended, running)) if MASK not in c]


def negate(line: str) -> str:
    line = line.strip()
    return line[3:] if line.startswith("no ") else "no " + line


def revert_commands(platform: str, before: str, after: str) -> list[str]:
    """Commands that bring a device showing ``after`` back to ``before``: what the push
    added is negated, what it removed is sent again, each under its parent line."""
    old = blocks(config_lines(platform, before))
    new = blocks(config_lines(platform, after))
    cmds: list[str] = []
    for parent, children in new.items():
        if parent not in old:
            cmds.append(negate(parent))  # a whole new block or global line
            continue
        added = [c for c in children if c not in old[parent]]
        removed = [c.strip() for c in old[parent] if c not in children]
        if added or removed:
            fix = list(dict.fromkeys([*(negate(c) for c in added), *removed]))  # once each
            cmds += [parent, *fix, "exit"]
    for parent, children in old.items():
        if parent not in new:
            cmds += [parent, *(c.strip() for c in children), "exit"] if children else [parent]
    return cmds
