"""Running and intended configuration as comparable lines: volatile lines dropped.

A device prints things no template can know (timestamps, byte counts, its own secret
hashes); an intended config holds ``********`` where a secret goes. Both sides are cut
down to the lines that mean configuration, and a masked intended line matches whatever
value the device shows there, so a secret never shows up as drift and never gets printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playbooks.configs.context import CONFIGURABLE_PLATFORMS
from playbooks.configs.render import MASK

__all__ = [
    "SECRET_HIDDEN",
    "VOLATILE",
    "ConfigDiff",
    "config_diff",
    "hide_secrets",
    "intended_lines",
    "running_lines",
]

# lines that change on every read, whatever the platform: never configuration
VOLATILE = tuple(
    re.compile(p)
    for p in (
        r"^Building configuration",
        r"^Current configuration\s*:",
        r"^! (Last configuration change|NVRAM config last updated|No configuration change)",
        r"^!Time:",
        r"^ntp clock-period",
        r"^Load for five secs",
        r"^Time source is",
        r"^# \S+ \d{4} \d\d:\d\d:\d\d by RouterOS",  # RouterOS export header
        r"^# software id",
    )
)
# lines that carry no configuration to compare: comments, and defaults IOS prints on every
# device, which no template states
_NOISE = {
    "cisco_ios": [
        r"^!",
        r"^version ",
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
# the same lines in a stored copy: what names the secret stays, its value is hidden
SECRET_HIDDEN = "<secret hidden>"
_HIDE = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^(username \S+ .*?\b(?:secret|password)) .*$", rf"\1 {SECRET_HIDDEN}"),
        (r"^(enable (?:secret|password)) .*$", rf"\1 {SECRET_HIDDEN}"),
        (r"^(snmp-server (?:user|community)) .*$", rf"\1 {SECRET_HIDDEN}"),
        (r"^(/snmp community add) .*$", rf"\1 {SECRET_HIDDEN}"),
        (r"\b((?:authentication-|encryption-)?password)=\S+", rf"\1={SECRET_HIDDEN}"),
    )
)

# one meaning, two spellings: IOS-XE writes `ip domain name`, IOS 15 `ip domain-name`; a
# banner's delimiter shows as ^C on the device
_CANONICAL = {
    "cisco_ios": [
        (re.compile(r"^ip domain name "), "ip domain-name "),
        (re.compile(r"^(banner \S+ )\^C(.*)\^C$"), r"\1^\2^"),
    ],
}


@dataclass(frozen=True, slots=True)
class _Cut:
    dropped: tuple[re.Pattern[str], ...]
    canonical: tuple[tuple[re.Pattern[str], str], ...]


def _compiled(family: str) -> _Cut:
    patterns = [*_NOISE.get(family, []), *_SECRET_LINES.get(family, [])]
    return _Cut(
        VOLATILE + tuple(re.compile(p) for p in patterns),
        tuple(_CANONICAL.get(family, [])),
    )


_CUTS = {family: _compiled(family) for family in set(CONFIGURABLE_PLATFORMS.values())}
_UNKNOWN = _Cut(VOLATILE, ())


def running_lines(platform: str, text: str) -> list[str]:
    """The device's running configuration without volatile, noise or secret-bearing lines."""
    cut = _CUTS.get(CONFIGURABLE_PLATFORMS.get(platform, platform), _UNKNOWN)
    out = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip() or any(p.search(line) for p in cut.dropped):
            continue
        for pattern, spelling in cut.canonical:
            line = pattern.sub(spelling, line)
        out.append(line)
    return out


# the rendered configuration is cut exactly as the device's is, so the two compare line by line
intended_lines = running_lines


def hide_secrets(text: str) -> str:
    """``text`` with every secret value (or its hash) replaced by ``<secret hidden>``, on
    any platform: for copies kept on disk or in git."""
    out = []
    for line in text.split("\n"):
        for pattern, replacement in _HIDE:
            line = pattern.sub(replacement, line)
        out.append(line)
    return "\n".join(out)


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
