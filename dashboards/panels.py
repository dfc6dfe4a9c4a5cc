"""Panel builders every dashboard shares: each takes a Vietnamese title, an English description
and PromQL, and returns an SDK builder whose datasource is the ``$datasource`` variable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from grafana_foundation_sdk.builders import bargauge, heatmap, prometheus, stat, table, timeseries
from grafana_foundation_sdk.builders import dashboard as dash
from grafana_foundation_sdk.builders.common import ReduceDataOptions
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models import dashboard as model
from grafana_foundation_sdk.models import heatmap as heatmap_model
from grafana_foundation_sdk.models.prometheus import PromQueryFormat

from monitors import contract as c

__all__ = [
    "DATASOURCE",
    "SITE_COLUMNS",
    "SITE_LABELS_HIDDEN",
    "Q",
    "availability_thresholds",
    "bar_gauge",
    "count_thresholds",
    "device_status_table",
    "heatmap_panel",
    "link",
    "school_link",
    "stat_panel",
    "table_panel",
    "time_series",
    "unit_override",
    "up_down_mappings",
    "up_down_override",
]

# every panel and query variable reads the dashboard's datasource variable, never a fixed uid
DATASOURCE = model.DataSourceRef(type_val="prometheus", uid="${datasource}")


@dataclass(frozen=True, slots=True)
class Q:
    """One PromQL query of a panel; ``legend`` is Grafana's legend format (``{{site_name}}``)."""

    expr: str
    legend: str = ""
    # table columns after a merge are named by this (``Value #<ref>``), so it reads in the JSON
    ref: str = ""


def _targets(
    queries: Sequence[Q], *, instant: bool, fmt: PromQueryFormat | None = None
) -> list[prometheus.Dataquery]:
    out: list[prometheus.Dataquery] = []
    for i, q in enumerate(queries):
        t = prometheus.Dataquery().expr(q.expr).ref_id(q.ref or chr(ord("A") + i))
        t = t.instant() if instant else t.range()
        if q.legend:
            t = t.legend_format(q.legend)
        if fmt is not None:
            t = t.format(fmt)
        out.append(t)
    return out


def table_targets(queries: Sequence[Q]) -> list[prometheus.Dataquery]:
    """Instant queries in table format (a table's or a map's rows)."""
    return _targets(queries, instant=True, fmt=PromQueryFormat.TABLE)


def _thresholds(steps: Sequence[tuple[float | None, str]]) -> dash.ThresholdsConfig:
    return (
        dash.ThresholdsConfig()
        .mode(model.ThresholdsMode.ABSOLUTE)
        .steps([model.Threshold(value=v, color=colour) for v, colour in steps])
    )


def count_thresholds() -> dash.ThresholdsConfig:
    """Green at 0, red from 1 (things down)."""
    return _thresholds([(None, "green"), (1, "red")])


def unit_override(unit: str) -> list[model.DynamicConfigValue]:
    """The properties of a field override that sets another unit on one column."""
    return [model.DynamicConfigValue(id_val="unit", value=unit)]


def up_down_override() -> list[model.DynamicConfigValue]:
    """Override properties showing a 1/0 column as Hoạt động / Mất kết nối."""
    return [
        model.DynamicConfigValue(id_val="unit", value="short"),
        model.DynamicConfigValue(id_val="mappings", value=up_down_mappings()),
    ]


# label → Vietnamese column title, for tables of per-site series
SITE_COLUMNS = {
    "site": "Mã đơn vị",
    "site_name": "Đơn vị",
    "district": "Quận/huyện",
    "level": "Cấp học",
    "isp": "Nhà mạng",
    "medium": "Loại đường truyền",
}


def school_link() -> dash.DashboardLink:
    """A data link from a table row of a site to its school dashboard."""
    return link(
        "Mở đơn vị",
        "edunet-school",
        "var-district=${__data.fields.district}&var-site=${__data.fields.site}"
        "&${datasource:queryparam}",
    )


def availability_thresholds() -> dash.ThresholdsConfig:
    """Red below 95 %, orange below 99 %, green above (ratios)."""
    return _thresholds([(None, "red"), (0.95, "orange"), (0.99, "green")])


def up_down_mappings() -> list[model.ValueMapping]:
    """1/0 as Vietnamese words: Hoạt động (up) / Mất kết nối (down)."""
    return [
        model.ValueMap(
            options={
                "1": model.ValueMappingResult(text="Hoạt động", color="green", index=0),
                "0": model.ValueMappingResult(text="Mất kết nối", color="red", index=1),
            }
        )
    ]


def link(title: str, uid: str, params: str = "", tooltip: str = "") -> dash.DashboardLink:
    """A link to another edunet dashboard, keeping the time range (and ``params`` as query)."""
    url = f"/d/{uid}/{uid}" + (f"?{params}" if params else "")
    out = dash.DashboardLink(title).type(model.DashboardLinkType.LINK).url(url).keep_time(True)
    return out.tooltip(tooltip) if tooltip else out


