"""The report's charts as PNG: the KPIs' twelve months, the worst units, the city map."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt

from reports.model import MonthlyReport
from reports.words import KPI_NAMES

__all__ = ["FONT", "write_charts"]

FONT = "DejaVu Sans"  # Vietnamese glyphs; matplotlib ships it
DPI = 110


def _trend(report: MonthlyReport, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(7, 3))
    for kpi, (vi, en) in KPI_NAMES.items():
        points = sorted(
            (k.month, k.value * 100)
            for k in report.kpis
            if k.kpi == kpi and k.group == "city" and math.isfinite(k.value)
        )
        if points:
            ax.plot(
                [p[0] for p in points], [p[1] for p in points], marker="o", label=f"{vi} / {en}"
            )
    ax.set_ylabel("%")
    ax.set_title("Xu hướng 12 tháng / 12-month trend", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    ax.tick_params(axis="x", labelsize=7, rotation=30)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def _worst(report: MonthlyReport, path: Path) -> None:
    worst = sorted(report.sites, key=lambda r: (r.availability, r.site))[:20]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    names = [f"{r.site} {r.name[:28]}" for r in reversed(worst)]
    ax.barh(names, [r.availability * 100 for r in reversed(worst)], color="#c0504d")
    low = min((r.availability * 100 for r in worst), default=99.0)
    ax.set_xlim(max(0.0, math.floor(low) - 1), 100)
    ax.set_xlabel("Sẵn sàng / Availability (%)")
    ax.tick_params(axis="y", labelsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def _colour(availability: float) -> str:
    if availability >= 0.999:
        return "#2e7d32"
    if availability >= 0.99:
        return "#f9a825"
    return "#c62828"


def _map(report: MonthlyReport, path: Path) -> bool:
    rows = [r for r in report.sites if r.site in report.locations]
    if not rows:
        return False
    fig, ax = plt.subplots(figsize=(7, 7))
    # one scatter for the schools, one for the offices: a call per point would take minutes
    for office in (False, True):
        these = [r for r in rows if (r.kind == "district_office") is office]
        if not these:
            continue
        ax.scatter(
            [report.locations[r.site][1] for r in these],
            [report.locations[r.site][0] for r in these],
            s=60 if office else 14,
            marker="s" if office else "o",
            c=[_colour(r.availability) for r in these],
            edgecolors="black" if office else "none",
            zorder=3 if office else 2,
        )
        for r in these if office else ():
            lat, lon = report.locations[r.site]
            ax.annotate(
                r.district, (lon, lat), fontsize=6, xytext=(4, 3), textcoords="offset points"
            )
    ax.set_aspect("equal")
    ax.set_xlabel("Kinh độ / Longitude")
    ax.set_ylabel("Vĩ độ / Latitude")
    ax.set_title("■ Phòng GD&ĐT / district office   ● trường / school", fontsize=8)
    ax.grid(alpha=0.2)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return True


def write_charts(report: MonthlyReport, out: Path) -> dict[str, Path]:
    """The charts written, by name (the map only when the inventory has locations)."""
    plt.rcParams["font.family"] = FONT
    charts = {"trend": out / "kpi-trend.png", "worst": out / "worst-20.png"}
    _trend(report, charts["trend"])
    _worst(report, charts["worst"])
    city_map = out / "map.png"
    if _map(report, city_map):
        charts["map"] = city_map
    return charts
