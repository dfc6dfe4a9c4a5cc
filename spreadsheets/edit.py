"""A plan written into the inventory's files: only the lines of the sites it adds or
changes, in the file that holds each (or, for a new school, the file of its district's
schools), and only when the result still loads clean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from edunet import atomic
from edunet.load import Files, load
from edunet.yaml_text import YamlFile, construct, last_line, mapping_get, render, render_flow
from spreadsheets.plan import UPLINK, Change, Plan

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

    def profiles(self) -> dict[str, list[dict[str, object]]]:
        """Each profile's uplinks, as written."""
        out: dict[str, list[dict[str, object]]] = {}
        for _, item in self._section("profiles"):
            name, uplinks = mapping_get(item, "name"), mapping_get(item, "uplinks")
            if name is not None:
                found = construct(uplinks[1]) if uplinks is not None else []
                out[str(name[1].value)] = found if isinstance(found, list) else []
        return out


def _set(f: YamlFile, node: yaml.Node, key: str, value: object) -> None:
    f.set_key(node, key, value)


def _new_site(change: Change, column: int) -> str:
    lines = []
    for i, (key, (_, value)) in enumerate(change.fields.items()):
        lead = " " * column + ("- " if i == 0 else "  ")
        if isinstance(value, list):
            lines.append(_block(lead, key, value))
        else:
            lines.append(f"{lead}{key}: {render(value)}\n")
    return "".join(lines)


def _block(lead: str, key: str, items: list[object]) -> str:
    """``key:`` and its items one a line, as the inventory writes uplinks."""
    inner = " " * (len(lead) + 2)
    body = "".join(
        f"{inner}- {render_flow(v) if isinstance(v, dict) else render(v)}\n" for v in items
    )
    return f"{lead}{key}:\n{body}"


def _set_uplink(
    f: YamlFile,
    node: yaml.Node,
    fields: dict[str, object],
    profiles: dict[str, list[dict[str, object]]],
) -> None:
    """The school's first uplink changed: where the site has its own uplinks, in place; else
    the profile's are copied onto the site with the first one changed."""
    uplinks = mapping_get(node, "uplinks")
    if uplinks is not None and isinstance(uplinks[1], yaml.SequenceNode) and uplinks[1].value:
        for key, value in fields.items():
            _set(f, uplinks[1].value[0], key, value)
        return
    profile = mapping_get(node, "profile")
    copied = [dict(u) for u in profiles.get(str(profile[1].value), [])] if profile else []
    copied[0] |= fields
    lead = " " * node.start_mark.column
    f.insert_after_line(last_line(node), _block(lead, "uplinks", list(copied)))


def apply(docs: Documents, plan: Plan) -> None:
    """Record the plan's edits as splices of the documents' texts."""
    profiles = docs.profiles()
    for change in plan.changed:
        f, node = docs.sites[change.code]
        uplink = {k: new for k, (_, new) in change.fields.items() if k in UPLINK}
        for key, (_, new) in change.fields.items():
            if key not in UPLINK:
                _set(f, node, key, new)
        if uplink:
            _set_uplink(f, node, uplink, profiles)
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
