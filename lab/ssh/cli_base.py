"""What the IOS command patches share: the error marker, kept global lines, line blocks.

fake-switches keeps a switch's state in a ``SwitchConfiguration``; the things it does not
model (global lines it has no command for, `line con`/`line vty` blocks, the saved
startup-config, the lab's config-reject fault) live as extra attributes on that object.
"""

from __future__ import annotations

from typing import Any

INVALID = "% Invalid input detected at '^' marker."
# an attribute on SwitchConfiguration: while true, every configuration line is refused
CONFIG_REJECT_ATTR = "edunet_config_reject"

# Global lines IOS keeps once: typing one again with another value replaces it. The key is
# the line's first N words (`snmp-server location X` replaces any `snmp-server location`).
SINGLE_VALUED = {
    ("snmp-server", "location"): 2,
    ("snmp-server", "contact"): 2,
    ("snmp-server", "host"): 3,
    ("snmp-server", "group"): 4,
    ("logging", "buffered"): 2,
    ("logging", "trap"): 2,
    ("logging", "host"): 3,
    ("clock", "timezone"): 2,
    ("ip", "domain-name"): 2,
    ("ip", "domain"): 3,
    ("ip", "ssh"): 3,
    ("ip", "default-gateway"): 2,
    ("spanning-tree", "mode"): 2,
    ("banner",): 2,
    ("aaa", "authentication"): 4,
    ("aaa", "authorization"): 4,
    ("ntp", "server"): 3,
    ("service", "timestamps"): 3,
}
# On/off settings whose `no` form is a line of its own (`no ip http server`): IOS shows
# the HTTP servers either way once set, and the others only when turned off.
TOGGLES = ("ip http server", "ip http secure-server")
ON_BY_DEFAULT = ("cdp run", "service pad", "ip domain-lookup", "ip domain lookup")


def write_invalid(proc: Any, line: str = "") -> None:
    """IOS's error marker, written past any active pipe so `| include` cannot hide it."""
    proc.finish_piping()
    prompt_len = len(proc.switch_configuration.name) + 1
    caret = " " * (prompt_len + max(0, len(line) - len(line.lstrip()))) + "^"
    proc.terminal_controller.write(caret + "\n" + INVALID + "\n\n")


def extra_lines(conf: Any) -> list[str]:
    """Global lines fake-switches has no model for, kept verbatim in the running-config."""
    if not hasattr(conf, "extra_global_lines"):
        conf.extra_global_lines = []
    lines: list[str] = conf.extra_global_lines
    return lines


def _key(line: str) -> str | None:
    words = line.split()
    for prefix, size in SINGLE_VALUED.items():
        if tuple(words[: len(prefix)]) == prefix and len(words) >= size:
            return " ".join(words[:size])
    return None


def _same(line: str, prefix: str) -> bool:
    return line == prefix or line.startswith(prefix + " ")


def add_extra(conf: Any, line: str) -> None:
    lines = extra_lines(conf)
    bare = line.removeprefix("no ")
    if bare in TOGGLES or bare in ON_BY_DEFAULT:  # `X` and `no X` replace each other
        conf.extra_global_lines = [ln for ln in lines if ln.removeprefix("no ") != bare]
        if line != bare or bare in TOGGLES:
            conf.extra_global_lines.append(line)
        return
    key = _key(line)
    if key is not None:
        at = next((i for i, ln in enumerate(lines) if _same(ln, key)), None)
        if at is not None:
            lines[at] = line
            return
    if line not in lines:
        lines.append(line)


def remove_extra(conf: Any, line: str) -> None:
    """`no X ...` removes every kept line that is X ... word for word (IOS-like enough);
    `no X` of an on/off setting is kept as a line of its own."""
    if line in TOGGLES or line in ON_BY_DEFAULT:
        add_extra(conf, "no " + line)
        return
    conf.extra_global_lines = [ln for ln in extra_lines(conf) if not _same(ln, line)]


def line_blocks(conf: Any) -> dict[str, list[str]]:
    """`line con 0`, `line vty 0 15` …: the block header and its sub-lines, as typed."""
    if not hasattr(conf, "edunet_line_blocks"):
        conf.edunet_line_blocks = {}
    blocks: dict[str, list[str]] = conf.edunet_line_blocks
    return blocks


def config_rejected(conf: Any) -> bool:
    return bool(getattr(conf, CONFIG_REJECT_ATTR, False))


def set_config_reject(conf: Any, on: bool) -> None:
    setattr(conf, CONFIG_REJECT_ATTR, on)
