"""The monthly report, gathered: a handful of city-wide queries, then arithmetic here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from edunet.model import Inventory, SiteKind
from reports.capacity import capacity_rows
from reports.kpis import kpis
from reports.model import AppRow, MonthlyReport, SiteRow
from reports.outages import Grid, Outcome, attribute
from reports.period import Month
from reports.planned import Planned
from reports.prom import Prometheus
from reports.queries import APPS_DOWN, SITES_DOWN
from reports.sla import isp_rows

__all__ = ["DEFAULT_STEP_S", "DEFAULT_TARGET_MBPS_PER_PUPIL", "Scope", "monthly"]

DEFAULT_STEP_S = 60.0  # the recording rules' evaluation interval
# SETDA's 1.4-2.8 Mbps per user peak targets: the lower end, as Mbps of uplink per pupil
DEFAULT_TARGET_MBPS_PER_PUPIL = 1.4


class Scope:
    """The sites a report is about: the city, one district or one school."""

    def __init__(self, inv: Inventory, district: str | None = None, site: str | None = None):
        self.inv = inv
        if site is not None:
            s = inv.sites[site]
            self.codes: tuple[str, ...] = (site,)
            self.name, self.name_en = s.name, s.code
        elif district is not None:
            d = inv.districts[district]
            self.codes = tuple(x.code for x in inv.sites.values() if x.district == district)
            self.name, self.name_en = d.name, f"District {district}"
        else:
            self.codes = tuple(inv.sites)
            self.name, self.name_en = inv.city.name, "Ho Chi Minh City"

    @property
    def units(self) -> tuple[str, ...]:
        """Schools and offices: every site but the data center and the Department."""
        kinds = (SiteKind.school, SiteKind.district_office)
        return tuple(c for c in self.codes if self.inv.sites[c].kind in kinds)


def _down_steps(prom: Prometheus, query: str, key: str, grid: Grid) -> dict[str, list[int]]:
    end = grid.start + (grid.n - 1) * grid.step
    steps: dict[str, list[int]] = {}
    for series in prom.range(query, grid.start, end, grid.step):
        steps.setdefault(series.labels.get(key, ""), []).extend(
            grid.index(t) for t, _ in series.points
        )
    return steps


def _apps(inv: Inventory, prom: Prometheus, grid: Grid) -> list[AppRow]:
    down = _down_steps(prom, APPS_DOWN, "application", grid)
    rows = []
    for app in inv.applications.values():
        lost = len(set(down.get(app.code, [])))
        availability = 1 - lost / grid.n
        slo = app.slo_availability_pct / 100
        rows.append(
            AppRow(
                application=app.code,
                name=app.name,
                slo=slo,
                availability=availability,
                down_s=lost * grid.step,
                budget_spent=(1 - availability) / (1 - slo) if slo < 1 else 0.0,
            )
        )
    return rows


def _site_rows(inv: Inventory, scope: Scope, outcome: Outcome) -> list[SiteRow]:
    counts: Counter[str] = Counter(s for o in outcome.outages for s in o.sites)
    rows = []
    for code in scope.units:
        site = inv.sites[code]
        a = outcome.sites[code]
        rows.append(
            SiteRow(
                site=code,
                name=site.name,
                kind=site.kind.value,
                district=inv.districts[site.district].name,
                level=site.level.value if site.level is not None else "",
                pupils=site.pupils or 0,
                availability=a.availability,
                down_s=a.down_s,
                planned_s=a.planned_s,
                outages=counts[code],
            )
        )
    return rows


def monthly(
    inv: Inventory,
    prom: Prometheus,
    month: Month,
    scope: Scope,
    planned: Iterable[Planned] = (),
    step_s: float = DEFAULT_STEP_S,
    target_mbps_per_pupil: float = DEFAULT_TARGET_MBPS_PER_PUPIL,
) -> MonthlyReport:
    grid = Grid(month.start.timestamp(), step_s, round(month.seconds / step_s))
    down = _down_steps(prom, SITES_DOWN, "site", grid)
    outcome = attribute(inv, grid, down, planned)
    in_scope = set(scope.codes)

    def touches(sites: Sequence[str]) -> bool:
        return any(s in in_scope for s in sites)

    sites = _site_rows(inv, scope, outcome)
    availability = {r.site: r.availability for r in sites}
    schools = {r.site: r.district for r in sites if inv.sites[r.site].kind is SiteKind.school}
    return MonthlyReport(
        month=month,
        scope=scope.name,
        scope_en=scope.name_en,
        step_s=step_s,
        kpis=tuple(kpis(prom, month, inv.city.name)),
        sites=tuple(sites),
        apps=tuple(_apps(inv, prom, grid)),
        outages=tuple(o for o in outcome.outages if touches(o.sites)),
        planned=tuple(o for o in outcome.planned if touches(o.sites)),
        isps=tuple(isp_rows(inv, prom, month, availability)),
        capacity=tuple(capacity_rows(inv, prom, month, schools, target_mbps_per_pupil)),
        target_mbps_per_pupil=target_mbps_per_pupil,
        locations={
            code: (site.location.lat, site.location.lon)
            for code, site in inv.sites.items()
            if site.location is not None and code in in_scope
        },
    )
