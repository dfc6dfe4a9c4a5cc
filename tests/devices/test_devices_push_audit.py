"""``config push`` and ``config backup`` against two of Quận 12's simulated switches, one of
which rejects configuration: the audit lines say who, which devices, the one rolled back,
and the store's commit; no line holds the login."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.lab_login import fresh_login
from typer.testing import CliRunner

from edunet.model import Inventory
from lab import device_faults, state
from lab.ssh import start
from playbooks.cli_config import app

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "inventory.yaml"


@pytest.fixture
def two_switches(
    sample_city: Inventory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[list[str], dict[str, str]]]:
    names = sorted(
        d.name
        for d in sample_city.devices.values()
        if d.district == "761"
        and d.platform.name == "cisco_ios"
        and d.role.value == "access_switch"
    )[:2]
    login, port = fresh_login(monkeypatch, EDUNET_ADDRESS_MAP="10.0.0.0/8=127.0.0.0/8")
    lab = tmp_path / "lab"
    lab.mkdir()
    device_faults.config_reject(lab, names[1])
    with start(CITY, devices=names, port=port, faults=state.faults_path(lab), duration=300):
        yield names, login


def test_push_and_backup_leave_their_outcome(
    two_switches: tuple[list[str], dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names, login = two_switches
    log = tmp_path / "audit.jsonl"
    roles = tmp_path / "roles.yaml"
    roles.write_text("operators:\n  lan:\n    reach: {districts: [q12]}\n", encoding="utf-8")
    for k, v in {"EDUNET_AUDIT_LOG": log, "EDUNET_ROLES": roles, "EDUNET_OPERATOR": "lan"}.items():
        monkeypatch.setenv(k, str(v))
    lines = tmp_path / "lines.txt"
    lines.write_text("vlan 77\n name audited\n", encoding="utf-8")
    store = tmp_path / "store"
    common = ["-l", ",".join(names), "-i", str(CITY), "--store", str(store), "-f", "json"]
    runner = CliRunner()
    pushed = runner.invoke(app, ["push", "--lines", str(lines), *common])
    assert pushed.exit_code == 1, pushed.output  # the rejecting one failed, rolled back
    backed = runner.invoke(app, ["backup", *common])
    assert backed.exit_code == 0, backed.output

    got: list[dict[str, Any]] = [json.loads(x) for x in log.read_text().splitlines()]
    assert [(x["what"], x["outcome"]) for x in got] == [
        ("config push", "started"),
        ("config push", "failed"),
        ("config backup", "started"),
        ("config backup", "ok"),
    ]
    assert all(x["who"] == "lan" and x["devices"] == names for x in got)
    assert got[1]["detail"] == f"1 changed, 1 failed; rolled back: {names[1]}"
    assert got[1]["artifacts"].startswith(f"{store}@")  # the commit after the push
    assert got[3]["artifacts"] == str(store)  # nothing new to commit
    text = log.read_text()
    assert login["EDUNET_SSH_NETOPS_PASSWORD"] not in text
    assert login["EDUNET_SSH_NETOPS_ENABLE"] not in text
