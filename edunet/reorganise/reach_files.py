"""The reach of API tokens and operators follows a reorganisation: in a tokens or roles file
(YAML or JSON), every ``reach: {districts: [...]}`` naming a removed unit names the unit it
went to, edited in place so the rest of the file stays byte for byte."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

from edunet.yaml_text import YamlFile, mapping_get

__all__ = ["ReachEdit", "rewrite_reach"]

ReachEdit = tuple[str, str, str]  # (where, old code, new code)


def _reaches(node: yaml.Node) -> Iterator[yaml.Node]:
    """Every ``districts`` list under a ``reach`` key, anywhere in the document."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "reach":
                found = mapping_get(value, "districts")
                if found is not None and isinstance(found[1], yaml.SequenceNode):
                    yield found[1]
            else:
                yield from _reaches(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _reaches(item)


def rewrite_reach(
    path: Path, data: bytes, renamed: Mapping[str, str]
) -> tuple[bytes, list[ReachEdit]]:
    """The file with old unit codes replaced (a code named twice after it is kept once), and
    what was replaced, by line."""
    f = YamlFile.read(path, data)
    edits: list[ReachEdit] = []
    for seq in _reaches(f.root) if f.root is not None else ():
        seen: set[str] = set()
        for item in seq.value:
            if not isinstance(item, yaml.ScalarNode):
                continue
            old = str(item.value)
            new = renamed.get(old, old)
            where = f"{path}:{item.start_mark.line + 1}"
            flow = bool(getattr(seq, "flow_style", False))
            if new in seen and not flow:
                f.remove_item(item)
                edits.append((where, old, new))
                continue
            if new in seen:  # a one-line list: the item and the comma before it
                start = f.text.rfind(",", 0, item.start_mark.index)
                f.splice(start, item.end_mark.index, "")
                edits.append((where, old, new))
                continue
            seen.add(new)
            if new != old:
                # JSON's string syntax is YAML's too, so one spelling serves both files
                f.replace(item, json.dumps(new) if item.style or not new.isdigit() else new)
                edits.append((where, old, new))
    return f.edited().encode("utf-8"), edits
