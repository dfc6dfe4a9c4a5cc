"""Procurement views: the small city checked by hand, filters and reports on the sample city."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest

from edunet import procurement as p
from edunet.model import HardwareStatus, Inventory
from edunet.schema import DeviceRole, SchoolLevel

ON = dt.date(2026, 1, 1)


def by_serial(rows: list[p.HardwareRow]) -> dict[str, p.HardwareRow]:
    return {r.serial: r for r in rows}


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2024, 11, 15), 3, dt.date(2025, 2, 15)),
        (dt.date(2024, 5, 5), 0, dt.date(2024, 5, 5)),
    ],
)
def test_add_months_clamps_to_the_last_day(day: dt.date, months: int, expected: dt.date) -> None:
    assert p.add_months(day, months) == expected


def test_age_counts_completed_years() -> None:
    bought = dt.date(2018, 8, 15)
    assert p.age_years(bought, dt.date(2026, 8, 14)) == 7
    assert p.age_years(bought, dt.date(2026, 8, 15)) == 8
    assert p.age_years(bought, dt.date(2017, 1, 1)) == 0


def test_refresh_is_due_at_end_of_life_or_end_of_support(small: Inventory) -> None:
    rec = small.devices["79760012-rt1"].hardware
    assert rec is not None
    model = small.models["RB750Gr3"]  # life 6 years, no end of support
    assert p.refresh_due(rec, model) == dt.date(2024, 8, 15)
    earlier = dataclasses.replace(model, end_of_support=dt.date(2022, 12, 31))
    assert p.refresh_due(rec, earlier) == dt.date(2022, 12, 31)
    later = dataclasses.replace(model, end_of_support=dt.date(2030, 1, 1))
    assert p.refresh_due(rec, later) == dt.date(2024, 8, 15)


# --- rows of the small city, checked by hand ---------------------------------------------


def test_small_city_rows_by_hand(small: Inventory) -> None:
    rows = by_serial(p.hardware_rows(small, ON))
    assert set(rows) == {"CN7XK12", "HEX7A1B2C3"}
    srv = rows["CN7XK12"]
    assert (srv.model, srv.vendor, srv.role) == ("PowerEdge R740", "Dell", DeviceRole.server)
    assert (srv.site, srv.site_name) == ("TTDL", "Trung tâm dữ liệu ngành Giáo dục")
    assert (srv.district, srv.district_name, srv.level) == ("760", "Quận 1", None)
    assert srv.device == "ttdl-srv1"
    assert srv.purchased == dt.date(2019, 6, 1)
    assert srv.age_years == 6
    assert srv.warranty_end == dt.date(2024, 6, 1)
    assert srv.end_of_support is None
    assert srv.refresh_due == dt.date(2025, 6, 1)  # 2019-06-01 + 6 years
    assert (srv.cost_vnd, srv.price_vnd) == (185_000_000, 185_000_000)
    assert srv.contract == "HĐ 12/2019/HĐ-SGDĐT"

    rt = rows["HEX7A1B2C3"]
    assert (rt.model, rt.vendor, rt.role) == ("RB750Gr3", "MikroTik", DeviceRole.router)
    assert (rt.site, rt.site_name) == ("79760012", "Trường Tiểu học Lê Ngọc Hân")
    assert rt.level is SchoolLevel.tieu_hoc
    assert rt.status is HardwareStatus.in_service
    assert rt.age_years == 7
    assert rt.refresh_due == dt.date(2024, 8, 15)
    assert (rt.cost_vnd, rt.price_vnd) == (1_650_000, 1_650_000)


def test_small_city_warranty_window(small: Inventory) -> None:
    rows = p.hardware_rows(small, dt.date(2024, 1, 1))
    on = dt.date(2024, 1, 1)
    # the server's warranty ends 2024-06-01: inside 5 months (inclusive), outside 4
    assert [r.serial for r in p.warranty_expiring(rows, on, 5)] == ["CN7XK12"]
    assert p.warranty_expiring(rows, on, 4) == []
    # the router's ended in 2020: only with the expired ones, and first (soonest)
    with_expired = p.warranty_expiring(rows, on, 6, include_expired=True)
    assert [r.serial for r in with_expired] == ["HEX7A1B2C3", "CN7XK12"]


def test_small_city_forecast_by_hand(small: Inventory) -> None:
    rows = p.hardware_rows(small, ON)
    plan = p.forecast(rows, 2024, 3)
    assert [(f.year, f.count, f.cost_vnd, f.overdue) for f in plan] == [
        (2024, 1, 1_650_000, 0),
        (2025, 1, 185_000_000, 0),
        (2026, 0, 0, 0),
    ]
    # from 2026 both are overdue and carried into the first year
    (first,) = p.forecast(rows, 2026, 1)
    assert (first.count, first.cost_vnd, first.overdue) == (2, 186_650_000, 2)
    # due after the horizon: left out
    assert p.forecast(rows, 2020, 2)[0].count == 0
    split = p.forecast(rows, 2024, 3, by_district=True)
    assert [(f.year, f.district, f.district_name, f.count) for f in split] == [
        (2024, "760", "Quận 1", 1),
        (2025, "760", "Quận 1", 1),
    ]


def test_forecast_needs_a_year(small: Inventory) -> None:
    with pytest.raises(ValueError, match="at least one year"):
        p.forecast(p.hardware_rows(small, ON), 2026, 0)


# --- the sample city -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def city_rows(sample_city: Inventory) -> list[p.HardwareRow]:
    return p.hardware_rows(sample_city, ON)


def test_one_row_per_record_in_order(
    sample_city: Inventory, city_rows: list[p.HardwareRow]
) -> None:
    assert [r.serial for r in city_rows] == [h.serial for h in sample_city.hardware()]
    first = city_rows[0]
    assert (first.device, first.model, first.purchased) == (
        "so-gddt-rt1",
        "ASR1001-X",
        dt.date(2017, 9, 9),
    )
    assert first.refresh_due == dt.date(2025, 9, 9)  # life 8 years
    assert (first.cost_vnd, first.price_vnd) == (548_824_000, 620_000_000)


def test_end_of_support_shortens_life(city_rows: list[p.HardwareRow]) -> None:
    old = [r for r in city_rows if r.model == "CISCO1941"]
    assert old
    for r in old:
        assert r.end_of_support == dt.date(2022, 12, 31)
        assert r.refresh_due == min(p.add_months(r.purchased, 7 * 12), dt.date(2022, 12, 31))


def test_filters(sample_city: Inventory, city_rows: list[p.HardwareRow]) -> None:
    cisco = {m.model for m in sample_city.models.values() if m.vendor == "Cisco"}
    expected = sum(1 for h in sample_city.hardware() if h.model in cisco)
    assert len(p.select(city_rows, p.HardwareFilter(vendor="cisco"))) == expected > 0

    status = Counter(h.status for h in sample_city.hardware())
    for s in HardwareStatus:
        assert len(p.select(city_rows, p.HardwareFilter(status=s))) == status[s]

    q1 = p.select(city_rows, p.HardwareFilter(district="760"))
    assert q1 and all(sample_city.sites[r.site].district == "760" for r in q1)

    thpt = p.select(city_rows, p.HardwareFilter(level=SchoolLevel.thpt))
    assert thpt and all(sample_city.sites[r.site].level is SchoolLevel.thpt for r in thpt)

    old = p.select(city_rows, p.HardwareFilter(min_age=10))
    assert old and all(r.purchased <= dt.date(2016, 1, 1) for r in old)

    # fields combine as AND
    both = p.HardwareFilter(district="760", role=DeviceRole.access_point, min_age=5)
    picked = p.select(city_rows, both)
    assert picked == [
        r
        for r in city_rows
        if r.district == "760" and r.role is DeviceRole.access_point and r.age_years >= 5
    ]
    assert p.select(city_rows, p.HardwareFilter(model="no-such-model")) == []
    assert p.select(city_rows) == city_rows


def test_support_ending(city_rows: list[p.HardwareRow]) -> None:
    # CISCO1941 ended 2022-12-31; the 2960-X ends 2027-10-31; the ISR43xx 2030-11-30
    ended = p.support_ending(city_rows, ON, 0)
    assert {r.model for r in ended} == {"CISCO1941"}
    soon = p.support_ending(city_rows, ON, 24)
    assert {r.model for r in soon} == {"CISCO1941", "WS-C2960X-24TS-L", "WS-C2960X-48TS-L"}
    assert [r.end_of_support for r in soon] == sorted(r.end_of_support for r in soon)  # type: ignore[type-var]


def test_warranty_expiring_window(city_rows: list[p.HardwareRow]) -> None:
    until = dt.date(2027, 1, 1)
    got = p.warranty_expiring(city_rows, ON, 12)
    assert got == sorted(
        (r for r in city_rows if ON <= r.warranty_end <= until), key=lambda r: r.warranty_end
    )


def test_forecast_totals_equal_the_rows(city_rows: list[p.HardwareRow]) -> None:
    live = [r for r in city_rows if r.status is not HardwareStatus.retired]
    last = max(r.refresh_due.year for r in live)
    plan = p.forecast(city_rows, 2026, last - 2026 + 1)
    assert sum(f.count for f in plan) == len(live)
    assert sum(f.cost_vnd for f in plan) == sum(r.price_vnd for r in live)
    assert plan[0].overdue == sum(1 for r in live if r.refresh_due.year < 2026)
    for f in plan[1:]:
        due = [r for r in live if r.refresh_due.year == f.year]
        assert (f.count, f.cost_vnd, f.overdue) == (len(due), sum(r.price_vnd for r in due), 0)
    # split by district: the same totals, year by year
    split = p.forecast(city_rows, 2026, last - 2026 + 1, by_district=True)
    for f in plan:
        cells = [s for s in split if s.year == f.year]
        assert sum(s.count for s in cells) == f.count
        assert sum(s.cost_vnd for s in cells) == f.cost_vnd
    assert all(s.count > 0 for s in split)


def test_summary_groups_add_up(city_rows: list[p.HardwareRow]) -> None:
    s = p.summary(city_rows, ON)
    assert s.count == len(city_rows) == 1334
    assert s.cost_vnd == sum(r.cost_vnd for r in city_rows)
    for groups in (s.by_status, s.by_vendor, s.by_district):
        assert sum(g.count for g in groups) == s.count
        assert sum(g.cost_vnd for g in groups) == s.cost_vnd
        assert sum(g.price_vnd for g in groups) == s.price_vnd
    status = {g.key: g.count for g in s.by_status}
    assert status == {"in_service": 1247, "in_repair": 40, "spare": 40, "retired": 7}
    q1 = next(g for g in s.by_district if g.key == "760")
    assert q1.name == "Quận 1"
    assert q1.count == len(p.select(city_rows, p.HardwareFilter(district="760")))
