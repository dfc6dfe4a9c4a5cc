"""Metric names in PromQL and in the exporters' documentation, for the dashboards' and the
live monitoring tests."""

from __future__ import annotations

import re
from pathlib import Path

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

# the recording rules and info series of the monitoring contract (issue 4), expanded
CONTRACT: set[str] = {
    "edunet:site_info",
    "edunet:uplink_info",
    "edunet:app_info",
    "edunet:app_slo:ratio",
    "edunet:app_latency_slo:seconds",
    "edunet:link_threshold_loss:ratio",
    "edunet:link_threshold_latency:seconds",
    "edunet:link_threshold_jitter:seconds",
    "edunet:site_up",
    "edunet:site_probe_loss:ratio",
    "edunet:site_probe_rtt:seconds",
    "edunet:site_probe_jitter:seconds",
    "edunet:site_lan_up:ratio",
    "edunet:site_devices_down:count",
    "edunet:app_up",
    "edunet:app_latency:seconds",
    "edunet:app_error_budget_remaining:ratio_30d",
    "edunet:kpi_lan_uplink_ok:ratio",
    "edunet:kpi_connected:ratio",
    "edunet:uplink_utilisation:ratio",
    "edunet:interface_errors:rate5m",
    "edunet:interface_discards:rate5m",
}
CONTRACT |= {
    f"edunet:{what}_availability:ratio_{w}"
    for what in ("site", "district", "level", "app")
    for w in ("1d", "7d", "30d")
}
CONTRACT |= {f"edunet:app_burn_rate:ratio_{w}" for w in ("5m", "30m", "1h", "6h")}
CONTRACT |= {
    f"edunet:kpi_{k}:ratio_by_{by}"
    for k in ("lan_uplink_ok", "connected")
    for by in ("district", "level")
}

# labels of the info series the variables read (contract)
INFO_LABELS = {
    "edunet:site_info": {
        "site",
        "site_name",
        "site_kind",
        "district",
        "district_code",
        "level",
        "district_office",
        "schools_cut_off",
    },
    "edunet:app_info": {"application", "name", "name_en", "criticality"},
    "up": {"instance_name", "application", "node", "job", "instance"},
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