def stat_panel(
    title: str,
    description: str,
    query: Q,
    *,
    unit: str = "short",
    thresholds: dash.ThresholdsConfig | None = None,
    mappings: list[model.ValueMapping] | None = None,
    span: int = 6,
    height: int = 5,
) -> stat.Panel:
    p = (
        stat.Panel()
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .targets(list(_targets([query], instant=True)))
        .unit(unit)
        .span(span)
        .height(height)
        .graph_mode(common.BigValueGraphMode.NONE)
        .color_mode(common.BigValueColorMode.VALUE)
        .reduce_options(ReduceDataOptions().calcs(["lastNotNull"]).values(False))
    )
    p = p.thresholds(thresholds or _thresholds([(None, "green")]))
    return p.mappings(mappings) if mappings else p


def time_series(
    title: str,
    description: str,
    queries: Sequence[Q],
    *,
    unit: str = "short",
    span: int = 12,
    height: int = 8,
    max_val: float | None = None,
) -> timeseries.Panel:
    p = (
        timeseries.Panel()
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .targets(list(_targets(queries, instant=False)))
        .unit(unit)
        .span(span)
        .height(height)
        .min(0)
    )
    return p.max(max_val) if max_val is not None else p


def table_panel(
    title: str,
    description: str,
    queries: Sequence[Q],
    *,
    columns: dict[str, str] | None = None,
    hide: Sequence[str] = ("Time", "__name__", "job", "instance"),
    unit: str = "short",
    links: Sequence[dash.DashboardLink] = (),
    mappings: list[model.ValueMapping] | None = None,
    span: int = 24,
    height: int = 10,
) -> table.Panel:
    """An instant table; several queries are merged into one row per label set, their values
    renamed to ``columns`` (``Value #<ref>`` → Vietnamese column title)."""
    p = (
        table.Panel()
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .targets(list(_targets(queries, instant=True, fmt=PromQueryFormat.TABLE)))
        .unit(unit)
        .span(span)
        .height(height)
        .filterable(True)
        .cell_options(common.TableAutoCellOptions())  # required by Grafana's table schema
    )
    if len(queries) > 1:
        p = p.with_transformation(model.DataTransformerConfig(id_val="merge", options={}))
    organize: dict[str, object] = {
        "excludeByName": {name: True for name in hide},
        "renameByName": dict(columns or {}),
    }
    p = p.with_transformation(model.DataTransformerConfig(id_val="organize", options=organize))
    if links:
        p = p.data_links(list(links))
    return p.mappings(mappings) if mappings else p


def bar_gauge(
    title: str,
    description: str,
    query: Q,
    *,
    unit: str = "short",
    thresholds: dash.ThresholdsConfig | None = None,
    span: int = 12,
    height: int = 8,
) -> bargauge.Panel:
    p = (
        bargauge.Panel()
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .targets(list(_targets([query], instant=True)))
        .unit(unit)
        .span(span)
        .height(height)
        .orientation(common.VizOrientation.HORIZONTAL)
        .display_mode(common.BarGaugeDisplayMode.GRADIENT)
        .reduce_options(ReduceDataOptions().calcs(["lastNotNull"]).values(False))
    )
    return p.thresholds(thresholds or _thresholds([(None, "green")]))


def heatmap_panel(
    title: str,
    description: str,
    query: Q,
    *,
    unit: str,
    from_buckets: bool,
    span: int = 12,
    height: int = 9,
) -> heatmap.Panel:
    """A heatmap of a histogram's buckets (``from_buckets``, the query returns ``le`` series) or
    of the spread of many series, bucketed by Grafana (``calculate``)."""
    fmt = PromQueryFormat.HEATMAP if from_buckets else None
    p = (
        heatmap.Panel()
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .targets(list(_targets([query], instant=False, fmt=fmt)))
        .span(span)
        .height(height)
        .calculate(not from_buckets)
        .y_axis(heatmap.YAxisConfig().unit(unit))
        .color(
            heatmap.HeatmapColorOptions()
            .mode(heatmap_model.HeatmapColorMode.SCHEME)
            .scheme("Oranges")
            .steps(64)
        )
    )
    return p


# the site's own labels: a table about one site (or the data center) need not repeat them
SITE_LABELS_HIDDEN = (
    "Time",
    "__name__",
    "job",
    "instance",
    "site",
    "site_name",
    "district",
    "district_code",
    "level",
)


def device_status_table(title: str, description: str, selector: str) -> table.Panel:
    """One row per device the ``selector`` matches: answering SNMP (up/down) and uptime."""
    return table_panel(
        title,
        description,
        [
            Q(f"{c.SNMP_UP}{{{selector}}}", ref="A"),
            Q(f"{c.DEVICE_UPTIME}{{{selector}}}", ref="B"),
        ],
        columns={
            "device": "Thiết bị",
            "role": "Vai trò",
            "Value #A": "Trạng thái",
            "Value #B": "Thời gian chạy",
        },
        hide=SITE_LABELS_HIDDEN,
        unit="s",
        span=12,
    ).override_by_name("Value #A", up_down_override())
