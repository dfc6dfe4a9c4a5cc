"""``edunet reorganise MAPPING.yaml``: move schools between administrative units, no address
moved; a dry run unless ``--write``."""

from __future__ import annotations

import json
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edunet.cli.common import DEFAULT_INVENTORY, EXIT_INVALID, InventoryOption
from edunet.cli.output import console, err_console

if TYPE_CHECKING:
    from edunet.reorganise import ReachEdit, Result

EXIT_MOVES_ADDRESSES = 1


class ReorganiseFormat(StrEnum):
    table = "table"
    json = "json"


def _fail(message: str, code: int = EXIT_INVALID) -> typer.Exit:
    for line in message.splitlines():
        err_console.print(f"error: {line}", markup=False, highlight=False)
    return typer.Exit(code)


def _report(r: Result, reach: list[ReachEdit], files: list[Path], write: bool) -> dict[str, Any]:
    before, after = r.before, r.after
    moves = list(r.plan.moves.values())
    return {
        "written": write,
        "units_added": [{"code": c, **f} for c, f in r.plan.added.items()],
        "units_changed": {
            c: {k: {"old": o, "new": n} for k, (o, n) in f.items()}
            for c, f in r.plan.changed.items()
        },
        "units_removed": r.plan.removed,
        "sites_moved": [
            {
                "site": m.site,
                "kind": before.sites[m.site].kind.value,
                "from": m.old,
                "to": m.new,
                "area": after.sites[m.site].area,
                "slot": after.sites[m.site].slot,
            }
            for m in moves
        ],
        "addresses_moved": len(r.moved),
        "vlan_ids_changed": len(r.vlans_changed),
        "reach": [{"where": w, "old": o, "new": n} for w, o, n in reach],
        "files": [str(p) for p in files],
    }


def _print(data: dict[str, Any], r: Result) -> None:
    say = console.print
    for u in data["units_added"]:
        say(f"unit added:   {u['code']} {u['name']} ({u['kind']})", markup=False)
    for code, fields in data["units_changed"].items():
        what = ", ".join(f"{k} {v['old']} → {v['new']}" for k, v in fields.items())
        say(f"unit changed: {code}: {what}", markup=False)
    for old, new in data["units_removed"].items():
        say(f"unit removed: {old} {r.before.districts[old].name} → {new}", markup=False)
    by_pair = Counter((m["from"], m["to"]) for m in data["sites_moved"])
    kinds = Counter(m["kind"] for m in data["sites_moved"])
    say(
        f"sites moved:  {len(data['sites_moved'])} ("
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        + ")"
        + "".join(f"; {a} → {b}: {n}" for (a, b), n in sorted(by_pair.items())),
        markup=False,
    )
    say(
        f"addresses and prefixes moved: {data['addresses_moved']}; "
        f"VLAN IDs changed: {data['vlan_ids_changed']}",
        markup=False,
    )
    for e in data["reach"]:
        say(f"reach:        {e['where']}: {e['old']} → {e['new']}", markup=False)
    verb = "written" if data["written"] else "would be written (a dry run: --write to apply)"
    for f in data["files"]:
        say(f"{f}: {verb}", markup=False)


def reorganise(
    mapping: Annotated[Path, typer.Argument(metavar="MAPPING", help="The reorganisation (YAML).")],
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    write: Annotated[bool, typer.Option("--write", help="Apply: edit the files in place.")] = False,
    tokens: Annotated[
        list[Path] | None,
        typer.Option("--tokens", help="API tokens file whose reach follows (repeatable)."),
    ] = None,
    roles: Annotated[
        list[Path] | None,
        typer.Option("--roles", help="Operators' roles file whose reach follows (repeatable)."),
    ] = None,
    fmt: Annotated[
        ReorganiseFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReorganiseFormat.table,
) -> None:
    """Merge administrative units or move schools to another unit, keeping every address,
    prefix and VLAN (each moved site keeps its IP-plan area, pinned as 'area:'). The
    inventory is edited in place, comments kept; tokens and roles files given follow.
    Alert routes, target files and the Grafana folders follow on the next `edunet render`."""
    import yaml

    from edunet import atomic
    from edunet.errors import InventoryError
    from edunet.reorganise import MappingError, read_mapping, rewrite_reach
    from edunet.reorganise import reorganise as plan_it

    try:
        result = plan_it(inventory, read_mapping(mapping))
    except MappingError as e:
        raise _fail(str(e)) from None
    except InventoryError as e:
        for p in e.problems:
            err_console.print(p.format(), markup=False, highlight=False)
        raise _fail(
            f"{inventory} does not load after the reorganisation: nothing written"
        ) from None
    reach: list[ReachEdit] = []
    rewritten: dict[Path, bytes] = {}
    for path in [*(tokens or []), *(roles or [])]:
        try:
            text, edits = rewrite_reach(path, path.read_bytes(), result.renamed)
        except OSError as e:
            raise _fail(f"{path}: {e.strerror or e}") from None
        except yaml.YAMLError as e:
            raise _fail(f"{path}: not YAML or JSON: {e}") from None
        reach += edits
        if edits:
            rewritten[path] = text
    if result.moved or result.vlans_changed:
        shown = [f"{a.kind} {a.key} {a.field}: {a.old} → {a.new}" for a in result.moved[:10]]
        raise _fail(
            "the reorganisation would move addresses (nothing written):\n"
            + "\n".join(shown + list(result.vlans_changed[:10])),
            EXIT_MOVES_ADDRESSES,
        )
    if write:
        for path, new in {**result.edited, **rewritten}.items():
            atomic.write_bytes(path, new, mode=path.stat().st_mode & 0o777)
    report = _report(result, reach, [*result.edited, *rewritten], write)
    if fmt is ReorganiseFormat.json:
        console.print_json(json.dumps(report, ensure_ascii=False))
    else:
        _print(report, result)
