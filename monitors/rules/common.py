"""What every rule module shares: the scaled windows, the alert builder and the label sets
the dashboards and Alertmanager build on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from monitors.contract import APP_LABELS, DEVICE_LABELS, SITE_LABELS, Series
from monitors.settings import MonitoringSettings, duration

__all__ = [
    "APP_LABELS",
    "DEVICE_LABELS",
    "SITE_LABELS",
    "Rule",
    "Text",
    "Windows",
    "alert",
    "by",
    "fold",
    "record",
    "slug",
]

Rule = dict[str, Any]

# a rate over fewer scrapes than this is empty or noise, whatever the time scale says
MIN_SCRAPES_PER_WINDOW = 3


def by(*labels: str) -> str:
    return ", ".join(labels)


# a site is up while any echo reply came back within this window (real seconds)
SITE_UP_WINDOW_S = 180


@dataclass(frozen=True, slots=True)
class Windows:
    """Rule durations, scaled by the settings' ``time_scale`` (the lab runs 8× faster)."""

    settings: MonitoringSettings

    def hold(self, seconds: float) -> str:
        """A ``for:`` duration."""
        return self.settings.window(seconds)

    def rate(self, seconds: float) -> str:
        """A rate or ``*_over_time`` window: scaled, but never shorter than a few scrapes."""
        return duration(self.rate_s(seconds))

    def rate_s(self, seconds: float) -> float:
        """``rate``'s window in (scaled) seconds."""
        s = self.settings
        floor = MIN_SCRAPES_PER_WINDOW * s.scrape_interval_s / s.time_scale
        return max(seconds, floor) * s.time_scale

    def span(self, seconds: float, at_least_s: float) -> str:
        """A window over data scraped every ``at_least_s`` seconds or slower (real seconds)."""
        return self.settings.window(max(seconds, at_least_s / self.settings.time_scale))


def slug(alertname: str) -> str:
    """``EdunetSiteUnreachable`` → ``site-unreachable`` (the runbook's file name)."""
    bare = alertname.removeprefix("Edunet")
    return re.sub(r"(?<!^)(?=[A-Z])", "-", bare).lower()


def record(series: Series, expr: str, labels: dict[str, str] | None = None) -> Rule:
    """A recording rule for one series of the contract."""
    rule: Rule = {"record": series.name, "expr": expr}
    if labels:
        rule["labels"] = labels
    return rule


@dataclass(frozen=True, slots=True)
class Text:
    """An alert's words: Vietnamese summary first, then English, then the details."""

    summary: str
    summary_en: str
    description: str


def alert(
    name: str,
    expr: str,
    *,
    hold: str | None,
    severity: str,
    team: str,
    dashboard: str,
    text: Text,
    settings: MonitoringSettings,
    labels: dict[str, str] | None = None,
) -> Rule:
    """One alerting rule with the contract's labels and annotations."""
    rule: Rule = {"alert": name, "expr": expr}
    if hold is not None and hold != "0s":
        rule["for"] = hold
    rule["labels"] = {"severity": severity, "team": team, **(labels or {})}
    rule["annotations"] = {
        "summary": text.summary,
        "summary_en": text.summary_en,
        "description": text.description,
        "runbook_url": settings.runbooks + slug(name),
        "dashboard": dashboard,
    }
    return rule


def fold(expr: str) -> str:
    """A PromQL expression written over several lines, as one line (safe_dump would quote
    and escape a multi-line string)."""
    return " ".join(expr.split()).replace("( ", "(").replace(" )", ")")
