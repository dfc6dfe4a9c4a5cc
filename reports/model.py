"""What a monthly report holds: plain frozen records, ready for the writers."""

from __future__ import annotations

from dataclasses import dataclass

from reports.outages import Outage
from reports.period import Month

__all__ = [
    "AppRow",
    "CapacityRow",
    "IspRow",
    "KpiRow",
    "MonthlyReport",
    "SiteRow",
]


@dataclass(frozen=True, slots=True)
class KpiRow:
    """One KPI share (0 to 1) of one group for one month; NaN without data."""

    kpi: str  # "connected" or "lan_uplink_ok"
    group: str  # "city", "district" or "level"
    key: str  # "" for the city, a district code or a level
    name: str
    month: str
    value: float


@dataclass(frozen=True, slots=True)
class SiteRow:
    site: str
    name: str
    kind: str
    district: str  # its name
    level: str
    pupils: int
    availability: float  # 0 to 1
    down_s: float
    planned_s: float
    outages: int


@dataclass(frozen=True, slots=True)
class AppRow:
    application: str
    name: str
    slo: float  # 0 to 1
    availability: float
    down_s: float
    budget_spent: float  # share of the month's error budget spent (1: all of it)


@dataclass(frozen=True, slots=True)
class IspRow:
    """One ISP over one medium: its sites' availability and link quality, against the
    contract (availability) and the medium's thresholds (loss, latency, jitter)."""

    isp: str
    medium: str
    sites: int
    availability: float
    sla_availability: float  # NaN when no link of it carries an SLA
    loss: float
    latency_s: float
    jitter_s: float
    max_loss: float
    max_latency_s: float
    max_jitter_s: float
    breaches: tuple[tuple[str, str, float], ...]  # (site, aspect, hours over)


@dataclass(frozen=True, slots=True)
class CapacityRow:
    site: str
    name: str
    district: str
    pupils: int
    uplink_mbps: float
    peak_ratio: float  # p95 of the busiest uplink in school hours, 0 to 1
    peak_mbps: float
    mbps_per_pupil: float  # uplink capacity per pupil
    growth_per_month: float  # from the month's daily peaks; NaN when too few days
    saturates: str  # YYYY-MM when the peak reaches the uplink's speed, "" if not in 5 years


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    month: Month
    scope: str  # "Thành phố …", a district's or a school's name
    scope_en: str
    step_s: float
    kpis: tuple[KpiRow, ...]
    sites: tuple[SiteRow, ...]
    apps: tuple[AppRow, ...]
    outages: tuple[Outage, ...]
    planned: tuple[Outage, ...]
    isps: tuple[IspRow, ...]
    capacity: tuple[CapacityRow, ...]
    target_mbps_per_pupil: float
    locations: dict[str, tuple[float, float]]  # site -> (lat, lon), where the inventory has one
