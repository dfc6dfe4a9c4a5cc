"""The YAML loader of inventories, and the first pass of a load straight from parser events.

Composing a node tree first costs about 45 bytes of tree for every byte of YAML (every
value is a node with two marks): 840 MB for an 18,000-school city, freed only after the
values are built. The first pass of a load (:func:`edunet.load.load`) places nothing, so it
builds the values from the parser's events instead, holding one event at a time. Anything
out of the ordinary for an inventory (anchors and aliases, merge keys, explicit tags, keys
other than plain names, a key given twice, deep nesting, more than one document) makes it
give up: the file is then composed as before, and the limits and problems are found there.
"""

from __future__ import annotations

import unicodedata
from sys import intern
from typing import Any

import yaml

from edunet.load_text import MAX_DEPTH

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"

# the safe loader's implicit tags by a scalar's first character, as PyYAML resolves them
_IMPLICIT = {k: tuple(v) for k, v in _SafeLoader.yaml_implicit_resolvers.items()}
assert None not in _IMPLICIT and not _SafeLoader.yaml_path_resolvers  # what we assume


class Loader(_SafeLoader):
    """The safe loader with a quicker tag resolution for scalars, the parser's hot spot
    (two million calls in an 18,000-school city): the same tags as PyYAML's, given that
    the safe loader has no path resolvers and no resolvers for any first character."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            return _tag(value, implicit[0])
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


def _tag(value: str, plain: bool) -> str:
    if plain:
        for tag, regexp in _IMPLICIT.get(value[:1], ()):
            if regexp.match(value):
                return str(tag)
    return STR


class Unusual(Exception):
    """The file holds something the event pass leaves to the composed tree."""


def scalar_value(loader: Any, tag: str, value: str, node: Any) -> Any:
    """A scalar's Python value, as the first pass has always made it; ``node`` is made by
    the caller when needed (``None``: make one)."""
    if tag == STR:
        # one spelling of Vietnamese for search and comparison: "ệ" typed on a Mac
        # (e + two combining marks) is the same name as "ệ" typed on Windows
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if tag == INT:
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            pass  # "0755"-style or sexagesimal: leave it to PyYAML
    try:
        return loader.construct_object(node)
    except ValueError:
        # e.g. 2018-02-30 looks like a date but is none: hand the schema the text,
        # which then says what is wrong with it, at this position
        return value


def values_from_events(loader: Any) -> Any:
    """The document's values built from the parser's events; raises :class:`Unusual`."""
    get = loader.get_event
    if not isinstance(get(), yaml.StreamStartEvent):
        raise Unusual
    if not isinstance(get(), yaml.DocumentStartEvent):
        raise Unusual  # an empty file: reported by the composed path
    scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    # per open collection: [the dict or list, the key waiting for its value, is a mapping]
    stack: list[list[Any]] = []
    same: dict[str, str] = {}
    tags: dict[str, str] = {}  # of plain scalars, by their text
    made: dict[str, Any] = {}  # the values of plain scalars other than strings, by their text
    while True:
        event = get()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise Unusual
            text = event.value
            if event.implicit[0]:  # plain: the tag follows from the text alone
                tag = tags.get(text)
                if tag is None:
                    tag = tags[text] = _tag(text, True)
            else:
                tag = STR
            top = stack[-1] if stack else None
            if top is not None and top[2] and top[1] is None:  # a mapping's key
                if tag != STR or text in top[0]:
                    raise Unusual  # names only, each once
                top[1] = intern(text)
                continue
            if tag == STR and text.isascii():
                # one string for each repeated value (roles, models, media: most of a city)
                value: Any = same.setdefault(text, text)
            elif tag != STR and text in made:  # dates and numbers repeat too; all immutable
                value = made[text]
            else:
                node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
                value = scalar_value(loader, tag, text, node)
                loader.constructed_objects.pop(node, None)  # kept by PyYAML for aliases
                if tag != STR:
                    made[text] = value
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise Unusual
            if len(stack) + 1 >= MAX_DEPTH:
                raise Unusual
            stack.append([{}, None, True] if kind is mapping_start else [[], None, False])
            continue
        elif kind in ends:
            value = stack.pop()[0]
        else:
            raise Unusual  # an alias, or the document ending where it cannot
        if not stack:
            if not isinstance(get(), yaml.DocumentEndEvent):
                raise Unusual
            if not isinstance(get(), yaml.StreamEndEvent):
                raise Unusual  # a second document: reported by the composed path
            return value
        top = stack[-1]
        if top[2]:
            top[0][top[1]] = value
            top[1] = None
        else:
            top[0].append(value)
