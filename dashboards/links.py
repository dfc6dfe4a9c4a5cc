"""Chất lượng đường truyền (edunet-links): latency and loss spread over every site uplink, the
worst uplinks by ISP and medium, jitter against the medium's threshold."""

from __future__ import annotations

from typing import Any

from dashboards import variables as var
from dashboards.base import new_dashboard, to_json
from dashboards.panels import (
    SITE_COLUMNS,
    Q,
    bar_gauge,
    count_thresholds,
    heatmap_panel,
    school_link,
    stat_panel,
    table_panel,
    time_series,
    unit_override,
)
from edunet.model import Inventory

__all__ = ["links"]

_F = var.SITE_FILTER


def links(inv: Inventory) -> dict[str, Any]:
    media = sorted({link.medium.value for link in inv.links.values()})
    d = new_dashboard(
        "edunet-links",
        "Link quality — RTT and loss of every site uplink as heatmaps, the worst uplinks by "
        f"ISP and medium ({', '.join(media)}), jitter against each medium's threshold.",
        var.standard(),
    )
    over = [
        ("Mất gói", "loss", "loss"),
        ("Độ trễ", "latency", "rtt"),
        ("Jitter", "jitter", "jitter"),
    ]
    for title, what, rule in over:
        metric = {
            "loss": "edunet:site_probe_loss:ratio",
            "rtt": "edunet:site_probe_rtt:seconds",
            "jitter": "edunet:site_probe_jitter:seconds",
        }[rule]
        threshold = {
            "loss": "edunet:link_threshold_loss:ratio",
            "rtt": "edunet:link_threshold_latency:seconds",
            "jitter": "edunet:link_threshold_jitter:seconds",
        }[rule]
        d = d.with_panel(
            stat_panel(
                f"Đường truyền vượt ngưỡng {title.lower()}",
                f"Site uplinks whose {what} is above their medium's threshold now",
                Q(f"count({metric}{{{_F}}} > on (medium) group_left {threshold}) or vector(0)"),
                thresholds=count_thresholds(),
                span=8,
            )
        )
    d = d.with_panel(
        heatmap_panel(
            "Phân bố độ trễ",
            "Round-trip time to every chosen site, from the prober's histogram buckets",
            Q(
                "sum by (le) (rate(edunet_probe_rtt_seconds_bucket"
                f'{{kind="site", {_F}}}[$__rate_interval]))',
                "{{le}}",
            ),
            unit="s",
            from_buckets=True,
        )
    )
    d = d.with_panel(
        heatmap_panel(
            "Phân bố mất gói",
            "Spread of packet loss over the chosen sites' uplinks (5 m loss per site, bucketed)",
            Q(f"edunet:site_probe_loss:ratio{{{_F}}}", "{{site}}"),
            unit="percentunit",
            from_buckets=False,
        )
    )
    for title, what, metric, unit in (
        ("Mất gói theo nhà mạng và loại đường truyền", "loss", "loss:ratio", "percentunit"),
        ("Độ trễ theo nhà mạng và loại đường truyền", "mean RTT", "rtt:seconds", "s"),
    ):
        d = d.with_panel(
            bar_gauge(
                title,
                f"Mean {what} of the site uplinks, per ISP and medium",
                Q(
                    f"avg by (isp, medium) (edunet:site_probe_{metric}{{{_F}}})",
                    "{{isp}} / {{medium}}",
                ),
                unit=unit,
            )
        )
    d = d.with_panel(
        table_panel(
            "Đường truyền kém nhất",
            "The 20 site uplinks with the highest loss, with their RTT and jitter, ISP and medium",
            [
                Q(f"topk(20, edunet:site_probe_loss:ratio{{{_F}}})", ref="A"),
                Q(f"edunet:site_probe_rtt:seconds{{{_F}}}", ref="B"),
                Q(f"edunet:site_probe_jitter:seconds{{{_F}}}", ref="C"),
            ],
            columns=SITE_COLUMNS
            | {"Value #A": "Mất gói", "Value #B": "Độ trễ", "Value #C": "Jitter"},
            hide=("Time", "__name__", "job", "instance", "district_code"),
            unit="s",
            links=[school_link()],
            height=12,
        ).override_by_name("Value #A", unit_override("percentunit"))
    )
    d = d.with_panel(
        time_series(
            "Jitter cao nhất",
            "The 10 site uplinks with the highest jitter, over time",
            [Q(f"topk(10, edunet:site_probe_jitter:seconds{{{_F}}})", "{{site_name}}")],
            unit="s",
        )
    )
    d = d.with_panel(
        time_series(
            "Ngưỡng theo loại đường truyền",
            "The loss, latency and jitter thresholds of each uplink medium (from the rules)",
            [
                Q("edunet:link_threshold_loss:ratio", "mất gói {{medium}}"),
                Q("edunet:link_threshold_latency:seconds", "độ trễ {{medium}}"),
                Q("edunet:link_threshold_jitter:seconds", "jitter {{medium}}"),
            ],
        )
    )
    return to_json(d)
