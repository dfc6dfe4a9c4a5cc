"""Metric names in PromQL and in the exporters' documentation, for the tests of the dashboards,
the rules, the API and the live monitoring; the names edunet knows are the metric contract's
(``monitors.contract``)."""

from __future__ import annotations

import re
from pathlib import Path

from monitors import contract

KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
    "inf",
    "nan",
}

# every name of the metric contract a query may read (recorded and raw series, histograms'
# parts), and the labels of the series the dashboards' variables read
CONTRACT: frozenset[str] = contract.names()
INFO_LABELS: dict[str, set[str]] = {
    s.name: set(s.labels) for s in (contract.SITE_INFO, contract.APP_INFO, contract.UP)
}

_IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def metric_names(expr: str) -> set[str]:
    """The metric names an expression reads (functions, keywords and labels left out)."""
    s = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    s = re.sub(r"\$\{?\w+\}?", " ", s)
    s = re.sub(r"\{[^}]*\}", " ", s)
    s = re.sub(r"\[[^\]]*\]", " ", s)
    s = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", s)
    names: set[str] = set()
    for m in _IDENT.finditer(s):
        word = m.group(0)
        if s[m.end() :].lstrip().startswith("("):
            continue  # a function
        if word.lower() in KEYWORDS:
            continue
        if m.start() > 0 and (s[m.start() - 1].isdigit() or s[m.start() - 1] == "."):
            continue  # a number's unit or exponent (offset 1h, 1e3)
        names.add(word)
    return names


def documented_metrics(doc: Path) -> set[str]:
    """Every metric name docs/exporters.md names: brace alternatives expanded, label sets cut,
    histogram series added."""
    text = doc.read_text(encoding="utf-8")
    out: set[str] = set()
    for line in text.splitlines():
        for raw in re.findall(r"`(edunet_[^`]+)`", line):
            histogram = "| histogram |" in line or f"`{raw}` (histogram)" in line
            token = re.sub(r"\{[^}]*\}$", "", raw.strip())  # a trailing label set
            names = [token]
            while any("{" in n for n in names):
                expanded: list[str] = []
                for n in names:
                    m = re.search(r"\{([^}]*)\}", n)
                    if m is None:
                        expanded.append(n)
                        continue
                    for alt in m.group(1).split(","):
                        expanded.append(n[: m.start()] + alt.strip() + n[m.end() :])
                names = expanded
            out.update(n for n in names if re.fullmatch(r"[a-z_][a-z0-9_]*", n))
            if histogram:
                for n in names:
                    out.update({f"{n}_bucket", f"{n}_sum", f"{n}_count"})
    return out
