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
from monitors import contract as c

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
        ("Mất gói", "loss", c.SITE_PROBE_LOSS, c.LINK_THRESHOLD_LOSS),
        ("Độ trễ", "latency", c.SITE_PROBE_RTT, c.LINK_THRESHOLD_LATENCY),
        ("Jitter", "jitter", c.SITE_PROBE_JITTER, c.LINK_THRESHOLD_JITTER),
    ]
    for title, what, metric, threshold in over:
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
                f"sum by (le) (rate({c.PROBE_RTT.part('bucket')}"
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
            Q(f"{c.SITE_PROBE_LOSS}{{{_F}}}", "{{site}}"),
            unit="percentunit",
            from_buckets=False,
        )
    )
    for title, what, metric, unit in (
        ("Mất gói theo nhà mạng và loại đường truyền", "loss", c.SITE_PROBE_LOSS, "percentunit"),
        ("Độ trễ theo nhà mạng và loại đường truyền", "mean RTT", c.SITE_PROBE_RTT, "s"),
    ):
        d = d.with_panel(
            bar_gauge(
                title,
                f"Mean {what} of the site uplinks, per ISP and medium",
                Q(
                    f"avg by (isp, medium) ({metric}{{{_F}}})",
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
                Q(f"topk(20, {c.SITE_PROBE_LOSS}{{{_F}}})", ref="A"),
                Q(f"{c.SITE_PROBE_RTT}{{{_F}}}", ref="B"),
                Q(f"{c.SITE_PROBE_JITTER}{{{_F}}}", ref="C"),
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
            [Q(f"topk(10, {c.SITE_PROBE_JITTER}{{{_F}}})", "{{site_name}}")],
            unit="s",
        )
    )
    d = d.with_panel(
        time_series(
            "Ngưỡng theo loại đường truyền",
            "The loss, latency and jitter thresholds of each uplink medium (from the rules)",
            [
                Q(c.LINK_THRESHOLD_LOSS.name, "mất gói {{medium}}"),
                Q(c.LINK_THRESHOLD_LATENCY.name, "độ trễ {{medium}}"),
                Q(c.LINK_THRESHOLD_JITTER.name, "jitter {{medium}}"),
            ],
        )
    )
    return to_json(d)
