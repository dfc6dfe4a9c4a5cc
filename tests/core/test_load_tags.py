"""The loader's quicker tag resolution gives every scalar the tag PyYAML's safe loader does."""

from __future__ import annotations

import yaml

from edunet.load_fast import Loader as _Loader

SCALARS = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "y",
    "n",
    "0",
    "-1",
    "+7",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "190:20:30",
    "1.5",
    "-.inf",
    ".NaN",
    "1e3",
    "6.8523015e+5",
    "2018-02-30",
    "2014-09-01",
    "2001-12-14t21:59:43.10-05:00",
    "10.0.0.1",
    "10.0.0.0/8",
    "<<",
    "=",
    "!x",
    "&x",
    "*x",
    "TTDL",
    "Trường THPT Lê Quý Đôn",
    "'1'",
    '"yes"',
    "no way",
    "1 2",
    "0755",
    "VNPT",
    "access",
    "o",
    "Off-site",
]


def _tags(text: str, loader: type) -> list[str]:
    node = yaml.compose(text, Loader=loader)
    assert isinstance(node, yaml.MappingNode)
    return [n.tag for pair in node.value for n in pair]


def test_every_scalar_has_the_safe_loaders_tag() -> None:
    lines = [f"k{i}: {s}" for i, s in enumerate(SCALARS) if not s.startswith(("!", "&", "*"))]
    lines += [
        "b: |\n  block 1\n",
        "{yes: 1, 2: on, ~: x}: [1, yes, '2', ~]",
        "x: !!str 1",
        "y: !!int '2'",
    ]
    text = "\n".join(lines) + "\n"
    assert _tags(text, _Loader) == _tags(text, yaml.CSafeLoader)
    sequence = "[" + ", ".join(s for s in SCALARS if s and s[0] not in "!&*=<") + "]"
    ours = [n.tag for n in yaml.compose(sequence, Loader=_Loader).value]
    assert ours == [n.tag for n in yaml.compose(sequence, Loader=yaml.CSafeLoader).value]


def _composed(text: str) -> object:
    from edunet.errors import Problems
    from edunet.load import Source, _ValueBuilder

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return _ValueBuilder(Source(files=["x"]), 0, Problems(), loader).build(node, ())
    finally:
        loader.dispose()


def test_the_event_pass_builds_what_the_composed_tree_does() -> None:
    from pathlib import Path

    from edunet.load_fast import values_from_events

    root = Path(__file__).resolve().parents[2]
    text = (root / "inventory.yaml").read_text(encoding="utf-8")
    text += "x_dates: [2014-09-01, 2018-02-30, 1.5, 0x1F, 0755, ~, yes, 'Trươ\u0300ng']\n"
    loader = _Loader(text)
    try:
        assert values_from_events(loader) == _composed(text)
    finally:
        loader.dispose()


def test_the_event_pass_leaves_the_unusual_to_the_composed_tree() -> None:
    import pytest

    from edunet.load_fast import Unusual, values_from_events

    for text in (
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "<<: {a: 1}\n",
        "1: x\n",
        "a: !!str 1\n",
        "",
        "a: 1\n---\nb: 2\n",
        "[" * 70 + "]" * 70 + "\n",
    ):
        loader = _Loader(text)
        try:
            with pytest.raises(Unusual):
                values_from_events(loader)
        finally:
            loader.dispose()
