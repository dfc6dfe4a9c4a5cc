"""``edunet config push`` and maintenance windows: once the team records windows, a push to a
device no open window covers is refused before any device is reached."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunet import maintenance
from edunet.model import Inventory
from playbooks.cli_config import app

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "core" / "data" / "small.yaml"


def test_push_outside_a_window_is_refused_before_connecting(
    small: Inventory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    windows = tmp_path / "windows.yaml"
    monkeypatch.setenv(maintenance.FILE_ENV, str(windows))
    now = dt.datetime.now(dt.UTC)
    devices = ("79760031-sw1",)
    end = now + dt.timedelta(hours=1)
    maintenance.add(small, "79760031-sw1", devices, now, end, "VLAN 77", "noc", now, windows)
    store = tmp_path / "store"
    argv = ["push", "--intended", "-i", str(SMALL), "--store", str(store)]
    refused = CliRunner().invoke(app, [*argv, "-l", "79760012-sw1,79760031-sw1"])
    assert refused.exit_code == 2, refused.output
    out = " ".join(refused.output.split())
    assert "no open maintenance window covers 1 of 2 devices (79760012-sw1)" in out
    assert "--outside-window" in out
    assert not store.exists()  # nothing backed up: no device was reached
