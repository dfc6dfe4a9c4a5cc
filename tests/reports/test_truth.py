"""The monthly report's numbers against the truth planted in a month of raw series, read
from a real VictoriaMetrics through edunet's own recording rules (replayed over the past)."""

from __future__ import annotations

import math

import pytest
from conftest import History
from month_history import GROWTH, LOSS, hours

from reports.capacity import saturation_month
from reports.monthly import Scope, monthly
from reports.prom import Prometheus

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PP = 1e-4  # 0.01 percentage points, as a share
STEP = 60.0
DETECTION_S = 180 + 2 * STEP  # edunet:site_up's window, and the steps either side


def test_the_report_finds_the_planted_truth(history: History) -> None:
    inv, truth = history.inv, history.truth
    prom = Prometheus(history.url)
    report = monthly(inv, prom, truth.month, Scope(inv), [truth.maintenance], step_s=STEP)
    month_h = truth.month.seconds / 3600
    sites = {r.site: r for r in report.sites}

    # a school down 10 hours, its own fault
    school = sites[truth.school_down]
    assert school.availability == pytest.approx(1 - 10 / month_h, abs=PP)
    own = [o for o in report.outages if o.sites == (truth.school_down,)]
    assert len(own) == 1
    assert own[0].cause == truth.school_down and own[0].cause_kind == "site"
    assert abs(own[0].duration_s - 10 * 3600) <= STEP
    # seen once edunet:site_up's window passed without a reply
    late = own[0].start.timestamp() - truth.school_window[0].timestamp()
    assert 0 <= late <= DETECTION_S

    # a district office down 2 hours: one outage, its schools with it, not one per school
    office = [o for o in report.outages if o.cause == truth.office]
    assert len(office) == 1
    assert office[0].cause_kind == "district_office"
    assert set(office[0].sites) == set(truth.office_cut)
    assert abs(office[0].duration_s - hours(truth.office_window) * 3600) <= STEP
    cut_schools = [c for c in truth.office_cut if inv.sites[c].is_school]
    assert office[0].schools == len(cut_schools)
    assert office[0].pupils == sum(inv.sites[c].pupils or 0 for c in cut_schools)
    for code in truth.office_cut:
        assert sites[code].availability == pytest.approx(1 - 2 / month_h, abs=PP)
    # nothing else went down, and no outage blames an ISP or the data center
    assert len(report.outages) == 2

    # the maintenance window: listed apart, not counted
    assert sites[truth.maintained].availability == pytest.approx(1.0, abs=PP)
    assert [o.sites for o in report.planned] == [(truth.maintained,)]
    assert report.planned[0].reason == truth.maintenance.reason
    assert abs(report.planned[0].duration_s - 3600) <= STEP

    # everyone else up all month
    others = set(sites) - {truth.school_down, truth.maintained, *truth.office_cut}
    assert all(sites[c].availability == pytest.approx(1.0, abs=PP) for c in others)

    # the ISP's week of 3 % loss: its mean over the month, and every site over its threshold
    row = next(r for r in report.isps if (r.isp, r.medium) == truth.isp)
    week = hours(truth.isp_window)
    # a site down loses every echo: its hours count whole, less the week's 3 % they overlap
    lost = 0.0
    for code in truth.isp_sites:
        lost += week * LOSS
        for window in truth.down_windows(code):
            overlap = max(
                0.0,
                hours((max(window[0], truth.isp_window[0]), min(window[1], truth.isp_window[1]))),
            )
            lost += hours(window) - overlap * LOSS
    assert row.loss == pytest.approx(lost / (len(truth.isp_sites) * month_h), abs=2e-5)
    assert row.max_loss < LOSS
    # over the threshold: the lossy week, and whenever a site was down (it lost every echo)
    expected: dict[str, float] = {code: week for code in truth.isp_sites}
    for code in inv.sites:
        for w in truth.down_windows(code):
            inside = code in truth.isp_sites and truth.isp_window[0] <= w[0] < truth.isp_window[1]
            if not inside:
                expected[code] = expected.get(code, 0.0) + hours(w)
    found = {site: h for r in report.isps for site, aspect, h in r.breaches if aspect == "loss"}
    assert set(found) == set(expected)
    assert all(abs(found[code] - expected[code]) <= 0.25 for code in expected), found
    assert row.latency_s == pytest.approx(0.012, rel=1e-3)
    assert not [b for r in report.isps for b in r.breaches if b[1] != "loss"]

    # the school whose traffic grows 5 % a month: measured, projected, first to upgrade
    grow = report.capacity[0]
    assert grow.site == truth.growing
    assert grow.growth_per_month == pytest.approx(GROWTH, abs=0.002)
    assert grow.uplink_mbps == pytest.approx(truth.growing_speed_bps / 1e6)
    assert 0.40 < grow.peak_ratio < 0.40 * (1 + GROWTH) * 1.01
    assert grow.saturates == saturation_month(truth.month, grow.peak_ratio, GROWTH)
    assert all(math.isnan(r.peak_ratio) for r in report.capacity[1:])

    # the KPI the dashboards show, over the month: every unit's down time counted
    connected = next(
        k
        for k in report.kpis
        if (k.kpi, k.group, k.month) == ("connected", "city", str(truth.month))
    )
    units = [s for s in inv.sites.values() if s.kind.value != "datacenter"]
    lost_h = 10 + 2 * len(truth.office_cut) + 1
    assert connected.value == pytest.approx(1 - lost_h / (len(units) * month_h), abs=PP)
    # the trend has the months with data: this one (and the minutes replayed before it)
    trend = {k.month for k in report.kpis if (k.kpi, k.group) == ("connected", "city")}
    assert trend <= {str(truth.month), str(truth.month.shift(-1))}

    # the applications were up all month: none of their budget spent
    assert all(a.availability == 1.0 and a.budget_spent == 0.0 for a in report.apps)
    # the queries are city-wide, not one per school
    assert prom.queries < 100
