"""A diff as JSON for tools and as Markdown for a merge request.

The JSON shape (stable; new keys may be added, none renamed)::

    {"old": "HEAD~1", "new": "inventory.yaml", "different": true,
     "summary": {"added": 1, "removed": 0, "changed": 2, "addresses_moved": 0},
     "changes": [{"kind": "device", "key": "…", "change": "added|removed|changed",
                  "fields": [{"field": "…", "old": …, "new": …}]}],
     "addresses": [{"kind": "device", "key": "…", "field": "mgmt_ip",
                    "movement": "moved|added|freed", "old": "…", "new": "…"}],
     "topology": {"checked": true,
                  "spof": [{"element": "…", "kind": "device|link|isp", "change": "added|removed",
                            "sites_cut": 2, "schools_cut": 1, "pupils_cut": 1210}],
                  "paths": [{"site": "…", "name": "…", "old": ["…"], "new": ["…"],
                             "old_hops": 3, "new_hops": 4}]}}
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from edunet.diff import Diff
from edunet.diff.changes import EntityChange

NO_MOVE = "No address or prefix moved."


def counts(d: Diff) -> dict[str, int]:
    by = Counter(c.status for c in d.changes)
    return {
        "added": by["added"],
        "removed": by["removed"],
        "changed": by["changed"],
        "addresses_moved": len(d.moved),
    }


def headline(d: Diff) -> str:
    """One line: how much changed, and whether any address moved."""
    if not d.different:
        return "no difference"
    n = counts(d)
    moved = n["addresses_moved"]
    return f"{n['added']} added, {n['removed']} removed, {n['changed']} changed; " + (
        f"{moved} address(es) or prefix(es) moved" if moved else NO_MOVE.lower().rstrip(".")
    )


def to_json(d: Diff) -> dict[str, Any]:
    e = d.effects
    return {
        "old": d.old,
        "new": d.new,
        "different": d.different,
        "summary": counts(d),
        "changes": [
            {
                "kind": c.kind,
                "key": c.key,
                "change": c.status,
                "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields],
            }
            for c in d.changes
        ],
        "addresses": [
            {
                "kind": a.kind,
                "key": a.key,
                "field": a.field,
                "movement": a.movement,
                "old": a.old,
                "new": a.new,
            }
            for a in d.addresses
        ],
        "topology": {
            "checked": e.checked,
            "spof": [
                {
                    "element": s.element,
                    "kind": s.kind,
                    "change": s.status,
                    "sites_cut": s.sites_cut,
                    "schools_cut": s.schools_cut,
                    "pupils_cut": s.pupils_cut,
                }
                for s in e.spofs
            ],
            "paths": [
                {
                    "site": p.site,
                    "name": p.name,
                    "old": list(p.old),
                    "new": list(p.new),
                    "old_hops": p.old_hops,
                    "new_hops": p.new_hops,
                }
                for p in e.paths
            ],
        },
    }


def text(value: Any) -> str:
    """A field value in a sentence or a cell."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _cell(value: Any) -> str:
    return text(value).replace("|", "\\|").replace("\n", " ")


def describe(c: EntityChange) -> str:
    """What an added or removed entity is, in a few of its fields."""
    shown = [
        f
        for f in c.fields
        if f.field
        in (
            "kind",
            "name",
            "site",
            "role",
            "model",
            "a.device",
            "b.device",
            "application",
            "pupils",
        )
    ]
    values = {f.field: (f.new if c.status == "added" else f.old) for f in shown}
    return ", ".join(f"{k} {text(v)}" for k, v in values.items() if v is not None)


def markdown(d: Diff) -> str:
    """A merge request's description: what changed, addresses, single points of failure,
    paths to the data center."""
    out = [f"## Inventory change: `{d.old}` → `{d.new}`", ""]
    if not d.different:
        out += ["No difference: both resolve to the same network.", ""]
        return "\n".join(out)
    out += [f"**{headline(d).capitalize()}**", ""]
    for status, title in (("added", "Added"), ("removed", "Removed")):
        found = [c for c in d.changes if c.status == status]
        if found:
            out += [f"### {title}", ""]
            out += [
                f"- {c.kind} `{c.key}`" + (f": {describe(c)}" if describe(c) else "") for c in found
            ]
            out.append("")
    changed = [c for c in d.changes if c.status == "changed"]
    if changed:
        out += ["### Changed", ""]
        for c in changed:
            out += [f"#### {c.kind} `{c.key}`", "", "| field | old | new |", "|---|---|---|"]
            out += [f"| {f.field} | {_cell(f.old)} | {_cell(f.new)} |" for f in c.fields]
            out.append("")
    out += ["### Addresses and prefixes", ""]
    moved = d.moved
    if moved:
        out += [
            f"**{len(moved)} moved:**",
            "",
            "| holder | field | old | new |",
            "|---|---|---|---|",
        ]
        out += [f"| {a.kind} `{a.key}` | {a.field} | {a.old} | {a.new} |" for a in moved]
        out.append("")
    else:
        out += [NO_MOVE, ""]
    others = [a for a in d.addresses if a.movement != "moved"]
    if others:
        out += ["**Added or freed** with what was added or removed:", ""]
        out += [f"- {a.movement}: {a.kind} `{a.key}` {a.field} {a.new or a.old}" for a in others]
        out.append("")
    out += _effects(d)
    return "\n".join(out)


def _effects(d: Diff) -> list[str]:
    e = d.effects
    if not e.checked:
        return [
            "### Topology",
            "",
            "Unchanged: no device, link or site was added, removed or re-wired.",
            "",
        ]
    out = ["### Single points of failure", ""]
    if e.spofs:
        out += [
            "| element | kind | change | sites cut | schools cut | pupils cut |",
            "|---|---|---|---:|---:|---:|",
        ]
        out += [
            f"| `{s.element}` | {s.kind} | {'new' if s.status == 'added' else 'gone'} | "
            f"{s.sites_cut:,} | {s.schools_cut:,} | {s.pupils_cut:,} |"
            for s in e.spofs
        ]
    else:
        out.append("None added or removed.")
    out += ["", "### Paths to the data center", ""]
    if e.paths:
        out += ["| school | old path | new path |", "|---|---|---|"]
        out += [
            f"| `{p.site}` {_cell(p.name)} | {_route(p.old, p.old_hops)} | "
            f"{_route(p.new, p.new_hops)} |"
            for p in e.paths
        ]
    else:
        out.append("No school's path changed.")
    out.append("")
    return out


def _route(routes: tuple[str, ...], hops: int | None) -> str:
    if not routes:
        return "**none**"
    more = f" (+{len(routes) - 1} equal-cost)" if len(routes) > 1 else ""
    return f"{_cell(routes[0])}{more}, {hops} hops"
