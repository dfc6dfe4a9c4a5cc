"""Running and intended configuration as comparable lines: volatile lines dropped.

A device prints things no template can know (timestamps, byte counts, its own secret
hashes); an intended config holds ``********`` where a secret goes. Both sides are cut
down to the lines that mean configuration, and a masked intended line matches whatever
value the device shows there, so a secret never shows up as drift and never gets printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playbooks.configs.render import MASK

__all__ = ["ConfigDiff", "config_diff", "intended_lines", "running_lines"]

_VOLATILE = {
    "cisco_ios": [
        r"^Building configuration",
        r"^Current configuration\s*:",
        r"^! (Last configuration change|NVRAM config last updated|No configuration change)",
        r"^ntp clock-period",
        r"^!\s*$",
        r"^!",
        r"^version ",
        r"^Load for five secs",
        r"^Time source is",
        # defaults IOS prints on every device, which no template states
        r"^boot-(start|end)-marker",
        r"^spanning-tree extend system-id",
        r"^aaa session-id common",
        r"^vlan internal allocation policy ",
        r"^no service pad",
    ],
    "mikrotik_routeros": [
        r"^#",  # the export header: date, software id, model
    ],
}
# lines that carry a secret or its hash, on the device side: never compared, never printed
_SECRET_LINES = {
    "cisco_ios": [
        r"^username \S+ .*(secret|password) ",
        r"^enable (secret|password) ",
        r"^snmp-server (user|community) ",
    ],
    "mikrotik_routeros": [r"password=", r"^/snmp community add "],
}
_FAMILY = {
    "cisco_ios": "cisco_ios",
    "cisco_xe": "cisco_ios",
    "mikrotik_routeros": "mikrotik_routeros",
}


def _family(platform: str) -> str:
    return _FAMILY.get(platform, platform)


# one meaning, two spellings: IOS-XE writes `ip domain name`, IOS 15 `ip domain-name`; a
# banner's delimiter shows as ^C on the device
_CANONICAL = {
    "cisco_ios": [
        (re.compile(r"^ip domain name "), "ip domain-name "),
        (re.compile(r"^(banner \S+ )\^C(.*)\^C$"), r"\1^\2^"),
    ],
}


def _drop(platform: str, text: str, patterns: dict[str, list[str]]) -> list[str]:
    family = _family(platform)
    canonical = _CANONICAL.get(family, [])
    volatile = [re.compile(p) for p in _VOLATILE.get(family, [])]
    secret = [re.compile(p) for p in patterns.get(family, [])]
    out = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip() or any(p.search(line) for p in volatile):
            continue
        if any(p.search(line) for p in secret):
            continue
        for pattern, spelling in canonical:
            line = pattern.sub(spelling, line)
        out.append(line)
    return out


def running_lines(platform: str, text: str) -> list[str]:
    """The device's running configuration without volatile or secret-bearing lines."""
    return _drop(platform, text, _SECRET_LINES)


def intended_lines(platform: str, text: str) -> list[str]:
    """The rendered configuration, cut the same way as :func:`running_lines`."""
    return _drop(platform, text, _SECRET_LINES)


@dataclass(frozen=True, slots=True)
class ConfigDiff:
    """The exact lines that differ: ``-`` intended but not on the device, ``+`` on the
    device but not intended. A sub-line follows its parent line, shown unsigned
    (`` interface GigabitEthernet1/0/1``) when only the sub-lines differ."""

    lines: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(line[1:] for line in self.lines if line.startswith("-"))

    @property
    def unexpected(self) -> tuple[str, ...]:
        return tuple(line[1:] for line in self.lines if line.startswith("+"))

    @property
    def count(self) -> int:
        return sum(1 for line in self.lines if line[:1] in "+-")

    @property
    def drifted(self) -> bool:
        return self.count > 0


Blocks = dict[str, list[str]]  # top-level line -> its sub-lines, in order


def _blocks(lines: list[str]) -> Blocks:
    out: Blocks = {}
    top: str | None = None
    for line in lines:
        if line[:1].isspace() and top is not None:
            if line not in out[top]:
                out[top].append(line)
        else:
            top = line
            out.setdefault(top, [])
    return out


def _masked(line: str) -> re.Pattern[str] | None:
    if MASK not in line:
        return None
    return re.compile("^" + r"\S+".join(re.escape(p) for p in line.split(MASK)) + "$")


def _unmask(want: list[str], have: list[str]) -> list[str]:
    """A masked intended line takes the value the device shows in the same place."""
    out = []
    for line in want:
        pattern = _masked(line)
        match = next((h for h in have if pattern.match(h)), None) if pattern else None
        out.append(match or line)
    return out


def config_diff(platform: str, intended: str, running: str) -> ConfigDiff:
    """Compare as a tree (top-level lines and their sub-lines), not as a sequence: a device
    prints its configuration in its own order, and order inside a block carries no meaning
    for the lines compared here."""
    have = _blocks(running_lines(platform, running))
    wanted = _blocks(intended_lines(platform, intended))
    want: Blocks = {}
    for top, subs in zip(_unmask(list(wanted), list(have)), wanted.values(), strict=True):
        want[top] = _unmask(subs, have.get(top, []))
    out: list[str] = []
    for top in [*want, *(t for t in have if t not in want)]:
        if top not in have:
            out += ["-" + top] + ["-" + s for s in want[top]]
        elif top not in want:
            out += ["+" + top] + ["+" + s for s in have[top]]
        else:
            missing = [s for s in want[top] if s not in have[top]]
            extra = [s for s in have[top] if s not in want[top]]
            if missing or extra:
                out += [" " + top] + ["-" + s for s in missing] + ["+" + s for s in extra]
    return ConfigDiff(tuple(out))
