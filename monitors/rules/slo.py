"""Availability over 1, 7 and 30 days (sites, districts, school levels, applications), each
application's error budget and its burn rates (the multi-window, multi-burn-rate method)."""

from __future__ import annotations

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
        site = f"edunet:site_availability:ratio_{suffix}"
        # a site's own figure averages the samples it has; rolled up, a site without any
        # counts as 0, never as up
        rules.append(record(site, f"avg_over_time(edunet:site_up[{w.rate(seconds)}])"))
        for keys, units, name in (
            (("district", "district_code"), UNITS, "district"),
            (("level",), 'site_kind="school"', "level"),
        ):
            grp = by(*keys)
            total = f"count by ({grp}) (edunet:site_info{{{units}}})"
            rules.append(
                record(
                    f"edunet:{name}_availability:ratio_{suffix}",
                    fold(f"""
                    (sum by ({grp}) ({site}{{{units}}}) or 0 * {total})
                    / {total}
                    """),
                )
            )
        rules.append(
            record(
                f"edunet:app_availability:ratio_{suffix}",
                f"avg_over_time(edunet:app_up[{w.rate(seconds)}])",
            )
        )
    rules.append(
        record(
            "edunet:app_error_budget_remaining:ratio_30d",
            fold("""
            1 - (1 - edunet:app_availability:ratio_30d)
            / on(application) group_left() (1 - edunet:app_slo:ratio)
            """),
        )
    )
    return rules


def _burn_rates(w: Windows) -> list[Rule]:
    """How fast each application spends its error budget: 1 means exactly on budget."""
    return [
        record(
            f"edunet:app_burn_rate:ratio_{suffix}",
            fold(f"""
            (1 - avg_over_time(edunet:app_up[{w.rate(seconds)}]))
            / on(application) group_left() (1 - edunet:app_slo:ratio)
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
