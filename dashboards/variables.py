"""The template variables the dashboards share (names fixed by the monitoring contract):
``datasource`` (a Prometheus), ``district``, ``site`` (depends on district and level), ``level``."""

from __future__ import annotations

from grafana_foundation_sdk.builders import dashboard as dash
from grafana_foundation_sdk.models import dashboard as model

from dashboards.panels import DATASOURCE
from monitors import contract as c

__all__ = [
    "DATASOURCE_UID",
    "SITE_FILTER",
    "application",
    "datasource",
    "district",
    "level",
    "node",
    "site",
    "standard",
]

DATASOURCE_UID = "edunet-prometheus"  # the provisioned datasource (provisioning.py)

# the label matchers of a per-site series under the three variables ("All" is ".*")
SITE_FILTER = 'district=~"$district", site=~"$site", level=~"$level"'


def datasource() -> dash.DatasourceVariable:
    return (
        dash.DatasourceVariable("datasource")
        .label("Nguồn dữ liệu")
        .description("Data source — the Prometheus that scrapes the edunet exporters")
        .type("prometheus")
        .current(model.VariableOption(text=DATASOURCE_UID, value=DATASOURCE_UID, selected=True))
    )


def _query(name: str, label: str, description: str, query: str) -> dash.QueryVariable:
    return (
        dash.QueryVariable(name)
        .label(label)
        .description(description)
        .datasource(DATASOURCE)
        .query(query)
        .refresh(model.VariableRefresh.ON_TIME_RANGE_CHANGED)
        .sort(model.VariableSort.ALPHABETICAL_CASE_INSENSITIVE_ASC)
    )


def _all(v: dash.QueryVariable) -> dash.QueryVariable:
    # ".*" rather than Grafana's list of values: short queries, and it also matches level=""
    return v.include_all(True).all_value(".*")


def district(*, allow_all: bool = True) -> dash.QueryVariable:
    v = _query(
        "district",
        "Quận/huyện",
        "District (quận/huyện) of the sites shown",
        f"label_values({c.SITE_INFO}, district)",
    )
    return _all(v) if allow_all else v


def level() -> dash.QueryVariable:
    return _all(
        _query(
            "level",
            "Cấp học",
            "School level (mam_non, tieu_hoc, thcs, thpt …); empty for offices",
            f'label_values({c.SITE_INFO}{{site_kind="school"}}, level)',
        )
    )


def site(*, allow_all: bool = True) -> dash.QueryVariable:
    v = _query(
        "site",
        "Đơn vị",
        "Site (school or office) code, among the chosen district and level",
        f'label_values({c.SITE_INFO}{{district=~"$district", level=~"$level"}}, site)',
    )
    return _all(v) if allow_all else v


def application() -> dash.QueryVariable:
    return _all(
        _query(
            "application",
            "Ứng dụng",
            "Shared application of the data center",
            f"label_values({c.APP_INFO}, application)",
        )
    )


def node() -> dash.QueryVariable:
    return _all(
        _query(
            "node",
            "Máy chủ/VM",
            "Data-center server or VM running a node exporter",
            'label_values(up{job="node"}, instance_name)',
        )
    )


def standard(*, single_site: bool = False) -> list[dash.DatasourceVariable | dash.QueryVariable]:
    """datasource, district, level, site — in dependency order."""
    return [
        datasource(),
        district(allow_all=not single_site),
        level(),
        site(allow_all=not single_site),
    ]
