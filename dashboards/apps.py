"""Ứng dụng và SLO (edunet-apps): the shared applications — up, latency against their SLO,
availability over 1/7/30 days, error budget, burn rates, TLS certificates."""

from __future__ import annotations

from typing import Any

from dashboards import variables as var
from dashboards.base import new_dashboard, to_json
from dashboards.panels import (
    Q,
    bar_gauge,
    count_thresholds,
    stat_panel,
    table_panel,
    time_series,
    unit_override,
    up_down_override,
)
from edunet.model import Inventory
from monitors import contract as c

__all__ = ["apps"]

_A = 'application=~"$application"'


def apps(inv: Inventory) -> dict[str, Any]:
    d = new_dashboard(
        "edunet-apps",
        f"Applications and SLOs — the {len(inv.applications)} shared applications of the data "
        "center: up, latency and availability against their SLO, error budget remaining, burn "
        "rates, TLS certificate expiry.",
        [var.datasource(), var.application()],
    )
    d = d.with_panel(
        stat_panel(
            "Ứng dụng ngừng hoạt động",
            "Applications with no VM answering their check now",
            Q(f"count({c.APP_UP}{{{_A}}} == 0) or vector(0)"),
            thresholds=count_thresholds(),
            span=8,
        )
    )
    d = d.with_panel(
        stat_panel(
            "Ứng dụng đã hết ngân sách lỗi",
            "Applications whose 30-day error budget is spent",
            Q(f"count({c.APP_ERROR_BUDGET_REMAINING}{{{_A}}} <= 0) or vector(0)"),
            thresholds=count_thresholds(),
            span=8,
        )
    )
    d = d.with_panel(
        stat_panel(
            "Chứng chỉ TLS hết hạn sớm nhất",
            "Time until the first served TLS certificate expires",
            Q(f"min({c.PROBE_APP_TLS_EXPIRY}{{{_A}}})"),
            unit="dtdurations",
            span=8,
        )
    )
    d = d.with_panel(
        table_panel(
            "Ứng dụng",
            "Every application: up now, availability over 1, 7 and 30 days against its SLO, "
            "error budget left over 30 days",
            [
                Q(f"{c.APP_UP}{{{_A}}}", ref="A"),
                Q(f"{c.APP_AVAILABILITY['1d']}{{{_A}}}", ref="B"),
                Q(f"{c.APP_AVAILABILITY['7d']}{{{_A}}}", ref="C"),
                Q(f"{c.APP_AVAILABILITY['30d']}{{{_A}}}", ref="D"),
                Q(f"{c.APP_SLO}{{{_A}}}", ref="E"),
                Q(f"{c.APP_ERROR_BUDGET_REMAINING}{{{_A}}}", ref="F"),
            ],
            columns={
                "application": "Mã",
                "name": "Ứng dụng",
                "criticality": "Mức quan trọng",
                "Value #A": "Trạng thái",
                "Value #B": "Khả dụng 1 ngày",
                "Value #C": "Khả dụng 7 ngày",
                "Value #D": "Khả dụng 30 ngày",
                "Value #E": "SLO",
                "Value #F": "Ngân sách lỗi còn lại",
            },
            unit="percentunit",
            height=12,
        ).override_by_name("Value #A", up_down_override())
    )
    d = d.with_panel(
        time_series(
            "Độ trễ so với SLO",
            "Check latency of each application, with its latency SLO (dashed series)",
            [
                Q(f"{c.APP_LATENCY}{{{_A}}}", "{{application}}"),
                Q(f"{c.APP_LATENCY_SLO}{{{_A}}}", "SLO {{application}}"),
            ],
            unit="s",
        )
    )
    d = d.with_panel(
        bar_gauge(
            "Ngân sách lỗi còn lại (30 ngày)",
            "Share of the 30-day error budget still unspent, per application",
            Q(f"{c.APP_ERROR_BUDGET_REMAINING}{{{_A}}}", "{{application}}"),
            unit="percentunit",
        )
    )
    d = d.with_panel(
        time_series(
            "Tốc độ tiêu ngân sách lỗi",
            "Error-budget burn rates (1 = spending exactly the budget over 30 days) over 5 m, "
            "1 h and 6 h windows",
            [
                Q(f"{c.APP_BURN_RATE['5m']}{{{_A}}}", "5m {{application}}"),
                Q(f"{c.APP_BURN_RATE['1h']}{{{_A}}}", "1h {{application}}"),
                Q(f"{c.APP_BURN_RATE['6h']}{{{_A}}}", "6h {{application}}"),
            ],
        )
    )
    d = d.with_panel(
        time_series(
            "Khả dụng 1 ngày so với SLO",
            "Availability over the last day of each application, with its SLO",
            [
                Q(f"{c.APP_AVAILABILITY['1d']}{{{_A}}}", "{{application}}"),
                Q(f"{c.APP_SLO}{{{_A}}}", "SLO {{application}}"),
            ],
            unit="percentunit",
            max_val=1,
        )
    )
    d = d.with_panel(
        table_panel(
            "Chứng chỉ TLS",
            "Time until each application VM's served certificate expires",
            [Q(f"{c.PROBE_APP_TLS_EXPIRY}{{{_A}}}")],
            columns={
                "application": "Mã",
                "name": "Ứng dụng",
                "vm": "VM",
                "Value": "Còn hạn",
            },
            hide=("Time", "__name__", "job", "instance", "check", "criticality"),
            span=12,
        ).override_by_name("Value", unit_override("dtdurations"))
    )
    return to_json(d)
