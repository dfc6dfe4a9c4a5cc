"""``edunet apply`` with its defaults, as the README shows it: the runs folder is the relative
``.edunet-runs`` below the working directory, while ansible-runner runs from the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunet.cli.main import app

pytestmark = pytest.mark.slow  # ansible-playbook --list-hosts: a few seconds

ROOT = Path(__file__).resolve().parents[2]


def test_plan_with_the_default_runs_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a working directory like a clone's root: the sample inventory under its default name
    shutil.copy(ROOT / "inventory.yaml", tmp_path / "inventory.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EDUNET_RUNS_DIR", raising=False)
    monkeypatch.delenv("EDUNET_INVENTORY", raising=False)
    line = "edunet apply network.yml -l district=q1 --plan"
    result = CliRunner().invoke(app, line.split()[1:])
    assert result.exit_code == 0, result.output
    assert "Unable to find limit file" not in result.output
    assert "wave" in result.output
    runs = list((tmp_path / ".edunet-runs").iterdir())
    assert len(runs) == 1 and (runs[0] / "plan.hosts").is_file()
