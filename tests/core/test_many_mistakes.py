"""Many mistakes are reported in one run, and a city split over files loads as one."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

import edunet

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small.yaml"
TEN = DATA / "ten_mistakes.yaml"

MARK = re.compile(r"# mistake \(col (?P<column>\d+)\): (?P<message>\S.*)$")


def formatted(problems: list[edunet.Problem]) -> str:
    return "\n".join(p.format() for p in problems)


def marked_mistakes(path: Path) -> list[tuple[int, int, str]]:
    """(line, column, message part) of every line closed by a 'mistake (col N): …' comment."""
    out = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = MARK.search(text)
        if m is not None:
            out.append((number, int(m["column"]), m["message"].rstrip()))
    return out


# --- ten mistakes, one run ---------------------------------------------------------------


def test_ten_mistakes_are_marked() -> None:
    assert len(marked_mistakes(TEN)) == 10


def test_ten_mistakes_all_reported_in_one_load() -> None:
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(TEN)
    problems = info.value.problems
    report = formatted(problems)
    for line, column, message in marked_mistakes(TEN):
        here = [p for p in problems if p.line == line]
        assert len(here) == 1, f"line {line}: expected one problem in\n{report}"
        p = here[0]
        assert (p.file, p.column) == (str(TEN), column), p.format()
        assert message in p.message, p.format()
        assert p.hint, p.format()
    assert len(problems) == 10, report
    assert problems == sorted(problems, key=lambda p: (p.file, p.line, p.column))


def test_error_text_lists_every_problem() -> None:
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(TEN)
    text = str(info.value)
    for line, column, _ in marked_mistakes(TEN):
        assert f"{TEN}:{line}:{column}: error: " in text


# --- a city split over a directory of files ------------------------------------------------


def split_small(directory: Path) -> list[Path]:
    """small.yaml as three files: everything but the sites, the sites of 760, those of 785.

    The text is cut, not re-dumped, so every line stays as written in small.yaml.
    """
    lines = SMALL.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("sites:\n")
    end = lines.index("applications:\n")
    items: list[list[str]] = []
    for text in lines[start + 1 : end]:
        if text.startswith("  - "):
            items.append([])
        items[-1].append(text)
    by_district: dict[str, list[str]] = {"760": [], "785": []}
    for item in items:
        (site,) = yaml.safe_load("".join(item))
        by_district[site["district"]].extend(item)
    assert all(by_district.values())
    files = [
        (directory / "00-city.yaml", lines[:start] + lines[end:]),
        (directory / "10-district-760.yaml", ["sites:\n", *by_district["760"]]),
        (directory / "20-district-785.yaml", ["sites:\n", *by_district["785"]]),
    ]
    for path, text in files:
        path.write_text("".join(text), encoding="utf-8")
    return [path for path, _ in files]


def test_directory_loads_like_the_single_file(tmp_path: Path) -> None:
    files = split_small(tmp_path)
    whole = edunet.load(SMALL)
    split = edunet.load(tmp_path)
    assert split.sources == tuple(str(p) for p in files)
    assert dataclasses.replace(split, sources=()) == dataclasses.replace(whole, sources=())
    # same content, the sites in the order of the files
    assert sorted(split.sites) == sorted(whole.sites)
    assert list(split.sites)[-2:] == ["PGD-BINH-CHANH", "79785007"]
    assert split.devices == whole.devices
    assert split.links == whole.links


def line_of(path: Path, text: str) -> tuple[int, int]:
    """Line and column of the one occurrence of ``text``; a '|' in it marks the column."""
    before, _, after = text.rpartition("|")
    whole = before + after
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [
        (n, line.index(whole) + len(before) + 1)
        for n, line in enumerate(lines, start=1)
        if whole in line
    ]
    assert len(hits) == 1, (path, text, hits)
    return hits[0]


@pytest.mark.parametrize(
    ("index", "old", "new", "at", "message"),
    [
        pytest.param(
            1,
            "    profile: tieu-hoc\n",
            "    profile: tieu_hoc\n",
            "profile: |tieu_hoc",
            "unknown profile 'tieu_hoc'",
            id="second-file-reference",
        ),
        pytest.param(
            2,
            "pupils: 1210}",
            "pupil: 1210}",
            "pupil:",
            "unknown field 'pupil'",
            id="third-file-schema",
        ),
        pytest.param(
            0,
            "segment: dmz, node: ttdl-srv2}",
            "segment: dmzz, node: ttdl-srv2}",
            "dmzz",
            "unknown segment 'dmzz'",
            id="first-file-after-sites",
        ),
    ],
)
def test_error_in_one_file_names_that_file_and_line(
    tmp_path: Path, index: int, old: str, new: str, at: str, message: str
) -> None:
    files = split_small(tmp_path)
    broken = files[index]
    text = broken.read_text(encoding="utf-8")
    assert text.count(old) == 1
    broken.write_text(text.replace(old, new), encoding="utf-8")
    line, column = line_of(broken, at)
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(tmp_path)
    problems = info.value.problems
    assert len(problems) == 1, formatted(problems)
    p = problems[0]
    assert (p.file, p.line, p.column) == (str(broken), line, column), p.format()
    assert message in p.message
    assert p.format().startswith(f"{broken}:{line}:{column}: error: ")


def test_single_section_given_twice_names_both_files(tmp_path: Path) -> None:
    files = split_small(tmp_path)
    extra = tmp_path / "30-extra.yaml"
    extra.write_text("# a second ip_plan\nip_plan:\n  management: 10.64.0.0/11\n", encoding="utf-8")
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(tmp_path)
    problems = info.value.problems
    assert len(problems) == 1, formatted(problems)
    p = problems[0]
    first_line, _ = line_of(files[0], "ip_plan:")
    assert (p.file, p.line, p.column) == (str(extra), 2, 1), p.format()
    assert f"{files[0]}:{first_line}" in p.message
