"""Trung tâm dữ liệu (edunet-datacenter): servers and VMs (node exporter), the data center's
network devices and its uplinks to the ISPs."""

from __future__ import annotations

from typing import Any

from dashboards import variables as var
from dashboards.base import new_dashboard, to_json
from dashboards.panels import (
    Q,
    count_thresholds,
    device_status_table,
    stat_panel,
    table_panel,
    time_series,
    up_down_override,
)
from edunet.model import Inventory
from monitors import contract as c

__all__ = ["datacenter"]

_N = 'job="node", instance_name=~"$node"'


def datacenter(inv: Inventory) -> dict[str, Any]:
    dc = inv.datacenter
    isps = sorted({link.isp for link in inv.site_links(dc.code) if link.to_internet and link.isp})
    dc_sel = f'site="{dc.code}"'
    up_dc = f'{dc_sel}, uplink="true"'
    d = new_dashboard(
        "edunet-datacenter",
        f"Data center ({dc.name}) — CPU, memory, disk and network of every server and VM "
        f"(node exporter, job node), the data center's network devices and its uplinks to "
        f"{', '.join(isps) or 'the ISPs'}.",
        [var.datasource(), var.node()],
    )
    d = d.with_panel(
        stat_panel(
            "Máy chủ/VM không phản hồi",
            "Servers and VMs whose node exporter is not scraped successfully now",
            Q(f"count(up{{{_N}}} == 0) or vector(0)"),
            thresholds=count_thresholds(),
            span=8,
        )
    )
    d = d.with_panel(
        stat_panel(
            "Thiết bị mạng TTDL mất kết nối",
            "Network devices of the data center not answering their SNMP poll now",
            Q(f"sum({c.SITE_DEVICES_DOWN}{{{dc_sel}}}) or vector(0)"),
            thresholds=count_thresholds(),
            span=8,
        )
    )
    d = d.with_panel(
        stat_panel(
            "Mức sử dụng đường truyền Internet cao nhất",
            "The busiest uplink of the data center to an ISP, as a share of its speed",
            Q(f"max({c.UPLINK_UTILISATION}{{{dc_sel}}})"),
            unit="percentunit",
            span=8,
        )
    )
    resources = [
        (
            "CPU",
            "CPU busy share per server/VM (all CPUs, not idle)",
            f'1 - avg by (instance_name) (rate(node_cpu_seconds_total{{{_N}, mode="idle"}}'
            "[$__rate_interval]))",
            "percentunit",
        ),
        (
            "Bộ nhớ",
            "Memory in use per server/VM (1 − available / total)",
            f"1 - node_memory_MemAvailable_bytes{{{_N}}} / node_memory_MemTotal_bytes{{{_N}}}",
            "percentunit",
        ),
        (
            "Ổ đĩa",
            "Space used per file system (tmpfs and overlays left out)",
            f'1 - node_filesystem_avail_bytes{{{_N}, fstype!~"tmpfs|overlay|squashfs"}}'
            f' / node_filesystem_size_bytes{{{_N}, fstype!~"tmpfs|overlay|squashfs"}}',
            "percentunit",
        ),
        (
            "Mạng nhận",
            "Bits per second received per server/VM (loopback left out)",
            f'sum by (instance_name) (rate(node_network_receive_bytes_total{{{_N}, device!="lo"}}'
            "[$__rate_interval])) * 8",
            "bps",
        ),
        (
            "Mạng gửi",
            "Bits per second sent per server/VM (loopback left out)",
            f"sum by (instance_name) (rate(node_network_transmit_bytes_total"
            f'{{{_N}, device!="lo"}}[$__rate_interval])) * 8',
            "bps",
        ),
    ]
    for title, desc, expr, unit in resources:
        legend = "{{instance_name}} {{mountpoint}}" if "filesystem" in expr else "{{instance_name}}"
        d = d.with_panel(
            time_series(
                title,
                desc,
                [Q(expr, legend)],
                unit=unit,
                max_val=1 if unit == "percentunit" else None,
            )
        )
    d = d.with_panel(
        table_panel(
            "Máy chủ và VM",
            "Every server and VM with a node exporter: scraped now, application",
            [Q(f"up{{{_N}}}")],
            columns={
                "instance_name": "Tên",
                "application": "Ứng dụng",
                "Value": "Trạng thái",
            },
            hide=("Time", "__name__", "job", "instance", "node"),
            span=12,
        ).override_by_name("Value", up_down_override())
    )
    d = d.with_panel(
        device_status_table(
            "Thiết bị mạng TTDL",
            "The data center's routers, firewalls and switches: answering SNMP, uptime",
            dc_sel,
        )
    )
    for direction, word, octets in (
        ("in", "vào", c.INTERFACE_IN_OCTETS),
        ("out", "ra", c.INTERFACE_OUT_OCTETS),
    ):
        d = d.with_panel(
            time_series(
                f"Lưu lượng Internet ({word})",
                f"Traffic {direction} on the data center's uplinks to the ISPs (bits/s)",
                [
                    Q(
                        f"rate({octets}{{{up_dc}}}[$__rate_interval]) * 8",
                        "{{isp}} {{device}} {{interface}}",
                    )
                ],
                unit="bps",
            )
        )
    d = d.with_panel(
        time_series(
            "Mức sử dụng đường truyền Internet",
            "Utilisation of each ISP uplink: the larger of in and out over the port speed (5 m)",
            [Q(f"{c.UPLINK_UTILISATION}{{{dc_sel}}}", "{{isp}} {{device}} {{interface}}")],
            unit="percentunit",
            max_val=1,
        )
    )
    return to_json(d)
