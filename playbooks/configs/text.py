"""Device configuration text: one table of line patterns, blocks, normalisation and the diff.

This is the public API for configuration text. Drift, the backup store, ``config diff`` and
push read every configuration through it, so "the difference" between two configurations
means one thing; the lab's simulated switches use its block parsing for ``| section``.
It imports nothing but the standard library.

A line falls under at most one kind of :data:`PATTERNS`, first match wins:

- ``volatile``: changes on every read (timestamps, byte counts, clock drift); never
  configuration, never stored.
- ``syntax``: carries no configuration (comments, ``end``, ``version``).
- ``default``: printed by every device and stated by no template; not compared with the
  intended configuration.
- ``secret``: holds a secret value or its hash; hidden in every stored copy, never compared
  with the intended configuration, hence never sent by ``push --intended``.
- ``spelling``: one meaning, two spellings; the canonical one is compared.

Three views of one text, each for one job:

- :func:`stored_form`: volatile lines out, secret values hidden: what git keeps and
  ``config diff`` shows.
- :func:`config_lines`: the configuration the device holds, volatile and syntax lines out,
  RouterOS sections as one-line commands: what a push changed and how to revert it.
- :func:`compared_lines`: the configuration lines without defaults and secrets, spellings
  canonical: what drift compares and what ``push --intended`` sends.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

__all__ = [
    "MASK",
    "PATTERNS",
    "SECRET_HIDDEN",
    "Blocks",
    "ConfigDiff",
    "Kind",
    "LinePattern",
    "block_list",
    "blocks",
    "changes",
    "compared_lines",
    "config_diff",
    "config_lines",
    "family",
    "hide_secrets",
    "stored_form",
    "strip_volatile",
    "unified",
]

MASK = "********"  # what a secret renders as where its value must not be written
SECRET_HIDDEN = "<secret hidden>"  # what a stored copy shows in place of a secret value

ALL = "*"  # a pattern for every platform
IOS, ROUTEROS = "cisco_ios", "mikrotik_routeros"
# edunet platform name -> the family whose lines it prints (IOS-XE prints IOS)
FAMILIES = {"cisco_ios": IOS, "cisco_xe": IOS, "mikrotik_routeros": ROUTEROS}


class Kind(enum.Enum):
    volatile = "volatile"
    syntax = "syntax"
    default = "default"
    secret = "secret"
    spelling = "spelling"


@dataclass(frozen=True, slots=True)
class LinePattern:
    """One row of the table. ``replacement`` is how a match is rewritten: the mask of a
    secret (what names it stays, its value goes) or the canonical spelling."""

    kind: Kind
    family: str
    regex: re.Pattern[str]
    replacement: str = ""


def _rows(kind: Kind, family: str, *rows: str | tuple[str, str]) -> list[LinePattern]:
    out = []
    for row in rows:
        pattern, replacement = (row, "") if isinstance(row, str) else row
        out.append(LinePattern(kind, family, re.compile(pattern), replacement))
    return out


_HIDDEN = rf"\1 {SECRET_HIDDEN}"
PATTERNS: tuple[LinePattern, ...] = (
    *_rows(
        Kind.volatile,
        ALL,
        r"^Building configuration",
        r"^Current configuration\s*:",
        r"^! (Last configuration change|NVRAM config last updated|No configuration change)",
        r"^!Time:",
        r"^ntp clock-period",
        r"^Load for five secs",
        r"^Time source is",
        r"^# \S+ \d{4} \d\d:\d\d:\d\d by RouterOS",  # RouterOS export header
        r"^# software id",
    ),
    *_rows(Kind.syntax, IOS, r"^\s*!", r"^\s*(end|exit)$", r"^version "),
    *_rows(Kind.syntax, ROUTEROS, r"^#"),  # comments; the export header says date and model
    *_rows(
        Kind.default,
        IOS,
        r"^boot-(start|end)-marker",
        r"^spanning-tree extend system-id",
        r"^aaa session-id common",
        r"^vlan internal allocation policy ",
        r"^no service pad",
    ),
    *_rows(
        Kind.secret,
        IOS,
        (r"^(username \S+ .*?\b(?:secret|password)) .*$", _HIDDEN),
        (r"^(enable (?:secret|password)) .*$", _HIDDEN),
        (r"^(snmp-server (?:user|community)) .*$", _HIDDEN),
        (r"^(\s+password) .*$", _HIDDEN),  # `line vty` passwords, type 7 is reversible
    ),
    *_rows(
        Kind.secret,
        ROUTEROS,
        (r"^(/snmp community add) .*$", _HIDDEN),
        # hiding twice changes nothing: `config diff` shows stored copies in their stored form
        (rf"\b([\w-]*password)=(?:{re.escape(SECRET_HIDDEN)}|\S*)", rf"\1={SECRET_HIDDEN}"),
    ),
    *_rows(
        Kind.spelling,
        IOS,
        (r"^ip domain name ", "ip domain-name "),  # IOS-XE's spelling, IOS 15's
        (r"^(banner \S+ )\^C(.*)\^C$", r"\1^\2^"),  # a banner's delimiter shows as ^C
    ),
)


def family(platform: str) -> str:
    """The family whose lines ``platform`` prints; an unknown platform is its own."""
    return FAMILIES.get(platform, platform)


@dataclass(frozen=True, slots=True)
class _Table:
    dropped: tuple[re.Pattern[str], ...]
    spellings: tuple[tuple[re.Pattern[str], str], ...]


@cache
def _table(fam: str, kinds: frozenset[Kind]) -> _Table:
    rows = [p for p in PATTERNS if p.family in (ALL, fam) and p.kind in kinds]
    return _Table(
        tuple(p.regex for p in rows if p.kind is not Kind.spelling),
        tuple((p.regex, p.replacement) for p in rows if p.kind is Kind.spelling),
    )


_HELD = frozenset({Kind.volatile, Kind.syntax})
_COMPARED = frozenset({Kind.volatile, Kind.syntax, Kind.default, Kind.secret, Kind.spelling})
_VOLATILE = tuple(p.regex for p in PATTERNS if p.kind is Kind.volatile)
_SECRETS = tuple((p.regex, p.replacement) for p in PATTERNS if p.kind is Kind.secret)


def _cut(platform: str, text: str, kinds: frozenset[Kind]) -> list[str]:
    fam = family(platform)
    table = _table(fam, kinds)
    out = []
    for raw in _one_line_commands(fam, text.splitlines()):
        line = raw.rstrip()
        if not line.strip() or any(p.search(line) for p in table.dropped):
            continue
        for pattern, spelling in table.spellings:
            line = pattern.sub(spelling, line)
        out.append(line)
    return out


def config_lines(platform: str, text: str) -> list[str]:
    """The configuration the device holds: volatile and syntax lines out, blanks out."""
    return _cut(platform, text, _HELD)


def compared_lines(platform: str, text: str) -> list[str]:
    """What drift compares, on either side: the configuration lines without the defaults
    a device prints and without secrets, each in its canonical spelling."""
    return _cut(platform, text, _COMPARED)


def strip_volatile(text: str) -> str:
    """Volatile lines out, line ends unified, one final newline."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    kept = [ln for ln in lines if not any(p.match(ln) for p in _VOLATILE)]
    while kept and not kept[0]:
        kept.pop(0)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


