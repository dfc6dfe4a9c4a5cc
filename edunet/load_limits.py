"""Bounds on a parsed YAML tree before it is turned into values.

An alias repeats its anchor's whole subtree: nine nested levels of ten aliases each are a
billion values from a file of a few hundred bytes. Only what aliases add is counted: values
written out are bounded by the file size, and a large city is millions of them. The tree
is measured once, counting each distinct node once (linear in the file), and refused
before anything is expanded.
The limits are documented in docs/inventory.md, "Limits".
"""

from __future__ import annotations

from typing import Any

import yaml

from edunet.errors import Problem
from edunet.load_text import MAX_DEPTH, MAX_VALUES


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node):
        self.node = node


def _measure(root: yaml.Node) -> int:
    """Values the aliases add to the tree (those it expands to, less those written out);
    raises :class:`_TooDeep` past :data:`MAX_DEPTH`."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded values, levels below)
    written = 0

    def visit(node: yaml.Node, level: int) -> tuple[int, int]:
        if level > MAX_DEPTH:
            raise _TooDeep(node)
        nonlocal written
        known = sizes.get(id(node))
        if known is not None:
            if level + known[1] > MAX_DEPTH:
                raise _TooDeep(node)
            return known
        size, height = 1, 0
        written += 1
        if isinstance(node, yaml.MappingNode):
            children: list[Any] = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        for child in children:
            if isinstance(child, yaml.ScalarNode):
                size += 1
                written += 1
                continue
            s, h = visit(child, level + 1)
            size += s
            height = max(height, h + 1)
        sizes[id(node)] = (size, height)
        return size, height

    return visit(root, 1)[0] - written


def _largest_alias(text: str, loader: type[Any]) -> tuple[int, int]:
    """Line and column of the alias that repeats the most: the one to remove."""
    parser = loader(text)
    try:
        # values each anchor stands for, counted on the events (aliases as their size)
        counts: dict[str, int] = {}
        open_: list[tuple[str | None, int]] = []  # (anchor, values so far) per collection
        best, where = -1, (0, 0)
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append((event.anchor, 1))
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = open_.pop()
                if anchor:
                    counts[anchor] = size
            elif isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor:
                    counts[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                size = counts.get(event.anchor or "", 1)
                mark = event.start_mark
                if size > best and mark is not None:
                    best = size
                    where = (mark.line + 1, mark.column + 1)
            else:
                continue
            if open_:
                anchor, total = open_[-1]
                open_[-1] = (anchor, min(total + size, MAX_VALUES + 1))
        return where
    finally:
        parser.dispose()


def tree_problem(root: yaml.Node, text: str, file: str, loader: type[Any]) -> Problem | None:
    """A problem when the tree is nested too deep or its aliases expand too far."""
    try:
        values = _measure(root)
    except _TooDeep as e:
        m = e.node.start_mark
        return Problem(
            file,
            m.line + 1,
            m.column + 1,
            f"nested more than {MAX_DEPTH} levels deep",
            "an inventory needs a handful of levels; check the brackets and indentation",
        )
    if values <= MAX_VALUES:
        return None
    line, column = _largest_alias(text, loader)
    return Problem(
        file,
        line,
        column,
        f"YAML aliases expand to more than {MAX_VALUES:,} values",
        "an alias repeats its anchor's whole value; write the values out, or use fewer aliases",
    )
