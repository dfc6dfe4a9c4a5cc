"""`edunet lab fault link-down`: the topology decides what a cut link takes off the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from edunet.model import Inventory
from lab import addresses, device_faults, errors
from lab import faults as lab_faults


class RecordingFaults:
    """Stands in for the nftables side, which needs root and is tested live elsewhere."""

    def __init__(self) -> None:
        self.blocked: dict[str, list[str]] = {}
        self.cleared: list[str] = []

    def block(self, key: str, addresses: list[object]) -> None:
        self.blocked[key] = [str(a) for a in addresses]

    def clear(self, key: str) -> None:
        self.cleared.append(key)


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> RecordingFaults:
    rec = RecordingFaults()
    monkeypatch.setattr(lab_faults, "net_faults", lambda _: rec)
    return rec


def _single_uplink(inv: Inventory) -> tuple[str, str]:
    """A district office uplink whose loss cuts sites off, and its office."""
    for site in inv.sites.values():
        for link in site.uplinks:
            if site.kind == "district_office" and lab_faults.topology_cuts(inv, link):
                return site.code, link
    raise AssertionError("the sample city has no single-homed district office")


def test_a_sole_uplink_takes_its_office_and_schools_off(
    tmp_path: Path, sample_city: Inventory, faults: RecordingFaults
) -> None:
    office, link = _single_uplink(sample_city)
    cut = lab_faults.link_down(tmp_path, sample_city, link)
    assert office in cut and len(cut) > 1
    assert all(sample_city.sites[c].kind in ("school", "district_office") for c in cut)
    blocked = set(faults.blocked[f"link-down:{link}"])
    for code in cut:
        assert {str(a) for a in addresses.site_addresses(sample_city, code)} <= blocked
    a = sample_city.links[link].a
    rows = [r["key"] for r in device_faults.data_fault_rows(tmp_path)]
    assert rows == [f"port-down:{a.device}:{a.port}"]
    lab_faults.clear_fault(tmp_path, f"link-down:{link}", sample_city)
    assert faults.cleared == [f"link-down:{link}"]
    assert device_faults.data_fault_rows(tmp_path) == []


def test_a_redundant_link_only_takes_its_ports_down(
    tmp_path: Path, sample_city: Inventory, faults: RecordingFaults
) -> None:
    redundant = next(
        lid
        for s in sample_city.sites.values()
        if s.kind == "district_office" and len(s.uplinks) > 1
        for lid in s.uplinks
        if not lab_faults.topology_cuts(sample_city, lid)
    )
    assert lab_faults.link_down(tmp_path, sample_city, redundant) == ()
    assert faults.blocked == {}
    assert len(device_faults.data_fault_rows(tmp_path)) >= 1
    lab_faults.clear_fault(tmp_path, f"link-down:{redundant}", sample_city)
    assert faults.cleared == [] and device_faults.data_fault_rows(tmp_path) == []


def test_unknown_link_names_the_fix(tmp_path: Path, sample_city: Inventory) -> None:
    with pytest.raises(errors.LabError, match="no link 'nope'"):
        lab_faults.link_down(tmp_path, sample_city, "nope")
