"""Broken inventories: one mistake, one problem, at the right place, saying the right thing.

Every case under ``bad/`` is ``data/small.yaml`` with one change; its first two lines say
where the problem must be reported and what its message and fix must contain (see
``bad/README.md``).
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from one_problem import refused_by_validate

import edunet

HERE = Path(__file__).parent
BAD = HERE / "bad"
SMALL = HERE / "data" / "small.yaml"

EXPECT = re.compile(r"^# expect: (?P<line>\d+):(?P<column>\d+) (?P<message>\S.*)$")
FIX = re.compile(r"^# fix: (?P<hint>\S.*)$")

# Cases where the loader's report is not yet what it should be. Each stays a strict xfail
# until the loader is fixed; then the case passes, the xfail fails, and the entry goes.
GAPS: dict[str, str] = {}

# Gaps that also show through the CLI: a traceback, or the problem at the wrong place.
CLI_GAPS = {name: GAPS[name] for name in ()}


@dataclass(frozen=True)
class Case:
    path: Path
    line: int
    column: int
    message: str
    hint: str

    @property
    def name(self) -> str:
        return self.path.stem


def text_of(path: Path) -> str:
    """The file as text; a case of broken encoding keeps its (ASCII) expectation readable,
    and a case saved as UTF-16 is read as UTF-16."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw[1::2].count(0) > len(raw) // 4:
        return raw.decode("utf-16-le")
    if raw[0::2].count(0) > len(raw) // 4:
        return raw.decode("utf-16-be")
    return raw.decode("utf-8", errors="replace")


def read_case(path: Path) -> Case:
    first, second = text_of(path).splitlines()[:2]
    expect, fix = EXPECT.match(first), FIX.match(second)
    if expect is None or fix is None:
        raise ValueError(f"{path.name}: the first two lines must be '# expect: …' and '# fix: …'")
    return Case(
        path,
        int(expect["line"]),
        int(expect["column"]),
        expect["message"].rstrip(),
        fix["hint"].rstrip(),
    )


CASES = [read_case(p) for p in sorted(BAD.glob("*.yaml"))]


def params(gaps: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(strict=True, reason=gaps[c.name])] if c.name in gaps else [],
        )
        for c in CASES
    ]


def formatted(problems: list[edunet.Problem]) -> str:
    return "\n".join(p.format() for p in problems)


# --- the case files themselves -----------------------------------------------------------


def test_enough_cases_with_unique_numbers() -> None:
    assert len(CASES) >= 30
    numbers = [c.name.split("-", 1)[0] for c in CASES]
    assert all(re.fullmatch(r"\d\d", n) for n in numbers), numbers
    assert len(set(numbers)) == len(numbers)


# 52-84: files as office tools and hostile hands make them (control and invisible
# characters, other encodings and line endings, tabs, alias bombs, deep nesting, numbers
# with thousands separators, dates as Excel and day-first writers keep them)
HOSTILE = range(52, 85)


def test_at_least_thirty_hostile_or_office_made_files() -> None:
    hostile = [c for c in CASES if int(c.name.split("-", 1)[0]) in HOSTILE]
    assert len(hostile) >= 30, [c.name for c in hostile]


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", [c for c in CASES if int(c.name.split("-", 1)[0]) in HOSTILE], ids=lambda c: c.name
)
def test_hostile_file_is_refused_within_bounds(case: Case) -> None:
    """Each in a process of its own, bounded as the issue bounds it: 3 GiB, 30 s."""
    output = refused_by_validate(case.path.name, cwd=BAD, seconds=30, memory=3 << 30)
    assert f"{case.path.name}:{case.line}:{case.column}: error: " in output, output


def test_every_gap_names_a_case() -> None:
    names = {c.name for c in CASES}
    assert set(GAPS) <= names
    assert set(CLI_GAPS) <= set(GAPS)


def test_small_yaml_is_valid() -> None:
    edunet.load(SMALL)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case_is_small_yaml_with_one_change(case: Case) -> None:
    original = SMALL.read_text(encoding="utf-8").splitlines()[2:]
    changed = text_of(case.path).splitlines()[2:]
    matcher = difflib.SequenceMatcher(a=original, b=changed, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not changes:  # the one change is in the bytes: the encoding, or the line endings
        assert case.path.read_bytes() != "\n".join(changed).encode("utf-8")
        return
    assert len(changes) == 1, "\n".join(difflib.unified_diff(original, changed, lineterm=""))


# --- loading -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", params(GAPS))
def test_one_mistake_one_problem(case: Case) -> None:
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(case.path)
    problems = info.value.problems
    assert len(problems) == 1, f"expected one problem, got {len(problems)}:\n" + formatted(problems)
    p = problems[0]
    assert (p.file, p.line, p.column) == (str(case.path), case.line, case.column), p.format()
    assert case.message in p.message, p.format()
    assert case.hint in p.hint, p.format()
    assert p.format().startswith(f"{case.path}:{case.line}:{case.column}: error: ")
    assert f"\n    fix: {p.hint}" in p.format()


# --- through the command line --------------------------------------------------------------


@pytest.mark.parametrize("case", params(CLI_GAPS))
def test_cli_validate_exits_2_with_the_place(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = pytest.importorskip("edunet.cli.main")
    from typer.testing import CliRunner

    monkeypatch.chdir(BAD)  # short relative paths in the output
    result = CliRunner().invoke(cli.app, ["validate", case.path.name])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 2, result.output
    assert f"{case.path.name}:{case.line}:{case.column}: error: " in result.output, result.output


def test_python_m_edunet_validate() -> None:
    pytest.importorskip("edunet.cli.main")
    if importlib.util.find_spec("edunet.__main__") is None:
        pytest.skip("no edunet/__main__.py")
    case = next(c for c in CASES if c.name.endswith("unknown-district"))
    output = refused_by_validate(case.path.name, cwd=BAD)
    assert f"{case.path.name}:{case.line}:{case.column}: error: " in output
    assert case.message in output
