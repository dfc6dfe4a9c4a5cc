"""The one reading of configuration text: one table of line patterns, three views, blocks,
RouterOS sections, and one diff for drift and push alike."""

from __future__ import annotations

from playbooks.configs.commands import lines_to_send
from playbooks.configs.text import (
    MASK,
    PATTERNS,
    SECRET_HIDDEN,
    Kind,
    block_list,
    blocks,
    changes,
    compared_lines,
    config_diff,
    config_lines,
    hide_secrets,
    stored_form,
)

IOS = """Building configuration...

Current configuration : 99 bytes
!
version 15.2
no service pad
hostname sw1
username netops privilege 15 secret 9 $9$abc
!
line vty 0 4
 password 7 0822455D0A16
 transport input ssh
!
end
"""


def test_one_table_names_every_kind() -> None:
    assert {p.kind for p in PATTERNS} == set(Kind)
    # every secret row says how its value is hidden
    assert all(SECRET_HIDDEN in p.replacement for p in PATTERNS if p.kind is Kind.secret)


def test_three_views_of_one_text() -> None:
    # as the device holds it: defaults and secrets count (a push that sets them changed it)
    assert config_lines("cisco_ios", IOS) == [
        "no service pad",
        "hostname sw1",
        "username netops privilege 15 secret 9 $9$abc",
        "line vty 0 4",
        " password 7 0822455D0A16",
        " transport input ssh",
    ]
    # as compared with the intended configuration: defaults and secrets out
    assert compared_lines("cisco_ios", IOS) == [
        "hostname sw1",
        "line vty 0 4",
        " transport input ssh",
    ]
    # as stored: only volatile lines out, every secret value hidden
    stored = stored_form(IOS)
    assert stored.startswith("!\nversion 15.2\n") and "$9$" not in stored
    assert f" password {SECRET_HIDDEN}\n" in stored and "0822455D0A16" not in stored


def test_routeros_sections_read_as_the_templates_write() -> None:
    intended = (
        "/interface bridge add name=bridge-lan vlan-filtering=yes\n"
        "/ip address add address=10.35.0.65/26 interface=vlan10\n"
        "/system identity set name=r1\n"
    )
    export = (
        "# 2026-11-29 10:00:00 by RouterOS 7.16\n# software id = ABCD-1234\n"
        "/interface bridge\nadd name=bridge-lan \\\n    vlan-filtering=yes\n"
        "/ip address\nadd address=10.35.0.65/26 interface=vlan10\n"
        "/system identity\nset name=r1\n"
    )
    assert not config_diff("mikrotik_routeros", intended, export).drifted
    moved = export.replace("vlan10", "vlan20")
    assert config_diff("mikrotik_routeros", intended, moved).lines == (
        "-/ip address add address=10.35.0.65/26 interface=vlan10",
        "+/ip address add address=10.35.0.65/26 interface=vlan20",
    )


def test_a_routeros_secret_under_a_section_is_hidden_too() -> None:
    export = "/snmp community\nadd name=public addresses=10.0.0.0/8\n/ppp secret\nadd password=pw\n"
    assert hide_secrets(export) == (
        f"/snmp community\nadd {SECRET_HIDDEN}\n/ppp secret\nadd password={SECRET_HIDDEN}\n"
    )
    assert compared_lines("mikrotik_routeros", export) == []
    # `config diff` hides a stored copy again: that changes nothing
    assert stored_form(stored_form(export)) == stored_form(export)
    assert stored_form(stored_form(IOS)) == stored_form(IOS)
    # a line that looks like a section header shields no IOS secret
    assert hide_secrets("/ banner text\nenable secret 9 $9$x") == (
        f"/ banner text\nenable secret {SECRET_HIDDEN}"
    )


def test_blocks_keep_order_and_count_a_sub_line_once() -> None:
    lines = ["interface Gi1/0/1", " shutdown", "!", "interface Gi1/0/1", " shutdown", " mtu 9000"]
    assert block_list(lines) == [
        ("interface Gi1/0/1", [" shutdown"]),
        ("!", []),
        ("interface Gi1/0/1", [" shutdown", " mtu 9000"]),
    ]
    assert blocks(lines) == {"interface Gi1/0/1": [" shutdown", " mtu 9000"], "!": []}


def test_push_and_drift_read_the_same_difference() -> None:
    before = "hostname sw1\n!\ninterface Gi1/0/1\n shutdown\n!\nend\n"
    after = "hostname sw1\n!\ninterface Gi1/0/1\n no shutdown\n!\nno service pad\nend\n"
    diff = changes("cisco_ios", before, after)
    assert diff.lines == (
        " interface Gi1/0/1",
        "- shutdown",
        "+ no shutdown",
        "+no service pad",  # a default, yet the push changed it: the device must save
    )
    # drift reads the same tree, without the default
    assert config_diff("cisco_ios", before, after).lines == diff.lines[:3]


def test_a_push_shows_no_secret_and_sends_no_credential() -> None:
    diff = changes("cisco_ios", "hostname sw1\n", "hostname sw1\nenable secret 9 $9$xyz\n")
    assert diff.count == 1 and diff.hidden() == [f"+enable secret {SECRET_HIDDEN}"]
    intended = (
        f"enable secret {MASK}\nsnmp-server host 10.0.0.9 version 3 priv {MASK}\nhostname sw1\n"
    )
    assert lines_to_send("cisco_ios", intended, "hostname sw1\n") == []
    # with the store's values filled in, a credential line is still never sent
    filled = "enable secret s3cret\nusername netops privilege 15 secret s3cret\nhostname sw1\n"
    assert lines_to_send("cisco_ios", filled, "hostname sw1\n") == []
