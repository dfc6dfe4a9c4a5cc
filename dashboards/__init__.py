"""Grafana dashboards and provisioning, generated from the inventory (``edunet render``).

The dashboards are built with grafana-foundation-sdk's builders (Grafana 11.6 schema) and read
only the recording rules and raw metrics of the monitoring contract.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from dashboards.apps import apps
from dashboards.base import UIDS
from dashboards.city import city
from dashboards.datacenter import datacenter
from dashboards.district import district
from dashboards.districts import DISTRICTS_DIR, district_files
from dashboards.grafana_provisioning import DashboardSettings, provisioning_files
from dashboards.hardware import hardware
from dashboards.links import links
from dashboards.school import school
from edunet.generated import Renderer, RenderOptions
from edunet.model import Inventory

__all__ = [
    "OWNED_DIRS",
    "RENDERER",
    "UIDS",
    "DashboardSettings",
    "build_dashboards",
    "build_district_dashboards",
    "dashboard_path",
    "panel_queries",
    "render_dashboards",
]

_BUILDERS: dict[str, Callable[[Inventory], dict[str, Any]]] = {
    "edunet-city": city,
    "edunet-district": district,
    "edunet-school": school,
    "edunet-links": links,
    "edunet-datacenter": datacenter,
    "edunet-apps": apps,
    "edunet-hardware": hardware,
}


# directories whose every file is generated (a file there no longer rendered is stale)
OWNED_DIRS = ("dashboards/grafana", "dashboards/provisioning")


def dashboard_path(uid: str) -> str:
    return f"dashboards/grafana/{uid}.json"


def build_dashboards(inv: Inventory) -> dict[str, dict[str, Any]]:
    """uid → the dashboard's JSON data."""
    return {uid: build(inv) for uid, build in _BUILDERS.items()}


def _text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def build_district_dashboards(inv: Inventory) -> dict[str, dict[str, Any]]:
    """Repo-relative path → JSON data of every district's folder of dashboards."""
    files = district_files(inv, build_dashboards(inv), _text)
    return {path: json.loads(text) for path, text in files.items()}


def render_dashboards(inv: Inventory, settings: object | None = None) -> dict[str, str]:
    """Repo-relative path → file text: the seven dashboards, every district's folder of
    district-scoped dashboards, and the two provisioning files.

    ``settings`` is a :class:`DashboardSettings`; anything else (say the monitoring settings)
    means the defaults."""
    own = settings if isinstance(settings, DashboardSettings) else DashboardSettings()
    boards = build_dashboards(inv)
    files = {dashboard_path(uid): _text(data) for uid, data in boards.items()}
    files.update(district_files(inv, boards, _text))
    files.update(provisioning_files(own))
    return files


def _render(inv: Inventory, options: RenderOptions) -> dict[str, str]:
    return render_dashboards(inv)


RENDERER = Renderer(OWNED_DIRS, _render)  # `edunet render dashboards`


def panel_queries(files: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(dashboard uid, panel title, expr) of every query of every city-wide dashboard — to
    run them all against a Prometheus (the districts' copies repeat them). ``files`` is what
    :func:`render_dashboards` returns (other paths are ignored)."""
    out: list[tuple[str, str, str]] = []
    for path, text in sorted(files.items()):
        if not (path.startswith("dashboards/grafana/") and path.endswith(".json")):
            continue
        if path.startswith(f"{DISTRICTS_DIR}/"):
            continue  # the districts' copies: the same queries, the district fixed
        data = json.loads(text)
        for panel in _panels(data.get("panels", [])):
            for target in panel.get("targets", []):
                out.append((data["uid"], panel.get("title", ""), target.get("expr", "")))
    return out


def _panels(panels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in panels:
        out.append(p)
        out.extend(_panels(p.get("panels", [])))  # panels of a collapsed row
    return out
