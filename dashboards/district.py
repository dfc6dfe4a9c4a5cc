"""Phòng GD&ĐT — quận/huyện (edunet-district): one district's sites, their availability, the
link quality per school and the devices down."""

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
    school_link,
    stat_panel,
    table_panel,
    time_series,
    unit_override,
    up_down_override,
)
from edunet.model import Inventory
from monitors import contract as c

__all__ = ["district"]

_D = 'district=~"$district"'
_F = var.SITE_FILTER


def district(inv: Inventory) -> dict[str, Any]:
    d = new_dashboard(
        "edunet-district",
        "District office (Phòng GD&ĐT) — the status of one district's sites, their "
        "availability, link quality per school and the devices down. "
        f"{len(inv.districts)} districts in the inventory.",
        [var.datasource(), var.district(allow_all=False), var.level(), var.site()],
    )
    stats = [
        (
            "Điểm mất kết nối",
            "Sites of the district not answering the prober now",
            f"count({c.SITE_UP}{{{_D}}} == 0) or vector(0)",
            "short",
        ),
        (
            "Thiết bị mất kết nối",
            "SNMP-managed devices of the district not answering their poll now",
            f"sum({c.SITE_DEVICES_DOWN}{{{_D}}}) or vector(0)",
            "short",
        ),
    ]
    for title, desc, expr, unit in stats:
        d = d.with_panel(stat_panel(title, desc, Q(expr), unit=unit, thresholds=count_thresholds()))
    for days in (1, 7, 30):
        d = d.with_panel(
            stat_panel(
                f"Khả dụng {days} ngày",
                f"The district's availability over the last {days} day(s)",
                Q(f"{c.DISTRICT_AVAILABILITY[f'{days}d']}{{{_D}}}"),
                unit="percentunit",
                thresholds=availability_thresholds(),
                span=4,
            )
        )
    d = d.with_panel(
        table_panel(
            "Trạng thái các đơn vị",
            "Every site of the district: reachable now, share of its devices answering, "
            "availability over 7 and 30 days, devices down. Click a row to open the school.",
            [
                Q(f"{c.SITE_UP}{{{_F}}}", ref="A"),
                Q(f"{c.SITE_LAN_UP}{{{_F}}}", ref="B"),
                Q(f"{c.SITE_AVAILABILITY['7d']}{{{_F}}}", ref="C"),
                Q(f"{c.SITE_AVAILABILITY['30d']}{{{_F}}}", ref="D"),
                Q(f"{c.SITE_DEVICES_DOWN}{{{_F}}}", ref="E"),
            ],
            columns=SITE_COLUMNS
            | {
                "site_kind": "Loại",
                "Value #A": "Kết nối",
                "Value #B": "LAN hoạt động",
                "Value #C": "Khả dụng 7 ngày",
                "Value #D": "Khả dụng 30 ngày",
                "Value #E": "Thiết bị mất kết nối",
            },
            hide=("Time", "__name__", "job", "instance", "district_code", "district"),
            unit="percentunit",
            links=[school_link()],
            height=14,
        )
        .override_by_name("Value #A", up_down_override())
        .override_by_name("Value #E", unit_override("short"))
    )
    quality = [
        ("Mất gói theo trường", "Packet loss to each site's uplink (5 m)", "loss", "percentunit"),
        ("Độ trễ theo trường", "Mean round-trip time to each site (5 m)", "rtt", "s"),
    ]
    for title, desc, what, unit in quality:
        metric = c.SITE_PROBE_LOSS.name if what == "loss" else c.SITE_PROBE_RTT.name
        d = d.with_panel(
            time_series(title, desc, [Q(f"{metric}{{{_F}}}", "{{site_name}}")], unit=unit)
        )
    d = d.with_panel(
        time_series(
            "Tỷ lệ đơn vị kết nối theo cấp học",
            "Share of the district's sites reachable, by school level, over time",
            [Q(f'avg by (level) ({c.SITE_UP}{{{_D}, level=~"$level"}})', "{{level}}")],
            unit="percentunit",
            max_val=1,
        )
    )
    d = d.with_panel(
        table_panel(
            "Thiết bị mất kết nối",
            "Devices of the district whose SNMP poll fails now, with the reason",
            [
                Q(f"{c.SNMP_UP}{{{_F}}} == 0", ref="A"),
            ],
            columns={
                "device": "Thiết bị",
                "role": "Vai trò",
                **SITE_COLUMNS,
            },
            hide=("Time", "__name__", "job", "instance", "Value", "district_code"),
            links=[school_link()],
            span=12,
        )
    )
    d = d.with_panel(
        time_series(
            "Lỗi thăm dò SNMP theo nguyên nhân",
            "Failed SNMP polls in the district, by reason (timeout, auth, credentials …)",
            [Q(f"sum by (reason) ({c.SNMP_ERROR}{{{_F}}})", "{{reason}}")],
            span=12,
        )
    )
    d = d.with_panel(
        site_map(
            "Bản đồ trạng thái",
            "The district's schools and its office at their locations: green up, red down",
            _D,
            zoom=12,
        )
    )
    return to_json(d)
