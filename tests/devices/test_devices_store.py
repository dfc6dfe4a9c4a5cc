"""The git store, the backup run and its commit message, ``config diff``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import FakeFleet
from typer.testing import CliRunner

from playbooks.cli_config import app
from playbooks.configs.text import strip_volatile
from playbooks.devices.backup import backup, commit_message, stored_diff
from playbooks.devices.pool import Row, Status
from playbooks.devices.store import GitStore


def test_strip_volatile_keeps_configuration_only() -> None:
    text = (
        "\r\nBuilding configuration...\r\n\r\nCurrent configuration : 1234 bytes\r\n"
        "! Last configuration change at 10:00:00 ICT Mon Nov 3 2025 by netops\r\n"
        "!\r\nhostname sw1\r\nntp clock-period 36028797\r\nend  \r\n\r\n"
    )
    assert strip_volatile(text) == "!\nhostname sw1\nend\n"
    assert strip_volatile("") == ""


def test_store_commits_only_changes(tmp_path: Path) -> None:
    store = GitStore(tmp_path / "s")
    store.init()
    assert store.write("760", "sw1", "hostname sw1\n") is True
    assert store.write("760", "sw1", "Building configuration...\nhostname sw1\n") is False
    first = store.commit("backup: 1 of 1 devices changed\n")
    assert first is not None and (tmp_path / "s/760/sw1.cfg").read_text() == "hostname sw1\n"
    assert store.commit("nothing\n") is None
    store.write("760", "sw1", "hostname sw1\nsnmp-server location Q1\n")
    second = store.commit("backup: 1 of 1 devices changed\n")
    assert second and second != first
    assert store.show("760", "sw1", first) == "hostname sw1\n"
    assert store.show("760", "sw2") is None
    assert [c.sha for c in store.history("760", "sw1")] == [second, first]


def test_backup_run_message_lists_changes_and_failures(fleet: FakeFleet, tmp_path: Path) -> None:
    fleet.devices["q1-sw3"].down = True
    store = GitStore(tmp_path / "store")
    run = backup(fleet.targets(), fleet, store, workers=2, who="netops@noc")
    assert run.commit is not None
    assert sorted(run.changed) == ["q1-sw1", "q1-sw2", "q1-sw4", "q1-sw5"]
    assert {r.device: r.status for r in run.rows}["q1-sw3"] is Status.unreachable
    subject, _, body = run.message.partition("\n\n")
    assert subject == "backup: 4 of 5 devices changed, 1 failed"
    assert "changed: q1-sw1, q1-sw2, q1-sw4, q1-sw5" in body
    assert "q1-sw3: unreachable: TCP connection to device failed." in body
    assert "run by netops@noc at " in body
    log = subprocess.run(
        ["git", "-C", str(store.root), "log", "--format=%an|%B"], capture_output=True, text=True
    ).stdout
    assert log.startswith("edunet|backup: 4 of 5 devices changed, 1 failed")
    # nothing changed: no commit, the failure still reported
    again = backup(fleet.targets(), fleet, store)
    assert again.commit is None and again.changed == []
    assert "1 failed" in again.message.splitlines()[0]
    # a change: one commit naming the one device; diff shows the exact line
    fleet.devices["q1-sw2"].apply(["snmp-server contact noc@hcm.edu.vn"])
    third = backup(fleet.targets(), fleet, store)
    assert third.changed == ["q1-sw2"]
    assert third.message.startswith("backup: 1 of 5 devices changed, 1 failed\n\nchanged: q1-sw2")
    target = next(t for t in fleet.targets() if t.device == "q1-sw2")
    diff = stored_diff(store, target, None, None)
    assert [d for d in diff if d[:1] in "+-" and d[:3] not in ("+++", "---")] == [
        "+snmp-server contact noc@hcm.edu.vn",
        "+!",
    ]


def test_commit_message_is_bounded() -> None:
    rows: list[Row[None]] = [Row(f"sw{i}", Status.failed, "rejected", 0.1) for i in range(60)]
    msg = commit_message("backup", rows, [f"sw{i}" for i in range(30)], "a@b", "2025-01-01")
    assert msg.splitlines()[0] == "backup: 30 of 60 devices changed, 60 failed"
    assert "and 10 more" in msg and "… and 10 more" in msg
    assert msg.endswith("run by a@b at 2025-01-01\n")


def test_config_diff_command(fleet: FakeFleet, tmp_path: Path, small_inventory: Path) -> None:
    import edunet

    inv = edunet.load(small_inventory)
    dev = next(d for d in inv.devices.values() if d.platform.name == "cisco_ios")
    store = GitStore(tmp_path / "store")
    store.init()
    store.write(dev.district, dev.name, "hostname x\nvlan 10\n")
    old = store.commit("backup: 1 of 1 devices changed\n")
    store.write(dev.district, dev.name, "hostname x\nvlan 10\nvlan 20\n")
    store.commit("backup: 1 of 1 devices changed\n")
    runner = CliRunner()
    args = ["diff", dev.name, "--store", str(store.root), "-i", str(small_inventory)]
    res = runner.invoke(app, args)
    assert res.exit_code == 1, res.output
    assert "+vlan 20" in res.output and f"{dev.name}@{old[:12]}" in res.output  # type: ignore[index]
    res = runner.invoke(app, [*args, "HEAD"])
    assert res.exit_code == 0 and res.output == ""
    res = runner.invoke(
        app, ["diff", "nope", "--store", str(store.root), "-i", str(small_inventory)]
    )
    assert res.exit_code == 2


def test_secret_values_never_reach_the_store(tmp_path: Path) -> None:
    store = GitStore(tmp_path / "s")
    store.init()
    config = (
        "hostname sw1\n"
        "username netops privilege 15 secret 9 $9$abcdefgh$ijklmnop\n"
        "enable secret 9 $9$qrstuvwx\n"
        "snmp-server community Pub1icRO RO\n"
        "end\n"
    )
    assert store.write("760", "sw1", config) is True
    stored = (tmp_path / "s" / "760" / "sw1.cfg").read_text()
    assert stored == (
        "hostname sw1\n"
        "username netops privilege 15 secret <secret hidden>\n"
        "enable secret <secret hidden>\n"
        "snmp-server community <secret hidden>\n"
        "end\n"
    )
