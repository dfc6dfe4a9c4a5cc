"""``edunet apply`` with its defaults, as the README shows it: the runs folder is the relative
``.edunet-runs`` below the working directory, while ansible-runner runs from the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunet import load
from edunet.cli.main import app
from playbooks.rollout.selection import select

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # ansible-playbook --list-hosts: a few seconds
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
    # the plan's listing built the inventory once, in the run's folder: the waves read it
    assert len(list((runs[0] / "inventory" / "cache").glob("*/inventory-*.json"))) == 1
    # and it publishes only the run's selection, not the whole city
    listed = (runs[0] / "inventory" / "hosts").read_text(encoding="utf-8").split()
    q1 = select(load(ROOT / "inventory.yaml"), ["district=q1"]).hosts
    assert listed == list(q1)


def test_a_runs_folder_under_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("not a folder\n", encoding="utf-8")
    runs = tmp_path / "plain" / "runs"
    argv = ["apply", "network.yml", "-i", str(ROOT / "inventory.yaml"), "--plan"]
    result = CliRunner().invoke(app, [*argv, "-l", "district=q1", "--runs-dir", str(runs)])
    assert result.exit_code == 2, result.output
    assert "plain is a file" in result.output and "Traceback" not in result.output
