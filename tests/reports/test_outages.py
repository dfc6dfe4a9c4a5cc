"""Root causes and availability from down steps, without a server: the sample city, a
district office and the schools it cuts down together, one school alone, a planned hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from edunet import maintenance
from edunet.model import Inventory, SiteKind
from edunet.topology import topology_of
from reports.outages import Grid, attribute
from reports.planned import Planned, recorded

START = datetime(2026, 11, 1, tzinfo=UTC)
GRID = Grid(START.timestamp(), 60.0, 1440)  # one day


def test_an_office_outage_counts_once_and_a_lone_school_is_its_own(sample_city: Inventory) -> None:
    office = next(s.code for s in sample_city.sites.values() if s.kind is SiteKind.district_office)
    cut = topology_of(sample_city).impact(office).sites_cut
    alone = next(s.code for s in sample_city.schools() if s.code not in cut)
    down = {code: range(100, 160) for code in cut}
    down[alone] = list(range(600, 720))
    outcome = attribute(sample_city, GRID, down, [])
    assert [(o.cause, o.cause_kind, len(o.sites)) for o in outcome.outages] == [
        (office, "district_office", len(cut)),
        (alone, "site", 1),
    ]
    assert outcome.outages[0].duration_s == 3600
    assert outcome.sites[alone].availability == 1 - 120 / 1440


def test_planned_time_is_listed_apart_and_left_out(sample_city: Inventory) -> None:
    school = sample_city.schools()[0].code
    window = Planned(
        frozenset({school}), START + timedelta(hours=2), START + timedelta(hours=4), "nâng cấp"
    )
    outcome = attribute(sample_city, GRID, {school: range(150, 180)}, [window])
    assert outcome.outages == ()
    assert [(o.sites, o.reason, o.duration_s) for o in outcome.planned] == [
        ((school,), "nâng cấp", 1800)
    ]
    assert outcome.sites[school].availability == 1.0
    assert outcome.sites[school].planned_s == 7200


def test_a_window_recorded_with_edunet_maintenance_is_left_out(
    sample_city: Inventory, tmp_path: Path
) -> None:
    """The acceptance's third leg: the window `edunet maintenance add` records on one school
    is the planned time the report leaves out of that school's availability, and only its."""
    school, other = (s.code for s in sample_city.schools()[:2])
    store = tmp_path / "windows.yaml"
    devices = sample_city.sites[school].devices
    maintenance.add(
        sample_city,
        f"site={school}",
        devices,
        START + timedelta(hours=2),
        START + timedelta(hours=4),
        "thay switch",
        "an",
        now=START,
        path=store,
    )
    windows = recorded(START, START + timedelta(days=1), store)
    assert [(w.sites, w.reason) for w in windows] == [(frozenset({school}), "thay switch")]
    down = {school: range(150, 180), other: range(150, 180)}
    outcome = attribute(sample_city, GRID, down, windows)
    assert outcome.sites[school].availability == 1.0
    assert outcome.sites[other].availability == 1 - 30 / 1440
    assert recorded(START + timedelta(days=1), START + timedelta(days=2), store) == []
