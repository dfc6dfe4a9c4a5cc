"""A plan written into the inventory's files: only the lines of the sites it adds or
changes, in the file that holds each (or, for a new school, the file of its district's
schools), and only when the result still loads clean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from edunet import atomic
from edunet.load import Files, load
from spreadsheets.plan import Change, Plan
from spreadsheets.text import YamlFile, last_line, mapping_get, render

__all__ = ["Documents", "apply", "write"]


class Documents:
    """Every file of an inventory, parsed with positions."""

    def __init__(self, files: Files) -> None:
        self.files = [YamlFile.read(p, raw) for p, raw in files.items() if isinstance(raw, bytes)]
        self.sites: dict[str, tuple[YamlFile, yaml.Node]] = {}
        self.last_of_district: dict[str, tuple[YamlFile, yaml.Node]] = {}
        self.last_site: tuple[YamlFile, yaml.Node] | None = None
        for f, item in self._section("sites"):
            code, district = mapping_get(item, "code"), mapping_get(item, "district")
            if code is not None:
                self.sites[str(code[1].value)] = (f, item)
            if district is not None:
                self.last_of_district[str(district[1].value)] = (f, item)
            self.last_site = (f, item)

    def _section(self, name: str) -> Iterator[tuple[YamlFile, yaml.Node]]:
        for f in self.files:
            found = mapping_get(f.root, name) if f.root is not None else None
            if found is not None and isinstance(found[1], yaml.SequenceNode):
                for item in found[1].value:
                    yield f, item

    def profiles(self) -> list[str]:
        names = []
        for _, item in self._section("profiles"):
            name = mapping_get(item, "name")
            if name is not None:
                names.append(str(name[1].value))
        return names


def _set(f: YamlFile, node: yaml.Node, key: str, value: object) -> None:
    found = mapping_get(node, key)
    flow = bool(getattr(node, "flow_style", False))
    if found is not None and isinstance(found[1], yaml.ScalarNode):
        f.replace(found[1], render(value, flow=flow))
        return
    if flow:
        # a site written on one line: its closing brace gets the new key before it
        at = node.end_mark.index - 1
        f.splice(at, at, f", {key}: {render(value, flow=True)}")
        return
    indent = " " * node.start_mark.column
    f.insert_after_line(last_line(node), f"{indent}{key}: {render(value)}\n")


def _new_site(change: Change, column: int) -> str:
    lines = []
    for i, (key, (_, value)) in enumerate(change.fields.items()):
        lead = " " * column + ("- " if i == 0 else "  ")
        lines.append(f"{lead}{key}: {render(value)}\n")
    return "".join(lines)


def apply(docs: Documents, plan: Plan) -> None:
    """Record the plan's edits as splices of the documents' texts."""
    for change in plan.changed:
        f, node = docs.sites[change.code]
        for key, (_, new) in change.fields.items():
            _set(f, node, key, new)
    opened = False  # "sites:" written for the first new site of an inventory without sites
    for change in plan.added:
        district = str(change.fields["district"][1])
        place = docs.last_of_district.get(district) or docs.last_site
        if place is not None:
            f, node = place
            f.insert_after_line(last_line(node), _new_site(change, node.start_mark.column - 2))
            continue
        f = docs.files[-1]
        found = mapping_get(f.root, "sites") if f.root is not None else None
        if found is not None:  # "sites: []"
            key_node, value_node = found
            if not opened:
                f.splice(key_node.end_mark.index, value_node.end_mark.index, ":")
            f.insert_after_line(key_node.end_mark.line, _new_site(change, 2))
        else:
            head = "" if opened else ("" if f.text.endswith("\n") else "\n") + "sites:\n"
            f.splice(len(f.text), len(f.text), head + _new_site(change, 2))
        opened = True


def write(inventory: Path, docs: Documents, files: Files) -> list[Path]:
    """Write the edited files, each atomically, once the whole inventory loads clean with
    them (the files written, in order); else raise the loader's :class:`InventoryError` and
    write nothing."""
    edited = {f.path: f.edited().encode("utf-8") for f in docs.files if f.splices}
    if not edited:
        return []
    load(inventory, files={**files, **edited})
    for path, data in edited.items():
        atomic.write_bytes(path, data, mode=path.stat().st_mode & 0o777)
    return list(edited)