def _hide(line: str) -> str:
    for pattern, replacement in _SECRETS:
        line = pattern.sub(replacement, line)
    return line


def hide_secrets(text: str) -> str:
    """``text`` with every secret value (or its hash) replaced by ``<secret hidden>``, by
    every platform's rows, since a stored copy does not say its platform and hiding more
    is never wrong. A RouterOS line under a section is read with its section's path."""
    out = []
    section = ""
    for raw in text.split("\n"):
        line = _hide(raw)  # first on its own: a stray `/` line must not shield an IOS secret
        if _is_section(line):
            section = line.rstrip()
        elif section and line[:1] not in ("/", "", " ", "#"):
            line = _hide(f"{section} {line}").removeprefix(section + " ")
        out.append(line)
    return "\n".join(out)


def stored_form(text: str) -> str:
    """The configuration as stored and shown: volatile lines out and every secret value (a
    community, a key, a password hash) hidden, since the store is a git repository."""
    return hide_secrets(strip_volatile(text))


def unified(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    """Two configurations in their stored form as a unified diff, as git shows them."""
    return list(
        difflib.unified_diff(
            stored_form(old).splitlines(),
            stored_form(new).splitlines(),
            old_name,
            new_name,
            lineterm="",
        )
    )


# --- RouterOS sections ---------------------------------------------------------------------

# the words that make a `/path …` line a command rather than a section header
_ROUTEROS_VERBS = frozenset(
    {"add", "set", "remove", "unset", "enable", "disable", "comment", "move", "reset", "edit"}
)


def _is_section(line: str) -> bool:
    """``/interface bridge`` alone on its line opens a section of an export."""
    if not line.startswith("/") or "=" in line:
        return False
    return not any(word in _ROUTEROS_VERBS for word in line.split())


def _one_line_commands(fam: str, lines: Iterable[str]) -> Iterable[str]:
    """RouterOS exports as the templates write them: a ``\\``-continued line joined, and a
    command under a section header prefixed with the section's path."""
    if fam != ROUTEROS:
        yield from lines
        return
    section, pending = "", ""
    for raw in lines:
        line = raw.rstrip()
        if line.endswith("\\"):
            pending += line[:-1] if not pending else line[:-1].lstrip()
            continue
        if pending:
            line, pending = pending + line.lstrip(), ""
        if _is_section(line):
            section = line
        elif section and line[:1] not in ("/", "", "#"):
            yield f"{section} {line}"
        else:
            yield line
    if pending:
        yield pending


# --- blocks and the diff -------------------------------------------------------------------

Blocks = dict[str, list[str]]  # top-level line -> its sub-lines as printed, each once, in order


def block_list(lines: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Top-level lines with the indented lines under them, in order, as printed (IOS
    indentation; a deeper line stays with its top-level line)."""
    out: list[tuple[str, list[str]]] = []
    for line in lines:
        if line[:1].isspace() and out:
            out[-1][1].append(line)
        else:
            out.append((line, []))
    return out


def blocks(lines: Iterable[str]) -> Blocks:
    """Blocks by their top-level line: a block printed twice is one, a sub-line counts once."""
    out: Blocks = {}
    for top, subs in block_list(lines):
        kept = out.setdefault(top, [])
        kept += [s for s in dict.fromkeys(subs) if s not in kept]
    return out


@dataclass(frozen=True, slots=True)
class ConfigDiff:
    """The exact lines that differ: ``-`` on the reference side only (intended, or before a
    push), ``+`` on the device side only. A sub-line follows its parent line, shown unsigned
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

    def hidden(self) -> list[str]:
        """The lines with every secret value hidden, for showing."""
        return [line[:1] + _hide(line[1:]) for line in self.lines]


def _masked(line: str) -> re.Pattern[str] | None:
    if MASK not in line:
        return None
    return re.compile("^" + r"\S+".join(re.escape(p) for p in line.split(MASK)) + "$")


def _unmask(want: Sequence[str], have: Sequence[str]) -> list[str]:
    """A masked intended line takes the value the device shows in the same place."""
    out = []
    for line in want:
        pattern = _masked(line)
        match = next((h for h in have if pattern.match(h)), None) if pattern else None
        out.append(match or line)
    return out


def _tree_diff(want: Blocks, have: Blocks) -> ConfigDiff:
    """Compare as a tree (top-level lines and their sub-lines), not as a sequence: a device
    prints its configuration in its own order, and order inside a block carries no meaning
    for the lines edunet configures."""
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


def config_diff(platform: str, intended: str, running: str) -> ConfigDiff:
    """Drift: the intended configuration against the running one, both as compared lines;
    a masked intended line matches whatever value the device shows there, so a secret
    never shows up as drift and never gets printed."""
    have = blocks(compared_lines(platform, running))
    wanted = blocks(compared_lines(platform, intended))
    want: Blocks = {}
    for top, subs in zip(_unmask(list(wanted), list(have)), wanted.values(), strict=True):
        want[top] = _unmask(subs, have.get(top, []))
    return _tree_diff(want, have)


def changes(platform: str, before: str, after: str) -> ConfigDiff:
    """What changed on a device from one reading to the next, as configuration lines:
    ``-`` gone, ``+`` new. Defaults and secrets count here: a push that set one changed
    the device."""
    return _tree_diff(blocks(config_lines(platform, before)), blocks(config_lines(platform, after)))
