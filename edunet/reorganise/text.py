"""A reorganisation written into the inventory's text: the units' lines and the moved sites'
``district:`` (and ``area:``), edited in place so comments and layout stay."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from edunet.load import Files
from edunet.reorganise.mapping import MappingError
from edunet.reorganise.plan import UNIT_FIELDS, Plan
from edunet.yaml_text import YamlFile, last_line, mapping_get, render_flow

__all__ = ["edit"]


def _items(files: list[YamlFile], section: str) -> Iterator[tuple[YamlFile, yaml.Node]]:
    for f in files:
        found = mapping_get(f.root, section) if f.root is not None else None
        if found is not None and isinstance(found[1], yaml.SequenceNode):
            if found[1].flow_style and found[1].value:
                raise MappingError(f"{f.path}: write '{section}:' one item per line to reorganise")
            for item in found[1].value:
                yield f, item


def _code(item: yaml.Node) -> str | None:
    found = mapping_get(item, "code")
    return str(found[1].value) if found is not None else None


def edit(files: Files, p: Plan) -> dict[Path, bytes]:
    """The edited files (path → bytes) of an inventory (``files``, as read)."""
    docs = [YamlFile.read(path, raw) for path, raw in files.items() if isinstance(raw, bytes)]
    units = {_code(item): (f, item) for f, item in _items(docs, "districts")}
    for code, fields in p.changed.items():
        f, item = units[code]
        for key, (_, new) in fields.items():
            f.set_key(item, key, new, after="slug")
    for code in p.removed:
        f, item = units[code]
        f.remove_item(item)
    if p.added:
        if not units:
            raise MappingError("the inventory has no 'districts:' list to add units to")
        f, last = list(units.values())[-1]
        lead = f.text[f.text.rfind("\n", 0, last.start_mark.index) + 1 : last.start_mark.index]
        dash = lead[: lead.index("-")] if "-" in lead else ""
        for spec in p.added.values():
            record = {k: spec[k] for k in UNIT_FIELDS if k in spec}
            f.insert_after_line(last_line(last), f"{dash}- {render_flow(record)}\n")
    sites = {_code(item): (f, item) for f, item in _items(docs, "sites")}
    for move in p.moves.values():
        f, item = sites[move.site]
        f.set_key(item, "district", move.new)
        if move.area is not None:
            f.set_key(item, "area", move.area, after="district")
    return {f.path: f.edited().encode("utf-8") for f in docs if f.splices}
