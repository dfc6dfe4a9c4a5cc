"""One mistake, one problem: whatever refers to a rejected item is not reported again.

Each case makes one change to the committed inventory and counts the problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import edunet

INVENTORY = Path(__file__).parents[2] / "inventory.yaml"


def problems_of(text: str, tmp_path: Path) -> list[edunet.Problem]:
    path = tmp_path / "inventory.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(path)
    return info.value.problems


def report(problems: list[edunet.Problem]) -> str:
    return "\n".join(p.format() for p in problems)


@pytest.fixture(scope="module")
def text() -> str:
    return INVENTORY.read_text(encoding="utf-8")


def test_an_unknown_model_in_a_site_is_not_repeated_by_a_link_to_its_router(
    text: str, tmp_path: Path
) -> None:
    # the Department's router model misspelt: the dark-fibre link to so-gddt-rt2 stays quiet
    start = text.index("  - code: SO-GDDT\n")
    at = text.index("model: ASR1001-X}", start)
    changed = text[:at] + "model: ASR1001-Y}" + text[at + len("model: ASR1001-X}") :]
    problems = problems_of(changed, tmp_path)
    assert len(problems) == 1, report(problems)
    assert "unknown hardware model 'ASR1001-Y'" in problems[0].message


def test_a_missing_data_center_is_one_problem(text: str, tmp_path: Path) -> None:
    start = text.index("  - code: TTDL\n")
    end = text.index("\n  - ", start + 1) + 1
    problems = problems_of(text[:start] + text[end:], tmp_path)
    assert len(problems) == 1, report(problems)
    assert "no datacenter site" in problems[0].message
    assert "'TTDL'" in problems[0].message


def test_an_unknown_uplink_site_named_many_times_is_one_problem(text: str, tmp_path: Path) -> None:
    """The data center renamed: its uplinks all name the old code, one mistake."""
    changed = text.replace("  - code: TTDL\n", "  - code: TT-DL\n", 1)
    problems = problems_of(changed, tmp_path)
    assert len(problems) == 1, report(problems)
    assert "unknown site 'TTDL'" in problems[0].message
    assert "did you mean 'TT-DL'" in problems[0].hint


def test_a_pool_overlap_is_one_problem(text: str, tmp_path: Path) -> None:
    changed, n = re.subn(r"(?m)^(  sites: )10\.128\.0\.0/9", r"\g<1>10.0.0.0/8", text, count=1)
    assert n == 1
    problems = problems_of(changed, tmp_path)
    assert len(problems) == 1, report(problems)
    p = problems[0]
    assert "pool sites 10.0.0.0/8 overlaps" in p.message
    assert all(name in p.message for name in ("management", "loopbacks", "p2p")), p.message


def test_two_pools_overlapping_is_one_problem_at_the_later(text: str, tmp_path: Path) -> None:
    changed = text.replace("loopbacks: 10.16.0.0/15", "loopbacks: 10.32.0.0/15", 1)
    problems = problems_of(changed, tmp_path)
    assert len(problems) == 1, report(problems)
    assert "pool loopbacks 10.32.0.0/15 overlaps pool management" in problems[0].message
