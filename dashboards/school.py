"""Trường học (edunet-school): one site — its devices, interfaces, uplink traffic and
utilisation, and what the prober sees of its uplink."""

from __future__ import annotations

from typing import Any

from dashboards import variables as var
from dashboards.base import new_dashboard, to_json
from dashboards.panels import (
    SITE_LABELS_HIDDEN,
    Q,
    availability_thresholds,
    count_thresholds,
    device_status_table,
    stat_panel,
    table_panel,
    time_series,
    up_down_mappings,
    up_down_override,
)
from edunet.model import Inventory
from monitors import contract as c

__all__ = ["school"]

_S = 'site=~"$site"'
_UP = f'{_S}, uplink="true"'
_DEVICE_COLUMNS = {"device": "Thiết bị", "role": "Vai trò", "interface": "Cổng"}


def school(inv: Inventory) -> dict[str, Any]:
    d = new_dashboard(
        "edunet-school",
        "School (or office) — one site: its devices, interfaces, uplink traffic and "
        f"utilisation, probe RTT and loss. {len(inv.sites)} sites in the inventory.",
        var.standard(single_site=True),
    )
    d = d.with_panel(
        stat_panel(
            "Kết nối",
            "Whether the site answers the prober now (its uplink gateway)",
            Q(f"{c.SITE_UP}{{{_S}}}"),
            mappings=up_down_mappings(),
            thresholds=availability_thresholds(),
        )
    )
    d = d.with_panel(
        stat_panel(
            "Thiết bị hoạt động",
            "Devices of the site answering their SNMP poll now",
            Q(f"sum({c.SNMP_UP}{{{_S}}})"),
        )
    )
    d = d.with_panel(
        stat_panel(
            "Thiết bị mất kết nối",
            "Devices of the site not answering their SNMP poll now",
            Q(f"sum({c.SITE_DEVICES_DOWN}{{{_S}}}) or vector(0)"),
            thresholds=count_thresholds(),
        )
    )
    d = d.with_panel(
        stat_panel(
            "Khả dụng 30 ngày",
            "The site's availability over the last 30 days",
            Q(f"{c.SITE_AVAILABILITY['30d']}{{{_S}}}"),
            unit="percentunit",
            thresholds=availability_thresholds(),
        )
    )
    d = d.with_panel(
        device_status_table("Thiết bị", "The site's devices: answering SNMP, uptime", _S)
    )
    d = d.with_panel(
        table_panel(
            "Cổng mạng",
            "Every interface of the site's devices: operational and administrative status, speed",
            [
                Q(f"{c.INTERFACE_OPER_UP}{{{_S}}}", ref="A"),
                Q(f"{c.INTERFACE_ADMIN_UP}{{{_S}}}", ref="B"),
                Q(f"{c.INTERFACE_SPEED}{{{_S}}}", ref="C"),
            ],
            columns=_DEVICE_COLUMNS
            | {
                "Value #A": "Hoạt động",
                "Value #B": "Bật",
                "Value #C": "Tốc độ",
                "uplink": "Uplink",
                "ifAlias": "Mô tả",
            },
            # the port's name is already in ``interface``; its description and index stay
            hide=(*SITE_LABELS_HIDDEN, "ifName", "ifDescr"),
            unit="bps",
            span=12,
        )
        .override_by_name("Value #A", up_down_override())
        .override_by_name("Value #B", up_down_override())
    )
    d = d.with_panel(
        time_series(
            "Lưu lượng đường truyền",
            "Traffic on the site's uplink ports, in and out (bits/s)",
            [
                Q(
                    f"rate({c.INTERFACE_IN_OCTETS}{{{_UP}}}[$__rate_interval]) * 8",
                    "vào {{device}} {{interface}} ({{isp}})",
                ),
                Q(
                    f"rate({c.INTERFACE_OUT_OCTETS}{{{_UP}}}[$__rate_interval]) * 8",
                    "ra {{device}} {{interface}} ({{isp}})",
                ),
            ],
            unit="bps",
        )
    )
    d = d.with_panel(
        time_series(
            "Mức sử dụng đường truyền",
            "Uplink utilisation: the larger of in and out over the port speed (5 m)",
            [Q(f"{c.UPLINK_UTILISATION}{{{_S}}}", "{{device}} {{interface}}")],
            unit="percentunit",
            max_val=1,
        )
    )
    d = d.with_panel(
        time_series(
            "Độ trễ và jitter",
            "Mean round-trip time and jitter to the site's uplink, seen from the data center",
            [
                Q(f"{c.SITE_PROBE_RTT}{{{_S}}}", "RTT"),
                Q(f"{c.SITE_PROBE_JITTER}{{{_S}}}", "jitter"),
            ],
            unit="s",
        )
    )
    d = d.with_panel(
        time_series(
            "Mất gói",
            "Packet loss to the site's uplink (5 m)",
            [Q(f"{c.SITE_PROBE_LOSS}{{{_S}}}", "mất gói")],
            unit="percentunit",
        )
    )
    return to_json(d)
