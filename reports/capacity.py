"""Capacity: each school's busiest uplink at its 95th percentile in school hours, the
uplink's Mbps per pupil against a target, and the month its peak reaches the uplink's speed
if it keeps growing as it did over the month (a log-linear fit of the daily peaks)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from edunet.model import Inventory
from reports.model import CapacityRow
from reports.period import Month
from reports.prom import Prometheus
from reports.queries import daily_peak, peak_utilisation, uplink_speed

__all__ = ["DAYS_PER_MONTH", "capacity_rows", "growth", "saturation_month"]

DAYS_PER_MONTH = 365.25 / 12
MIN_DAYS = 5  # fewer school days than this say nothing of a trend
HORIZON_MONTHS = 60


def growth(days: list[float], peaks: list[float]) -> float:
    """Monthly growth of ``peaks`` (a share, 0.05 is 5 % a month) from a fit of their log."""
    pairs = [(d, p) for d, p in zip(days, peaks, strict=True) if p > 0 and math.isfinite(p)]
    if len(pairs) < MIN_DAYS:
        return math.nan
    x = np.array([d for d, _ in pairs])
    y = np.log(np.array([p for _, p in pairs]))
    slope = float(np.polyfit(x, y, 1)[0])
    return math.exp(slope * DAYS_PER_MONTH) - 1


def saturation_month(month: Month, peak: float, monthly_growth: float) -> str:
    """The month the peak reaches 1 (the uplink's speed) at that growth; "" beyond the
    horizon or without growth."""
    if peak >= 1:
        return str(month)
    if not (math.isfinite(monthly_growth) and monthly_growth > 0 and peak > 0):
        return ""
    months = math.log(1 / peak) / math.log(1 + monthly_growth)
    if months > HORIZON_MONTHS:
        return ""
    return str(month.shift(max(1, math.ceil(months))))


def capacity_rows(
    inv: Inventory,
    prom: Prometheus,
    month: Month,
    sites: Mapping[str, str],  # site code -> district name, the schools in scope
    target: float,
) -> list[CapacityRow]:
    at, secs = month.end.timestamp(), month.seconds
    peak = {s.labels.get("site", ""): s.value for s in prom.instant(peak_utilisation(secs), at)}
    speed = {s.labels.get("site", ""): s.value for s in prom.instant(uplink_speed(secs), at)}
    start = month.start.timestamp()
    daily: dict[str, tuple[list[float], list[float]]] = {}
    day = 86400.0
    for series in prom.range(daily_peak(), start + day, month.end.timestamp(), day):
        code = series.labels.get("site", "")
        xs = [(t - start) / day for t, _ in series.points]
        daily[code] = (xs, [v for _, v in series.points])
    rows = []
    for code, district in sites.items():
        site = inv.sites[code]
        pupils = site.pupils or 0
        bandwidth = float(inv.links[site.uplinks[0]].bandwidth_mbps) if site.uplinks else 0.0
        mbps = speed[code] / 1e6 if code in speed else bandwidth
        p = peak.get(code, math.nan)
        g = growth(*daily[code]) if code in daily else math.nan
        rows.append(
            CapacityRow(
                site=code,
                name=site.name,
                district=district,
                pupils=pupils,
                uplink_mbps=mbps,
                peak_ratio=p,
                peak_mbps=p * mbps,
                mbps_per_pupil=mbps / pupils if pupils else math.nan,
                growth_per_month=g,
                saturates=saturation_month(month, p, g) if math.isfinite(p) else "",
            )
        )
    # upgrade first: the earliest saturation, then the least Mbps per pupil
    return sorted(
        rows,
        key=lambda r: (
            r.saturates or "9999-99",
            -r.peak_ratio if math.isfinite(r.peak_ratio) else 0.0,
            r.mbps_per_pupil if math.isfinite(r.mbps_per_pupil) else math.inf,
        ),
    )
