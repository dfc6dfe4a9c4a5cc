"""The PromQL the report reads, built from the metric contract's names only: every number
is the recorded series the dashboards show, summed over the month here."""

from __future__ import annotations

from monitors import contract as c

__all__ = [
    "APPS_DOWN",
    "SCHOOL_HOURS",
    "SITES_DOWN",
    "breach_steps",
    "daily_peak",
    "link_mean",
    "mean_over",
    "peak_utilisation",
    "uplink_speed",
]

# a site is down at a step when its edunet:site_up is not 1, absent included (the inventory's
# edunet:site_info is the list of sites): only down steps come back, so the answer is small
SITES_DOWN = f"{c.SITE_INFO} unless on(site) ({c.SITE_UP} == 1)"
APPS_DOWN = f"{c.APP_INFO} unless on(application) ({c.APP_UP} == 1)"

# school hours, weekdays 07:00-17:00 in Asia/Ho_Chi_Minh: 00:00-10:00 UTC on the same weekday
SCHOOL_HOURS = "on() (hour() < 10) and on() (day_of_week() > 0 and day_of_week() < 6)"
SUBSTEP = "5m"  # the recorded link series' own resolution


def mean_over(series: str, seconds: int) -> str:
    return f"avg_over_time({series}[{seconds}s])"


def link_mean(series: c.Series, seconds: int) -> str:
    """A link-quality series' mean over the window, per site and uplink."""
    return f"avg_over_time({series}[{seconds}s])"


def breach_steps(series: c.Series, threshold: c.Series, seconds: int) -> str:
    """How many 5-minute steps each site's link was over its medium's threshold."""
    over = f"{series} > on(medium) group_left() {threshold}"
    return f"count_over_time(({over})[{seconds}s:{SUBSTEP}])"


def _busiest() -> str:
    return f"max by (site) ({c.UPLINK_UTILISATION})"


def peak_utilisation(seconds: int) -> str:
    """The 95th percentile of each site's busiest uplink in school hours over the window."""
    return f"quantile_over_time(0.95, ({_busiest()} and {SCHOOL_HOURS})[{seconds}s:{SUBSTEP}])"


def daily_peak() -> str:
    """The same percentile over each day (a range query at a one-day step)."""
    return f"quantile_over_time(0.95, ({_busiest()} and {SCHOOL_HOURS})[1d:{SUBSTEP}])"


def uplink_speed(seconds: int) -> str:
    return (
        f'max by (site) (max_over_time({c.INTERFACE_SPEED}{{job="snmp",uplink="true"}}'
        f"[{seconds}s]))"
    )
