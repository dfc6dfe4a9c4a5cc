"""Availability over 1, 7 and 30 days (sites, districts, school levels, applications), each
application's error budget and its burn rates (the multi-window, multi-burn-rate method)."""

from __future__ import annotations

from monitors import contract as c
from monitors.rules.common import Rule, Windows, by, fold, record

__all__ = ["AVAILABILITY_WINDOWS", "BURN_WINDOWS", "slo_groups"]

DAY = 86400
AVAILABILITY_WINDOWS = {"1d": DAY, "7d": 7 * DAY, "30d": 30 * DAY}
BURN_WINDOWS = {"5m": 300, "30m": 1800, "1h": 3600, "6h": 6 * 3600}
UNITS = 'site_kind!="datacenter"'
# long windows are costly to read and change slowly; the 5-minute lookback still sees them
SLOW_INTERVAL_S = 120  # availability over days moves slowly: evaluated every 2 minutes


def _availability(w: Windows) -> list[Rule]:
    rules: list[Rule] = []
    for suffix, seconds in AVAILABILITY_WINDOWS.items():
        site = c.SITE_AVAILABILITY[suffix]
        # a site's own figure averages the samples it has; rolled up, a site without any
        # counts as 0, never as up
        rules.append(record(site, f"avg_over_time({c.SITE_UP}[{w.rate(seconds)}])"))
        for keys, units, rollup in (
            (("district", "district_code"), UNITS, c.DISTRICT_AVAILABILITY),
            (("level",), 'site_kind="school"', c.LEVEL_AVAILABILITY),
        ):
            grp = by(*keys)
            total = f"count by ({grp}) ({c.SITE_INFO}{{{units}}})"
            rules.append(
                record(
                    rollup[suffix],
                    fold(f"""
                    (sum by ({grp}) ({site}{{{units}}}) or 0 * {total})
                    / {total}
                    """),
                )
            )
        rules.append(
            record(
                c.APP_AVAILABILITY[suffix],
                f"avg_over_time({c.APP_UP}[{w.rate(seconds)}])",
            )
        )
    rules.append(
        record(
            c.APP_ERROR_BUDGET_REMAINING,
            fold(f"""
            1 - (1 - {c.APP_AVAILABILITY["30d"]})
            / on(application) group_left() (1 - {c.APP_SLO})
            """),
        )
    )
    return rules


def _burn_rates(w: Windows) -> list[Rule]:
    """How fast each application spends its error budget: 1 means exactly on budget."""
    return [
        record(
            c.APP_BURN_RATE[suffix],
            fold(f"""
            (1 - avg_over_time({c.APP_UP}[{w.rate(seconds)}]))
            / on(application) group_left() (1 - {c.APP_SLO})
            """),
        )
        for suffix, seconds in BURN_WINDOWS.items()
    ]


def slo_groups(w: Windows) -> list[Rule]:
    """The groups of edunet-slo.rules.yml."""
    return [
        {"name": "edunet-slo-burn-rates", "rules": _burn_rates(w)},
        {
            "name": "edunet-slo-availability",
            "interval": w.hold(SLOW_INTERVAL_S),
            "rules": _availability(w),
        },
    ]
