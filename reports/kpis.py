"""The programme's KPIs (Decision 3326): the month's mean share of units with a working LAN
and uplink, and of units connected, for the city, each district and each school level, over
the report's month and the eleven before it."""

from __future__ import annotations

from monitors import contract as c
from reports.model import KpiRow
from reports.period import Month
from reports.prom import Prometheus
from reports.queries import mean_over

__all__ = ["TREND_MONTHS", "kpis"]

TREND_MONTHS = 12
_SERIES = (
    ("connected", c.KPI_CONNECTED, c.KPI_CONNECTED_BY_DISTRICT, c.KPI_CONNECTED_BY_LEVEL),
    (
        "lan_uplink_ok",
        c.KPI_LAN_UPLINK_OK,
        c.KPI_LAN_UPLINK_OK_BY_DISTRICT,
        c.KPI_LAN_UPLINK_OK_BY_LEVEL,
    ),
)


def kpis(prom: Prometheus, month: Month, city: str) -> list[KpiRow]:
    rows: list[KpiRow] = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        m = month.shift(-back)
        at = m.end.timestamp()
        for kpi, city_s, district_s, level_s in _SERIES:
            for s in prom.instant(mean_over(str(city_s), m.seconds), at):
                rows.append(KpiRow(kpi, "city", "", city, str(m), s.value))
            for s in prom.instant(mean_over(str(district_s), m.seconds), at):
                code = s.labels.get("district_code", "")
                name = s.labels.get("district", code)
                rows.append(KpiRow(kpi, "district", code, name, str(m), s.value))
            for s in prom.instant(mean_over(str(level_s), m.seconds), at):
                level = s.labels.get("level", "")
                rows.append(KpiRow(kpi, "level", level, level, str(m), s.value))
    return rows
