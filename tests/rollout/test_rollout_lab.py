"""``edunet apply`` against simulated Cisco IOS switches (``lab.ssh``): a staged
rollout with one switch that rejects configuration (the lab's config-reject fault).

The small city has 10 Cisco IOS devices in 7 sites; with ``--waves 1,2`` the plan is a
canary school, 2 schools, the 2 district offices (4 devices), the Department, the data
center. pgd-q1-sw1 rejects every configuration line, so wave 3 fails 1 device of 4 (25 %):
above ``--max-fail 20`` the rollout stops there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from support.lab_login import fresh_login
from typer.testing import CliRunner

from lab import device_faults, state
from lab.ssh import RunningSwitches, start
from playbooks.cli import apply

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "core" / "data" / "small.yaml"
PLAY = Path(__file__).parent / "vlan_rollout.yml"
REJECTING = "pgd-q1-sw1"


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(apply)

    @app.callback()
    def _root() -> None: ...

    return app


class Lab:
    def __init__(self, switches: RunningSwitches, login: dict[str, str], state_dir: Path):
        self.switches = switches
        self.login = login
        self.state_dir = state_dir

    def vlans(self, device: str) -> str:
        from netmiko import ConnectHandler

        host, port = self.switches.address(device)
        with ConnectHandler(
            device_type="cisco_ios",
            host=host,
            port=port,
            username=self.login["EDUNET_SSH_NETOPS_USER"],
            password=self.login["EDUNET_SSH_NETOPS_PASSWORD"],
            secret=self.login["EDUNET_SSH_NETOPS_ENABLE"],
            fast_cli=True,
            conn_timeout=20,
        ) as session:
            session.enable()
            return str(session.send_command("show vlan brief"))


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Lab]:
    login, port = fresh_login(monkeypatch, EDUNET_LAB="true")
    state_dir = tmp_path / "lab"
    state_dir.mkdir()
    device_faults.config_reject(state_dir, REJECTING)  # before the start: on from the first login
    switches = start(
        SMALL,
        port=port,
        faults=state.faults_path(state_dir),
        duration=300,
        log=tmp_path / "switches.log",
    )
    try:
        yield Lab(switches, login, state_dir)
    finally:
        switches.stop()


def _apply(tmp_path: Path, *args: str) -> Any:
    argv = ["apply", str(PLAY), "-i", str(SMALL), "--runs-dir", str(tmp_path / "runs"), *args]
    return CliRunner().invoke(_cli(), argv, catch_exceptions=False)


def _no_secret_on_disk(root: Path, lab: Lab) -> None:
    values = [lab.login["EDUNET_SSH_NETOPS_PASSWORD"], lab.login["EDUNET_SSH_NETOPS_ENABLE"]]
    files = [p for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "command" for p in files)  # ansible-runner's environment dump
    for path in files:
        data = path.read_bytes()
        assert not any(v.encode() in data for v in values), f"a secret in {path}"


def test_staged_rollout_stops_at_the_threshold(lab: Lab, tmp_path: Path) -> None:
    result = _apply(
        tmp_path, "--limit", "platform=cisco_ios", "--commit", "--waves", "1,2", "--max-fail", "20"
    )
    out = result.output
    assert result.exit_code == 2, out  # stopped at the threshold
    assert "stop: 1 of 4 devices failed in wave 3 (25% > 20%)" in out
    # live progress, one line per host and event
    assert "w1 79760012-sw1" in out and "changed" in out
    failed = [line for line in out.splitlines() if f"w3 {REJECTING}" in line and "failed" in line]
    assert failed and "Invalid input detected" in failed[0]

    import json

    runs = list((tmp_path / "runs").iterdir())
    assert len(runs) == 1
    summary = json.loads((runs[0] / "summary.json").read_text())
    rows = {r["host"]: r for r in summary["hosts"]}
    assert summary["exit_code"] == 2
    assert [w["status"] for w in summary["waves"]] == [
        "successful",
        "successful",
        "failed",
        "not run",
        "not run",
    ]
    # the others in the failing wave were applied: its other site, and its own site's router
    for host in ("pgd-q1-rt1", "pgd-binh-chanh-rt1", "pgd-binh-chanh-sw1"):
        assert rows[host]["status"] == "changed", rows[host]
    assert rows[REJECTING]["status"] == "failed"
    assert "% Invalid input detected" in rows[REJECTING]["error"]
    assert {h for h, r in rows.items() if r["status"] == "not run"} == {
        "so-gddt-rt1",
        "so-gddt-sw1",
        "ttdl-rt1",
    }
    # what the switches say
    assert "rollout" in lab.vlans("pgd-binh-chanh-sw1")
    assert "rollout" in lab.vlans("79760012-sw1")
    assert "rollout" not in lab.vlans(REJECTING)
    assert "rollout" not in lab.vlans("so-gddt-sw1")
    _no_secret_on_disk(tmp_path / "runs", lab)


def test_check_mode_shows_the_diff_and_changes_nothing(lab: Lab, tmp_path: Path) -> None:
    result = _apply(tmp_path, "--limit", "site=79785007")
    out = result.output
    assert result.exit_code == 0, out
    assert "79785007-sw1" in out and "changed" in out
    assert "+ vlan 77" in out  # what the change would push
    assert "rollout" not in lab.vlans("79785007-sw1")
    _no_secret_on_disk(tmp_path / "runs", lab)


def test_commit_runs_inside_a_maintenance_window_only(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once windows are recorded, ``--commit`` on a school no open window covers is refused
    before Ansible starts; a window on the school lets it run, without ``--outside-window``."""
    import datetime as dt

    from edunet import load, maintenance
    from edunet.select import select

    windows = tmp_path / "windows.yaml"
    monkeypatch.setenv(maintenance.FILE_ENV, str(windows))
    inv, now = load(SMALL), dt.datetime.now(dt.UTC)

    def window(selection: str) -> None:
        devices = select(inv, selection).devices
        hour = dt.timedelta(hours=1)
        maintenance.add(inv, selection, devices, now, now + hour, "VLAN 77", "noc", now, windows)

    window("site=79760031")  # another school's: the team records windows now
    refused = _apply(tmp_path, "--limit", "site=79760012", "--commit")
    assert refused.exit_code == 2, refused.output
    assert "no open maintenance window covers 4 of 4 devices" in refused.output
    assert "79760012-sw1" in refused.output and "--outside-window" in refused.output
    assert not (tmp_path / "runs").exists()  # no run folder: Ansible never started
    # asked for, outside a window: planned (Ansible lists the hosts), not refused
    asked = _apply(tmp_path, "--limit", "site=79760012", "--commit", "--outside-window", "--plan")
    assert asked.exit_code == 0, asked.output

    window("site=79760012")
    result = _apply(tmp_path, "--limit", "site=79760012", "--commit")
    assert result.exit_code == 0, result.output
    assert "79760012-sw1" in result.output and "changed" in result.output
    assert "rollout" in lab.vlans("79760012-sw1")
