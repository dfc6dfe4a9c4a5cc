"""Hostile inventories are refused quickly, at a place: alias bombs, huge files, deep nesting.

The limits are constants in :mod:`edunet.load_text`, documented in docs/inventory.md."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from one_problem import only_problem, refused_by_validate

import edunet
from edunet.load_text import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES

SMALL = Path(__file__).parent / "data" / "small.yaml"


def alias_bomb(levels: int, width: int) -> str:
    """``levels`` anchors, each a list of ``width`` aliases of the one before."""
    lines = ["a: &a [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        prev, cur = f"l{i - 1}" if i > 1 else "a", f"l{i}"
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_a_nine_level_alias_bomb_is_refused_in_under_two_seconds(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(9, 10), encoding="utf-8")
    started = time.perf_counter()
    p = only_problem(path)
    assert time.perf_counter() - started < 2.0
    assert f"more than {MAX_VALUES:,} values" in p.message
    # the first alias of the first anchor already over the limit: l6 = [*l5, ...]
    assert (p.line, p.column) == (7, 10), p.format()


def test_the_bomb_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(12, 12), encoding="utf-8")
    started = time.perf_counter()
    output = refused_by_validate(path)
    assert time.perf_counter() - started < 30
    assert f"{path}:" in output and "aliases expand" in output


def test_aliases_within_the_limit_still_load(tmp_path: Path) -> None:
    plain = tmp_path / "inventory.yaml"
    plain.write_bytes(SMALL.read_bytes())
    before = edunet.load(plain)
    uplink = "{to: district, isp: VNPT, medium: metronet, bandwidth_mbps: 100}"
    text = SMALL.read_text(encoding="utf-8")
    assert text.count(uplink) == 2
    text = text.replace(uplink, "&school-uplink " + uplink, 1).replace(
        "[" + uplink, "[*school-uplink"
    )
    assert text.count("*school-uplink") == 1
    plain.write_text(text, encoding="utf-8")
    assert edunet.load(plain) == before


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.write(SMALL.read_bytes())
        f.write(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    started = time.perf_counter()
    p = only_problem(path)
    assert time.perf_counter() - started < 2.0
    assert "over the limit" in p.message and f"{MAX_FILE_BYTES:,}" in p.message
    # at the first byte past the limit: the padding lines are 10 bytes each
    lines = SMALL.read_bytes().count(b"\n")
    padding = MAX_FILE_BYTES - len(SMALL.read_bytes())
    assert (p.line, p.column) == (lines + padding // 10 + 1, padding % 10 + 1), p.format()


def test_a_file_over_the_size_limit_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"edunet: 1\n" + b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    output = refused_by_validate(path)
    column = MAX_FILE_BYTES - len(b"edunet: 1\n") + 1
    assert f"{path}:2:{column}: error: the file is" in output, output


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 999])
def test_deep_nesting_is_refused_without_a_traceback(depth: int, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "{a: " * depth + "1" + "}" * depth + "\n", encoding="utf-8")
    p = only_problem(path)
    assert p.line == 1 and p.column > 1
    assert f"more than {MAX_DEPTH} levels" in p.message


def test_nesting_at_the_limit_is_not_refused_for_depth(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    depth = MAX_DEPTH - 2  # the document and the key "a" are two levels
    path.write_text("a: " + "[" * depth + "1" + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(path)  # not an inventory, but nothing about depth
    assert not [p for p in info.value.problems if "levels deep" in p.message]


def test_values_written_out_do_not_count_against_the_alias_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large city written out in full (the 18,000-school growth city is 2.2 million
    values) is not an alias bomb: only what aliases add counts."""
    import yaml

    from edunet import load_limits

    monkeypatch.setattr(load_limits, "MAX_VALUES", 50)
    text = "a: [" + ", ".join(["1"] * 200) + "]\nb: &b [1, 2]\n"
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert load_limits.tree_problem(node, text, "big.yaml", yaml.CSafeLoader) is None
    bomb = text + "c: [" + ", ".join(["*b"] * 30) + "]\n"
    node = yaml.compose(bomb, Loader=yaml.CSafeLoader)
    p = load_limits.tree_problem(node, bomb, "big.yaml", yaml.CSafeLoader)
    assert p is not None and "aliases expand to more than 50 values" in p.message
