"""Sức khỏe thiết bị (edunet-hardware): reboots, uptime, interface errors and discards,
declared-vs-discovered mismatches, and SNMP polls that fail, by reason."""

from __future__ import annotations

from typing import Any

from dashboards import variables as var
from dashboards.base import new_dashboard, to_json
from dashboards.panels import (
    SITE_COLUMNS,
    Q,
    count_thresholds,
    stat_panel,
    table_panel,
    time_series,
)
from edunet.model import Inventory
from monitors import contract as c

__all__ = ["hardware"]

_F = var.SITE_FILTER
_DEVICE = {"device": "Thiết bị", "role": "Vai trò", "interface": "Cổng"} | SITE_COLUMNS


def hardware(inv: Inventory) -> dict[str, Any]:
    managed = sum(1 for dev in inv.devices.values() if dev.snmp is not None)
    d = new_dashboard(
        "edunet-hardware",
        f"Hardware health — {managed} SNMP-managed devices: reboots, uptime, interface errors "
        "and discards, inventory mismatches (model, serial, neighbours), SNMP poll failures.",
        var.standard(),
    )
    stats = [
        (
            "Thiết bị khởi động lại",
            "Devices that rebooted during the dashboard's time range",
            f"count(changes({c.DEVICE_BOOT_TIME}{{{_F}}}[$__range]) > 0) or vector(0)",
        ),
        (
            "Thiết bị sai khác kiểm kê",
            "Devices whose model, serial or neighbours differ from the inventory",
            f"count({c.RECONCILE_OK}{{{_F}}} == 0) or vector(0)",
        ),
        (
            "Thiết bị thăm dò SNMP lỗi",
            "Devices whose SNMP poll fails now",
            f"count({c.SNMP_UP}{{{_F}}} == 0) or vector(0)",
        ),
    ]
    for title, desc, expr in stats:
        d = d.with_panel(stat_panel(title, desc, Q(expr), thresholds=count_thresholds(), span=8))
    d = d.with_panel(
        table_panel(
            "Khởi động lại gần đây",
            "Devices that rebooted during the time range (number of reboots), most first",
            [Q(f"sort_desc(changes({c.DEVICE_BOOT_TIME}{{{_F}}}[$__range]) > 0)")],
            columns=_DEVICE | {"Value": "Số lần"},
            span=12,
        )
    )
    d = d.with_panel(
        table_panel(
            "Thời gian chạy ngắn nhất",
            "The 20 devices with the shortest uptime",
            [Q(f"bottomk(20, {c.DEVICE_UPTIME}{{{_F}}})")],
            columns=_DEVICE | {"Value": "Thời gian chạy"},
            unit="s",
            span=12,
        )
    )
    for title, what, metric in (
        ("Lỗi cổng mạng", "errors", c.INTERFACE_ERRORS.name),
        ("Gói bị hủy trên cổng", "discards", c.INTERFACE_DISCARDS.name),
    ):
        d = d.with_panel(
            time_series(
                title,
                f"The 10 interfaces with the most {what} per second (in + out, 5 m)",
                [Q(f"topk(10, {metric}{{{_F}}})", "{{device}} {{interface}}")],
                unit="pps",
            )
        )
    d = d.with_panel(
        table_panel(
            "Sai khác kiểm kê",
            "Every difference between what a device reports and the inventory: kind, port, "
            "expected, found",
            [Q(f"{c.RECONCILE_MISMATCH}{{{_F}}}")],
            columns=_DEVICE
            | {"kind": "Loại", "port": "Cổng", "expected": "Khai báo", "found": "Thực tế"},
            hide=("Time", "__name__", "job", "instance", "Value", "district_code"),
            height=12,
        )
    )
    d = d.with_panel(
        time_series(
            "Lỗi thăm dò SNMP theo nguyên nhân",
            "Devices whose SNMP poll fails, by reason (timeout, auth, credentials, "
            "unknown_target, protocol, network)",
            [Q(f"sum by (reason) ({c.SNMP_ERROR}{{{_F}}})", "{{reason}}")],
        )
    )
    d = d.with_panel(
        time_series(
            "Kết quả thu thập của SNMP exporter",
            "SNMP exporter scrapes per second, by module and outcome",
            [
                Q(
                    f"sum by (module, outcome) (rate({c.EXPORTER_SNMP_SCRAPES}[$__rate_interval]))",
                    "{{module}} {{outcome}}",
                )
            ],
            unit="reqps",
        )
    )
    return to_json(d)
