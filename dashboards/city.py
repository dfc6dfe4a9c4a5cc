"""Tổng quan thành phố (edunet-city): the city's KPIs, what is down now, the worst links and
one row per district."""

from __future__ import annotations

from typing import Any

from dashboards import variables as var
from dashboards.base import new_dashboard, to_json
from dashboards.geomap import site_map
from dashboards.panels import (
    SITE_COLUMNS,
    Q,
    availability_thresholds,
    count_thresholds,
    link,
    school_link,
    stat_panel,
    table_panel,
    time_series,
    unit_override,
    up_down_mappings,
)
from edunet.model import Inventory
from monitors import contract as c

__all__ = ["city"]

_DL = 'district=~"$district", level=~"$level"'


def city(inv: Inventory) -> dict[str, Any]:
    d = new_dashboard(
        "edunet-city",
        f"City overview — {inv.city.name}: {len(inv.districts)} districts, "
        f"{len(inv.schools())} schools. KPIs, sites down now, worst links, districts.",
        [var.datasource(), var.district(), var.level()],
    )
    kpis = [
        stat_panel(
            "Đơn vị có LAN và đường truyền tốt",
            "Share of units whose LAN answers and whose uplink is up (KPI)",
            Q(c.KPI_LAN_UPLINK_OK.name),
            unit="percentunit",
            thresholds=availability_thresholds(),
        ),
        stat_panel(
            "Đơn vị kết nối được",
            "Share of units reachable from the data center (KPI)",
            Q(c.KPI_CONNECTED.name),
            unit="percentunit",
            thresholds=availability_thresholds(),
        ),
        stat_panel(
            "Điểm mất kết nối",
            "Sites (schools and offices) not answering the prober now, in the chosen districts",
            Q(f"count({c.SITE_UP}{{{_DL}}} == 0) or vector(0)"),
            thresholds=count_thresholds(),
        ),
        stat_panel(
            "Thiết bị mất kết nối",
            "SNMP-managed devices not answering their poll now, in the chosen districts",
            Q(f"sum({c.SITE_DEVICES_DOWN}{{{_DL}}}) or vector(0)"),
            thresholds=count_thresholds(),
        ),
    ]
    for p in kpis:
        d = d.with_panel(p)
    d = d.with_panel(
        time_series(
            "KPI theo cấp học",
            "KPIs by school level over time: LAN and uplink OK, and connected",
            [
                Q(c.KPI_LAN_UPLINK_OK_BY_LEVEL.name, "LAN+WAN {{level}}"),
                Q(c.KPI_CONNECTED_BY_LEVEL.name, "kết nối {{level}}"),
            ],
            unit="percentunit",
            max_val=1,
        )
    )
    d = d.with_panel(
        time_series(
            "Khả dụng theo cấp học (1 ngày)",
            "Availability over the last day, by school level",
            [Q(f'{c.LEVEL_AVAILABILITY["1d"]}{{level=~"$level"}}', "{{level}}")],
            unit="percentunit",
            max_val=1,
        )
    )
    d = d.with_panel(
        table_panel(
            "Các quận/huyện",
            "Per district: availability over 1, 7 and 30 days, share of units connected, and "
            "sites down now. Click a row to open the district.",
            [
                Q(f'{c.DISTRICT_AVAILABILITY["1d"]}{{district=~"$district"}}', ref="A"),
                Q(f'{c.DISTRICT_AVAILABILITY["7d"]}{{district=~"$district"}}', ref="B"),
                Q(f'{c.DISTRICT_AVAILABILITY["30d"]}{{district=~"$district"}}', ref="C"),
                Q(f'{c.KPI_CONNECTED_BY_DISTRICT}{{district=~"$district"}}', ref="D"),
                Q(
                    f'sum by (district, district_code) ({c.SITE_UP}{{district=~"$district"}}'
                    " == bool 0)",
                    ref="E",
                ),
            ],
            columns={
                "district": "Quận/huyện",
                "district_code": "Mã",
                "Value #A": "Khả dụng 1 ngày",
                "Value #B": "Khả dụng 7 ngày",
                "Value #C": "Khả dụng 30 ngày",
                "Value #D": "Kết nối",
                "Value #E": "Điểm mất kết nối",
            },
            unit="percentunit",
            links=[
                link(
                    "Mở quận/huyện",
                    "edunet-district",
                    "var-district=${__data.fields.district}&${datasource:queryparam}",
                )
            ],
            height=14,
        ).override_by_name("Value #E", unit_override("short"))
    )
    d = d.with_panel(
        table_panel(
            "Điểm đang mất kết nối",
            "Sites not answering the prober now. Click a row to open the school dashboard.",
            [Q(f"{c.SITE_UP}{{{_DL}}} == 0")],
            columns=SITE_COLUMNS,
            hide=("Time", "__name__", "job", "instance", "Value"),
            links=[school_link()],
            mappings=up_down_mappings(),
            span=12,
        )
    )
    worst = [
        ("Đường truyền mất gói nhiều nhất", "loss", c.SITE_PROBE_LOSS.name, "percentunit"),
        ("Đường truyền trễ nhất", "mean RTT", c.SITE_PROBE_RTT.name, "s"),
    ]
    for title, what, metric, unit in worst:
        column = "Mất gói" if what == "loss" else "Độ trễ"
        d = d.with_panel(
            table_panel(
                title,
                f"The 10 site uplinks with the highest {what} over the last 5 minutes",
                [Q(f"topk(10, {metric}{{{_DL}}})")],
                columns=SITE_COLUMNS | {"Value": column},
                unit=unit,
                links=[school_link()],
                span=12,
            )
        )
    d = d.with_panel(
        site_map(
            "Bản đồ trạng thái",
            "Every school and district office at its location: green up, red down",
            _DL,
        )
    )
    return to_json(d)
