"""``edunet validate -f json|csv`` on an invalid inventory: the problems are the output, on
stdout, in the format asked for (one JSON object, one CSV table), and the exit is 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

BAD = Path(__file__).parent / "bad"
CASE = BAD / "24-unknown-district.yaml"
TEN = Path(__file__).parent / "data" / "ten_mistakes.yaml"


def run(*args: str) -> tuple[int, str]:
    cli = pytest.importorskip("edunet.cli.main")
    from typer.testing import CliRunner

    result = CliRunner().invoke(cli.app, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout


def test_json_lists_the_problems() -> None:
    code, out = run("-f", "json", str(CASE))
    assert code == 2
    data = json.loads(out)
    assert data["valid"] is False
    [problem] = data["problems"]
    assert problem == {
        "file": str(CASE),
        "line": 138,
        "column": 97,
        "message": "site 79760031: unknown district '761'",
        "fix": problem["fix"],
    }
    assert "'760'" in problem["fix"]


def test_json_lists_every_problem() -> None:
    code, out = run("--format", "json", str(TEN))
    assert code == 2
    assert len(json.loads(out)["problems"]) == 10


def test_csv_is_one_table_of_problems() -> None:
    code, out = run("-f", "csv", str(TEN))
    assert code == 2
    assert out.startswith("\ufeff")  # Excel reads it as UTF-8, as every CSV edunet writes
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rows[0] == ["file", "line", "column", "message", "fix"]
    assert len(rows) == 11
    assert all(len(r) == 5 and r[0] == str(TEN) and r[1].isdigit() for r in rows[1:])


def test_json_when_valid_still_says_valid() -> None:
    code, out = run("-f", "json", str(Path(__file__).parent / "data" / "small.yaml"))
    assert code == 0
    assert json.loads(out)["valid"] is True
