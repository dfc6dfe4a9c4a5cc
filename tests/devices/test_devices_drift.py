"""Drift: the exact lines with their parent, masked secrets, the report, the metric file."""

from __future__ import annotations

from pathlib import Path

from conftest import FakeFleet
from prometheus_client.parser import text_string_to_metric_families

from playbooks.devices.drift import Drift, check, drift_lines, report, write_metrics

INTENDED = """hostname sw1
!
username ******** privilege 15 secret ********
snmp-server user ******** edunet-ro v3 auth sha ******** priv aes 128 ********
!
vlan 10
 name management
!
interface GigabitEthernet1/0/1
 description USERS lab
 switchport access vlan 10
!
interface GigabitEthernet1/0/2
 description UNUSED
 shutdown
!
end
"""
RUNNING = """Building configuration...

Current configuration : 1234 bytes
!
! Last configuration change at 10:00:00 ICT Mon Nov 3 2025 by netops
version 15.2
hostname sw1
!
username netops privilege 15 secret 9 $9$abc
snmp-server user edunet edunet-ro v3
!
vlan 10
 name management
!
interface GigabitEthernet1/0/1
 description USERS lab
 switchport access vlan 99
!
interface GigabitEthernet1/0/2
 description UNUSED
 shutdown
!
snmp-server location behind edunet's back
!
end
"""


def test_exact_lines_under_their_parent_and_no_secrets() -> None:
    lines = drift_lines("cisco_ios", INTENDED, RUNNING)
    assert lines == [
        " interface GigabitEthernet1/0/1",
        "- switchport access vlan 10",
        "+ switchport access vlan 99",
        "+snmp-server location behind edunet's back",
    ]
    assert not any("$9$" in ln or "********" in ln for ln in lines)
    assert drift_lines("cisco_ios", INTENDED, INTENDED) == []


def test_check_report_and_metrics(fleet: FakeFleet, tmp_path: Path) -> None:
    fleet.devices["q1-sw5"].down = True
    fleet.devices["q1-sw2"].apply(["interface GigabitEthernet1/0/2", "description ROGUE"])
    base = {n: d.render() for n, d in fleet.devices.items()}
    base["q1-sw2"] = base["q1-sw1"].replace("q1-sw1", "q1-sw2")

    def running(t):  # type: ignore[no-untyped-def]
        return fleet(t).running_config()

    drifts = check(fleet.targets(), lambda t: base[t.device], running, workers=2)
    by = {d.device: d for d in drifts}
    assert by["q1-sw2"].lines == [" interface GigabitEthernet1/0/2", "+ description ROGUE"]
    assert by["q1-sw2"].count == 1 and by["q1-sw2"].drifted
    assert not by["q1-sw1"].drifted and by["q1-sw1"].checked
    assert not by["q1-sw5"].checked and "unreachable" in by["q1-sw5"].error
    text = report(drifts)
    assert (
        "q1-sw2 (S2): 1 lines drifted\n   interface GigabitEthernet1/0/2\n  + description ROGUE"
        in text
    )
    assert "q1-sw5 (S5): not checked: unreachable: TCP connection to device failed." in text
    assert text.endswith("5 devices checked: 1 drifted, 3 in line, 1 not checked\n")

    path = tmp_path / "textfile" / "edunet_config_drift.prom"
    write_metrics(path, drifts, now=1700000000.0)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left
    samples = {
        (s.name, s.labels.get("device")): s.value
        for fam in text_string_to_metric_families(path.read_text())
        for s in fam.samples
    }
    assert samples[("edunet_config_drift", "q1-sw2")] == 1
    assert samples[("edunet_config_drift", "q1-sw1")] == 0
    assert samples[("edunet_config_drift_lines", "q1-sw2")] == 1
    assert samples[("edunet_config_check_success", "q1-sw5")] == 0
    assert ("edunet_config_drift", "q1-sw5") not in samples  # unknown, not "in line"
    assert samples[("edunet_config_check_timestamp_seconds", None)] == 1700000000.0
    labels = next(
        s.labels
        for fam in text_string_to_metric_families(path.read_text())
        for s in fam.samples
        if s.name == "edunet_config_drift"
    )
    assert set(labels) == {"device", "site", "district"}


def test_report_bounds_its_lines() -> None:
    d = Drift("sw1", "S1", "760", True, [f"+logging host 10.0.0.{i}" for i in range(300)])
    text = report([d], max_lines=10)
    assert "… 290 more" in text and text.count("+logging") == 10
