"""The RouterOS filter that keeps school_lan idempotent: only lines the export lacks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "playbooks/plugins/filter/routeros.py"
_spec = importlib.util.spec_from_file_location("edunet_routeros_filter", _PATH)
assert _spec is not None and _spec.loader is not None
routeros = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(routeros)

EXPORT = """# 2026-11-29 by RouterOS 7.14
/interface bridge add name=bridge-lan pvid=99 vlan-filtering=yes comment="LAN 1"
/interface vlan add interface=bridge-lan name=vlan10-staff vlan-id=10
/interface ethernet set [ find default-name=ether2 ] comment="to sw1" disabled=no
/system identity set name=rt1
"""


def test_present_lines_are_not_sent_again() -> None:
    rendered = [
        "/interface vlan add interface=bridge-lan name=vlan10-staff vlan-id=10",
        '/interface ethernet set [ find default-name=ether2 ] disabled=no comment="to sw1"',
        "/system identity set name=rt1",
    ]
    assert routeros.missing_lines(rendered, EXPORT) == []


def test_missing_or_different_lines_are_sent() -> None:
    rendered = [
        "/interface vlan add interface=bridge-lan name=vlan20-pupils vlan-id=20",
        "/system identity set name=rt2",
        "",
        "# a comment",
    ]
    assert routeros.missing_lines(rendered, EXPORT) == rendered[:2]


def test_filter_is_registered() -> None:
    assert "edunet_routeros_missing" in routeros.FilterModule().filters()
