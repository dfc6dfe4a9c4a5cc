"""The inventory's YAML text with positions: where each site, key and value is written.

Edits are splices of the text at the positions of the YAML nodes, so everything an edit does
not touch (comments, order, quoting, flow or block style, blank lines) stays byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = ["Splice", "YamlFile", "last_line", "mapping_get", "render", "render_flow"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#]*$")


def render(value: object, flow: bool = False) -> str:
    """One scalar as YAML text: plain when it reads back as itself, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain = (
        _PLAIN.match(text) is not None
        and text == text.strip()
        and ": " not in text
        and not (flow and any(c in text for c in ",[]{}"))
    )
    if plain:
        try:
            plain = yaml.load(text, Loader=_Loader) == text
        except yaml.YAMLError:
            plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def render_flow(values: dict[str, object]) -> str:
    """A mapping on one line, ``{a: 1, b: {c: 2}}``, as the inventory writes records."""
    return "{" + ", ".join(f"{k}: {_flow_value(v)}" for k, v in values.items()) + "}"


def _flow_value(value: object) -> str:
    if isinstance(value, dict):
        return render_flow(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow_value(v) for v in value) + "]"
    return render(value, flow=True)


def construct(node: yaml.Node) -> object:
    """A node's plain value, as the loader reads it."""
    return yaml.constructor.SafeConstructor().construct_document(node)


@dataclass(frozen=True, slots=True)
class Splice:
    start: int  # character offsets in the file's text
    end: int
    text: str


def mapping_get(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return k, v
    return None


def last_line(node: yaml.Node) -> int:
    """The last line (0-based) that holds any of the node's text."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.flow_style is False:
        children = [v for _, v in node.value] if isinstance(node, yaml.MappingNode) else node.value
        if children:
            return last_line(children[-1])
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


@dataclass
class YamlFile:
    path: Path
    text: str
    root: yaml.Node | None
    splices: list[Splice] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list)
    bom: bool = False  # written back as it was read: with its byte-order mark, …
    newline: str = "\n"  # … and its line ends

    @classmethod
    def read(cls, path: Path, data: bytes) -> YamlFile:
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        root = yaml.compose(text, Loader=_Loader)
        starts = [0]
        for m in re.finditer("\n", text):
            starts.append(m.end())
        newline = "\r\n" if "\r\n" in text[: starts[1] if len(starts) > 1 else 0] else "\n"
        return cls(path, text, root, [], starts, bom, newline)

    def line_end(self, line: int) -> int:
        """The offset just after line ``line``'s newline."""
        if line + 1 < len(self._line_starts):
            return self._line_starts[line + 1]
        return len(self.text)

    def splice(self, start: int, end: int, text: str) -> None:
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        self.splices.append(Splice(start, end, text))

    def replace(self, node: yaml.Node, text: str) -> None:
        self.splice(node.start_mark.index, node.end_mark.index, text)

    def insert_after_line(self, line: int, text: str) -> None:
        at = self.line_end(line)
        lead = "" if at == 0 or self.text[at - 1] == "\n" else "\n"
        self.splice(at, at, lead + text)

    def set_key(self, node: yaml.Node, key: str, value: object, after: str | None = None) -> None:
        """Set ``key`` of a mapping to a scalar: its value replaced where it is written, else
        the key added after the key ``after`` when there is one, else at the end (in a
        one-line mapping before its closing brace, in a block mapping on a line of its own)."""
        found = mapping_get(node, key)
        flow = bool(getattr(node, "flow_style", False))
        if found is not None and isinstance(found[1], yaml.ScalarNode):
            self.replace(found[1], render(value, flow=flow))
            return
        anchor = mapping_get(node, after) if after is not None else None
        if flow:
            # a record written on one line: the new key after ``after``, else before the
            # closing brace
            at = anchor[1].end_mark.index if anchor is not None else node.end_mark.index - 1
            self.splice(at, at, f", {key}: {render(value, flow=True)}")
            return
        indent = " " * node.start_mark.column
        line = last_line(anchor[1]) if anchor is not None else last_line(node)
        self.insert_after_line(line, f"{indent}{key}: {render(value)}\n")

    def remove_item(self, node: yaml.Node) -> None:
        """Remove a block sequence's item: the lines from its dash to its last line."""
        start = self._line_starts[node.start_mark.line]
        self.splice(start, self.line_end(last_line(node)), "")

    def edited(self) -> str:
        # one pass over the text, splices in order; inserts at one place keep the order they
        # were made in
        order = sorted(enumerate(self.splices), key=lambda p: (p[1].start, p[0]))
        parts, pos = [], 0
        for _, s in order:
            parts += [self.text[pos : s.start], s.text]
            pos = max(pos, s.end)
        parts.append(self.text[pos:])
        return ("\ufeff" if self.bom else "") + "".join(parts)
