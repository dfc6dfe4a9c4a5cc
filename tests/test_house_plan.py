"""The house plan holds (CONTRIBUTING.md): the core names no unit, units do not import each
other except through the public APIs the plan names, every unit's commands and renderers are
found through entry points, and no source file outgrows one job."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from edunet.cli import main
from edunet.cli.main import app
from edunet.generated import Renderer
from edunet.plugins import COMMANDS, RENDERERS, entry_points_of

ROOT = Path(__file__).parent.parent
UNITS = (
    "exporters",
    "monitors",
    "dashboards",
    "playbooks",
    "api",
    "infra",
    "lab",
    "spreadsheets",
    "reports",
)
# unit -> the other units' modules it may import (their public APIs)
PUBLIC = {
    "dashboards": ("monitors.contract",),
    "api": ("monitors.contract",),
    "lab": ("playbooks.configs",),
    "reports": ("monitors.contract",),
}
MAX_LINES = 500


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from monitors import contract` imports monitors.contract
            out += [f"{node.module}.{a.name}" for a in node.names]
    return out


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_the_core_imports_no_unit() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _sources("edunet")
        for name in _imports(path)
        if name.split(".")[0] in UNITS
    ]
    assert not found


@pytest.mark.parametrize("unit", UNITS)
def test_a_unit_imports_no_other_unit_but_its_public_api(unit: str) -> None:
    allowed = PUBLIC.get(unit, ())
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _sources(unit)
        for name in _imports(path)
        if name.split(".")[0] in UNITS
        and name.split(".")[0] != unit
        and not any(name == a or name.startswith(a + ".") for a in allowed)
    ]
    assert not found


@pytest.mark.parametrize(
    "unit",
    ["exporters", "monitors", "playbooks", "api", "infra", "lab", "spreadsheets", "reports"],
)
def test_each_unit_owns_its_commands(unit: str) -> None:
    assert (ROOT / unit / "cli.py").is_file()
    assert any(ep.value.startswith(f"{unit}.cli") for ep in entry_points_of(COMMANDS))


def test_no_source_file_over_500_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)} ({n} lines)"
        for package in ("edunet", *UNITS, "benchmarks", "tests")
        for path in _sources(package)
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    ]
    assert not long


def test_every_command_entry_point_is_on_the_command_line() -> None:
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    for ep in entry_points_of(COMMANDS):
        assert ep.name in names
        assert isinstance(ep.load(), typer.Typer) or callable(ep.load())


def test_every_renderer_is_a_renderer() -> None:
    found = {ep.name: ep.load() for ep in entry_points_of(RENDERERS)}
    assert set(found) == {"monitors", "dashboards", "configs"}
    assert all(isinstance(r, Renderer) and r.owned_dirs for r in found.values())


def test_a_unit_that_cannot_load_says_why() -> None:
    broken = typer.Typer()
    broken.add_typer(main._unavailable("thing", ImportError("No module named 'x'")), name="thing")
    broken.command("other")(lambda: None)  # two commands, so "thing" stays a group
    result = CliRunner().invoke(broken, ["thing"])
    assert result.exit_code == 1
    assert "edunet thing` is unavailable: No module named 'x'" in result.output


def test_render_names_what_it_cannot_render() -> None:
    result = CliRunner().invoke(app, ["render", "dashbords", "--check"])
    assert result.exit_code == 2
    assert "did you mean 'dashboards'?" in result.output
