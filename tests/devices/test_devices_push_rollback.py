"""Rollback computation and the push job against a fake device."""

from __future__ import annotations

from pathlib import Path

from conftest import FakeFleet

from playbooks.configs import config_diff
from playbooks.configs.commands import additions, command_lines, revert_commands
from playbooks.configs.text import changes
from playbooks.devices.pool import Status
from playbooks.devices.push import push
from playbooks.devices.store import GitStore

BEFORE = """hostname sw1
!
vlan 10
 name management
!
interface Gi1/0/1
 switchport access vlan 10
!
snmp-server location Q1
!
end
"""
AFTER = """hostname sw1
!
vlan 10
 name management
!
vlan 70
 name cams
!
interface Gi1/0/1
 switchport access vlan 70
!
logging host 10.0.0.9
!
end
"""


def test_revert_negates_what_was_added_and_restores_what_was_removed() -> None:
    assert revert_commands("cisco_ios", BEFORE, AFTER) == [
        "no vlan 70",
        "interface Gi1/0/1",
        "no switchport access vlan 70",
        "switchport access vlan 10",
        "exit",
        "no logging host 10.0.0.9",
        "snmp-server location Q1",
    ]
    assert revert_commands("cisco_ios", BEFORE, BEFORE) == []


def test_negated_lines_revert_to_the_positive_form() -> None:
    before = "interface Gi1/0/2\n shutdown\n"
    after = "interface Gi1/0/2\n no shutdown\n"
    assert revert_commands("cisco_ios", before, after) == ["interface Gi1/0/2", "shutdown", "exit"]


def test_changes_and_missing_commands() -> None:
    # as a tree, as drift compares: the push's order and the device's carry no meaning
    assert changes("cisco_ios", BEFORE, AFTER).lines == (
        " interface Gi1/0/1",
        "- switchport access vlan 10",
        "+ switchport access vlan 70",
        "-snmp-server location Q1",
        "+vlan 70",
        "+ name cams",
        "+logging host 10.0.0.9",
    )
    # what the intended AFTER adds to a device running BEFORE (its extra lines stay)
    assert additions(config_diff("cisco_ios", AFTER, BEFORE)) == [
        "vlan 70",
        "name cams",
        "interface Gi1/0/1",
        "switchport access vlan 70",
        "logging host 10.0.0.9",
    ]
    assert changes("cisco_ios", "Building configuration...\n" + BEFORE, BEFORE).lines == ()


def test_command_lines_drop_comments_and_indentation() -> None:
    text = "# cameras\nvlan 70\n name cams\n!\n\ninterface Gi1/0/5\n  switchport access vlan 70\n"
    assert command_lines(text) == [
        "vlan 70",
        "name cams",
        "interface Gi1/0/5",
        "switchport access vlan 70",
    ]


LINES = ["vlan 70", "name cams", "interface GigabitEthernet1/0/2", "switchport access vlan 70"]


def test_push_saves_changes_and_rolls_back_a_rejected_device(
    fleet: FakeFleet, tmp_path: Path
) -> None:
    fleet.devices["q1-sw4"].down = True
    bad = fleet.devices["q1-sw2"]
    before_bad = bad.render()

    def lines_for(target, running):  # type: ignore[no-untyped-def]
        return [*LINES, "frobnicate"] if target.device == "q1-sw2" else LINES

    store = GitStore(tmp_path / "store")
    run = push(fleet.targets(), fleet, lines_for, store, workers=3)
    by = {r.device: r for r in run.rows}
    assert by["q1-sw1"].status is Status.changed and fleet.devices["q1-sw1"].saved
    assert by["q1-sw4"].status is Status.unreachable
    row = by["q1-sw2"]
    assert row.status is Status.failed
    assert "rejected: frobnicate" in row.error and "rolled back" in row.error
    assert row.value is not None and row.value.left_over == []
    assert row.value.rollback == [
        "interface GigabitEthernet1/0/2",
        "no switchport access vlan 70",
        "exit",
        "no vlan 70",
    ]
    assert not changes("cisco_ios", before_bad, bad.render()).lines and bad.saved is None
    # a second push changes nothing and saves nothing more
    fleet.devices["q1-sw1"].saved = None
    again = push(fleet.targets()[:1], fleet, lambda t, r: LINES, store)
    assert again.rows[0].status is Status.ok and fleet.devices["q1-sw1"].saved is None
    # the store has the state before and after: two commits, the push names its devices
    assert run.before_commit is not None and run.after_commit is not None
    log = store.history("760", "q1-sw1")
    assert [c.subject for c in log] == [
        "push: 3 of 5 devices changed, 2 failed",
        "backup before push: 4 of 5 devices changed, 2 failed",
    ]
    # every session opened was closed
    assert all(d.closed == d.opened for d in fleet.devices.values())


def test_a_device_already_in_line_gets_nothing(fleet: FakeFleet) -> None:
    run = push(fleet.targets()[:2], fleet, lambda t, r: [], None)
    assert [r.status for r in run.rows] == [Status.ok, Status.ok]
    assert all(not d.sent for d in fleet.devices.values())
