"""Change windows in the core: times as people write them, the windows file, which windows are
open and cover which devices, planned work over a period, and the rule for changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from edunet import maintenance
from edunet.maintenance import LOCAL, WindowError, parse_time, planned, refusal
from edunet.model import Inventory
from edunet.select import select

NOW = dt.datetime(2026, 12, 8, 3, 0, tzinfo=dt.UTC)  # 10:00 in Ho Chi Minh City
H = dt.timedelta(hours=1)


def _add(
    inv: Inventory, path: Path, selection: str, start: dt.datetime, end: dt.datetime
) -> maintenance.Window:
    devices = select(inv, selection).devices
    return maintenance.add(inv, selection, devices, start, end, "thay switch", "an", NOW, path)


def test_times_as_people_write_them() -> None:
    assert parse_time("now", NOW) == NOW
    assert parse_time("+90m", NOW) == NOW + 1.5 * H
    assert parse_time("+2h", NOW, base=NOW + H) == NOW + 3 * H
    assert parse_time("+1d", NOW) == NOW + 24 * H
    local = parse_time("2026-12-12 22:00", NOW)
    assert local.utcoffset() == dt.timedelta(hours=7)
    assert local.astimezone(dt.UTC) == dt.datetime(2026, 12, 12, 15, 0, tzinfo=dt.UTC)
    assert parse_time("2026-12-12T15:00Z", NOW) == local
    assert parse_time("2026-12-12T22:00+07:00", NOW) == local
    # a time of day alone is today's, in the city's time
    assert parse_time("22:00", NOW) == dt.datetime(2026, 12, 8, 22, 0, tzinfo=LOCAL)
    for bad in ("tomorrow", "25:00", "+2w", ""):
        with pytest.raises(WindowError):
            parse_time(bad, NOW)


def test_a_window_is_recorded_with_what_its_selection_named(
    small: Inventory, tmp_path: Path
) -> None:
    path = tmp_path / "state" / "windows.yaml"
    w = _add(small, path, "site=79760012", NOW, NOW + 2 * H)
    assert (w.id, w.selection, w.sites, w.reason, w.who) == (
        "1",
        "site=79760012",
        ("79760012",),
        "thay switch",
        "an",
    )
    assert sorted(w.devices) == ["79760012-ap1", "79760012-ap2", "79760012-rt1", "79760012-sw1"]
    assert w.start.tzinfo is not None and w.ended is None and w.silences == ()
    w2 = _add(small, path, "79760031-sw1,pgd-q1-sw1", NOW + H, NOW + 3 * H)
    assert w2.id == "2" and set(w2.sites) == {"79760031", "PGD-Q1"}
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Maintenance windows") and "+07:00" in text
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    again = maintenance.load(path)
    assert list(again) == [w, w2]  # times read back equal, whatever their offset


@pytest.mark.parametrize(
    ("start", "end", "reason", "says"),
    [
        (NOW, NOW - H, "x", "before it starts"),
        (NOW - 3 * H, NOW - H, "x", "in the past"),
        (NOW, NOW + H, "  ", "reason"),
    ],
)
def test_a_window_that_cannot_be(
    small: Inventory, tmp_path: Path, start: dt.datetime, end: dt.datetime, reason: str, says: str
) -> None:
    devices = select(small, "site=79760012").devices
    with pytest.raises(WindowError, match=says):
        maintenance.add(
            small, "site=79760012", devices, start, end, reason, "an", NOW, tmp_path / "w"
        )
    assert not (tmp_path / "w").exists()


def test_open_covering_and_planned(small: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    school = _add(small, path, "site=79760012", NOW, NOW + 2 * H)
    later = _add(small, path, "site=79785007", NOW + 5 * H, NOW + 6 * H)
    windows = maintenance.load(path)
    assert windows.open_windows(NOW + H) == [school]
    assert windows.open_windows(NOW + 2 * H) == []  # the end is not inside
    assert windows.covering(["79760012-sw1", "79760031-sw1"], NOW) == [school]
    assert windows.covering(["79760031-sw1"], NOW) == []
    assert windows.uncovered(["79760031-sw1", "79760012-sw1"], NOW) == ["79760031-sw1"]
    day = (NOW - 10 * H, NOW + 14 * H)
    assert planned(*day, path=path) == [school, later]
    assert planned(NOW + 3 * H, NOW + 4 * H, path=path) == []
    assert windows.get("2") == later
    with pytest.raises(WindowError, match="no maintenance window '9'"):
        windows.get("9")


def test_ending_a_window(small: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    school = _add(small, path, "site=79760012", NOW, NOW + 2 * H)
    coming = _add(small, path, "site=79785007", NOW + 5 * H, NOW + 6 * H)
    ended = maintenance.end(school.id, NOW + H, path)
    assert ended.ended == NOW + H and ended.until == NOW + H
    assert ended.state(NOW + 1.5 * H) == "ended early"
    assert not maintenance.load(path).open_windows(NOW + 1.5 * H)
    with pytest.raises(WindowError, match="over already"):
        maintenance.end(school.id, NOW + 1.5 * H, path)
    # one called off before it starts is no planned work at all
    maintenance.end(coming.id, NOW + H, path)
    assert [w.id for w in planned(NOW, NOW + 24 * H, path=path)] == [school.id]


def test_the_rule_for_changes(
    small: Inventory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.yaml"
    devices = ["79760012-sw1", "79760031-sw1", "79760031-rt1"]
    monkeypatch.delenv(maintenance.REQUIRED_ENV, raising=False)
    # a team that never recorded a window is not held
    assert refusal(small, devices, NOW, path) is None
    monkeypatch.setenv(maintenance.REQUIRED_ENV, "1")
    said = refusal(small, devices, NOW, path)
    assert said is not None and "no open maintenance window covers 3 of 3 devices" in said
    monkeypatch.delenv(maintenance.REQUIRED_ENV)
    _add(small, path, "site=79760012", NOW, NOW + 2 * H)
    said = refusal(small, devices, NOW, path)
    assert said is not None
    assert "covers 2 of 3 devices (79760031-sw1, 79760031-rt1)" in said
    assert "in 1 site(s): 79760031 (2)" in said and "--outside-window" in said
    assert refusal(small, devices[:1], NOW, path) is None
    assert refusal(small, devices[:1], NOW + 3 * H, path) is not None  # the window is over


def test_the_file_from_the_environment_and_a_broken_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "elsewhere.yaml"
    monkeypatch.setenv(maintenance.FILE_ENV, str(path))
    assert maintenance.store_path() == path
    monkeypatch.delenv(maintenance.FILE_ENV)
    assert maintenance.store_path() == Path("maintenance-windows.yaml")
    path.write_text("windows:\n- id: '1'\n  colour: red\n", encoding="utf-8")
    with pytest.raises(WindowError, match="not a maintenance windows file"):
        maintenance.load(path)
