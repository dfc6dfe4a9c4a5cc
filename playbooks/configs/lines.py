"""Running and intended configuration as comparable lines: volatile lines dropped.

A device prints things no template can know (timestamps, byte counts, its own secret
hashes); an intended config holds ``********`` where a secret goes. Both sides are cut
down to the lines that mean configuration, and a masked intended line matches whatever
value the device shows there, so a secret never shows up as drift and never gets printed.
"""

from __future__ import annotations

import difflib
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


def _drop(platform: str, text: str, patterns: dict[str, list[str]]) -> list[str]:
    family = _family(platform)
    volatile = [re.compile(p) for p in _VOLATILE.get(family, [])]
    secret = [re.compile(p) for p in patterns.get(family, [])]
    out = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip() or any(p.search(line) for p in volatile):
            continue
        if any(p.search(line) for p in secret):
            continue
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
    missing: tuple[str, ...]  # intended, not on the device ("-" in the report)
    unexpected: tuple[str, ...]  # on the device, not intended ("+")
    unified: tuple[str, ...]

    @property
    def drifted(self) -> bool:
        return bool(self.missing or self.unexpected)


def _masked(line: str) -> re.Pattern[str] | None:
    if MASK not in line:
        return None
    return re.compile("^" + r"\S+".join(re.escape(p) for p in line.split(MASK)) + "$")


def config_diff(platform: str, intended: str, running: str, name: str = "") -> ConfigDiff:
    want = intended_lines(platform, intended)
    have = running_lines(platform, running)
    # a masked intended line stands for any value: take the device's line in its place
    patterns = [(i, _masked(line)) for i, line in enumerate(want)]
    for i, pattern in patterns:
        if pattern is not None:
            match = next((h for h in have if pattern.match(h)), None)
            if match is not None:
                want[i] = match
    unified = tuple(
        difflib.unified_diff(want, have, f"{name} intended", f"{name} running", n=1, lineterm="")
    )
    have_set, want_set = set(have), set(want)
    return ConfigDiff(
        missing=tuple(w for w in want if w not in have_set),
        unexpected=tuple(h for h in have if h not in want_set),
        unified=unified,
    )
