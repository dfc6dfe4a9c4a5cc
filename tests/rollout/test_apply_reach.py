"""An operator limited to Quận 12 (a roles file, ``EDUNET_OPERATOR``) on the sample city:
``edunet apply network.yml -l district=q1 --commit`` is refused before ansible-runner is
asked anything; ``-l district=q12 --commit`` runs against the lab's simulated switches.
Both leave audit lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from support.lab_login import fresh_login
from typer.testing import CliRunner

from edunet.model import Inventory
from playbooks.cli import apply

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "inventory.yaml"


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(apply)

    @app.callback()
    def _root() -> None: ...

    return app


@pytest.fixture
def q12_operator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Lan, limited to Quận 12; the audit log's path."""
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        "operators:\n  lan:\n    name: Nguyễn Thị Lan\n    reach: {districts: [q12]}\n"
        "  noc:\n    reach: city\n",
        encoding="utf-8",
    )
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("EDUNET_ROLES", str(roles))
    monkeypatch.setenv("EDUNET_OPERATOR", "lan")
    monkeypatch.setenv("EDUNET_AUDIT_LOG", str(log))
    return log


def _lines(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _apply(tmp_path: Path, *args: str) -> Any:
    argv = ["apply", "network.yml", "-i", str(CITY), "--runs-dir", str(tmp_path / "runs"), *args]
    return CliRunner().invoke(_cli(), argv, catch_exceptions=False)


def test_out_of_reach_is_refused_before_ansible_runs(
    q12_operator: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ansible_runner

    def no_ansible(*_a: object, **_k: object) -> None:
        raise AssertionError("ansible-runner was invoked for a refused change")

    monkeypatch.setattr(ansible_runner, "run", no_ansible)
    result = _apply(tmp_path, "-l", "district=q1", "--commit")
    assert result.exit_code == 2, result.output
    out = " ".join(result.output.split())
    assert "lan may change only district 761; out of reach: 79760002-ap1" in out
    assert not (tmp_path / "runs").exists()  # not even the run's folder
    (line,) = _lines(q12_operator)
    assert line["who"] == "lan" and line["outcome"] == "refused"
    assert line["what"] == "apply network.yml --commit" and line["limit"] == "district=q1"
    assert "pgd-q1-rt1" in line["devices"] and "out of reach" in line["detail"]


def test_check_mode_stays_open(
    q12_operator: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --commit nothing changes: no reach asked, no audit line (--plan lists hosts
    through ansible-runner, which the refusal above never reaches)."""
    result = _apply(tmp_path, "-l", "site=79760002", "--plan")
    assert result.exit_code == 0, result.output
    assert not q12_operator.exists()


def test_an_operator_the_roles_file_does_not_list_changes_nothing(
    q12_operator: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUNET_OPERATOR", "mallory")
    result = _apply(tmp_path, "-l", "district=q12", "--commit")
    assert result.exit_code == 2
    assert "operator 'mallory' is not in" in " ".join(result.output.split())
    assert [(x["who"], x["outcome"]) for x in _lines(q12_operator)] == [("mallory", "refused")]


@pytest.fixture
def q12_switches(sample_city: Inventory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Quận 12's Cisco IOS devices as simulated switches on a free port."""
    from lab.ssh import start

    login, port = fresh_login(monkeypatch, EDUNET_LAB="true")
    names = [
        d.name
        for d in sample_city.devices.values()
        if d.district == "761" and d.platform.name == "cisco_ios" and d.ssh is not None
    ]
    with start(CITY, devices=names, port=port, duration=600) as switches:
        yield names, login, switches


@pytest.mark.integration
@pytest.mark.slow
def test_within_reach_runs_and_both_leave_audit_lines(
    q12_operator: Path, q12_switches: Any, tmp_path: Path, sample_city: Inventory
) -> None:
    names, login, _switches = q12_switches
    refused = _apply(tmp_path, "-l", "district=q1", "--commit")
    assert refused.exit_code == 2
    # one wave, every failure tolerated: the lab simulates no RouterOS router, whose
    # failures are the run's outcome, not a refusal; the management section is beyond it
    result = _apply(
        tmp_path,
        "-l",
        "district=q12",
        "--commit",
        "--waves",
        "all",
        "--max-fail",
        "100",
        "--skip-tags",
        "management",
    )
    assert result.exit_code in (0, 1), result.output
    (run_dir,) = (tmp_path / "runs").iterdir()
    summary = json.loads((run_dir / "summary.json").read_text())
    status = {r["host"]: r["status"] for r in summary["hosts"]}
    assert all(status[n] == "changed" for n in names if n in status), status
    assert sum(n in status for n in names) >= 10

    lines = _lines(q12_operator)
    assert [x["outcome"] for x in lines[:2]] == ["refused", "started"]
    started, ended = lines[1], lines[2]
    assert ended["outcome"] in ("ok", "failed") and ended["change"] == started["change"]
    assert started["who"] == ended["who"] == "lan"
    assert started["artifacts"] == ended["artifacts"] == str(run_dir)
    assert set(started["devices"]) == set(status)
    assert all(sample_city.devices[d].district == "761" for d in started["devices"])
    text = q12_operator.read_text(encoding="utf-8")
    for value in (login["EDUNET_SSH_NETOPS_PASSWORD"], login["EDUNET_SSH_NETOPS_ENABLE"]):
        assert value not in text
