"""Static info series from the inventory: sites, uplinks, applications and link thresholds
as recording rules, so alerts and dashboards join them instead of repeating the inventory."""

from __future__ import annotations

from edunet.model import Inventory, Site, SiteKind
from edunet.topology import topology_of
from monitors import contract as c
from monitors.rules.common import Rule, record
from monitors.rules.thresholds import THRESHOLDS

__all__ = ["district_office_of", "topology_groups"]

# the inventory changes only with a render and a reload; once a minute keeps every series
# well inside the 5-minute lookback
INFO_INTERVAL = "1m"


def district_office_of(inv: Inventory, site: Site) -> str:
    """The district office a site hangs under: itself for an office, the first district
    office upstream for a school (breadth first), else its district's office, else ""."""
    if site.kind is SiteKind.district_office:
        return site.code
    if site.kind is not SiteKind.school:
        return ""
    seen = {site.code}
    queue = list(site.upstream)
    while queue:
        code = queue.pop(0)
        if code in seen or code not in inv.sites:
            continue
        seen.add(code)
        up = inv.sites[code]
        if up.kind is SiteKind.district_office:
            return up.code
        if up.kind is SiteKind.school:  # a school behind another school
            queue.extend(up.upstream)
    office = inv.district_office(site.district)
    return office.code if office is not None else ""


def _num(value: float) -> str:
    return f"{value:g}"


def _sites(inv: Inventory) -> list[Rule]:
    topo = topology_of(inv)
    rules: list[Rule] = []
    for site in inv.sites.values():
        cut = topo.impact(site.code).schools_cut if site.kind is SiteKind.district_office else 0
        labels = {
            "site": site.code,
            "site_name": site.name,
            "site_kind": site.kind.value,
            "district": inv.districts[site.district].name,
            "district_code": site.district,
            "level": site.level.value if site.level is not None else "",
            "district_office": district_office_of(inv, site),
            "schools_cut_off": str(cut),
        }
        # where it is, for Grafana's Geomap ("" is no label at all: a site without a location)
        loc = site.location
        labels["lat"] = f"{loc.lat:.5f}" if loc is not None else ""
        labels["lon"] = f"{loc.lon:.5f}" if loc is not None else ""
        rules.append(record(c.SITE_INFO, "vector(1)", labels))
    return rules


def _uplinks(inv: Inventory) -> list[Rule]:
    topo = topology_of(inv)
    rules: list[Rule] = []
    for site in inv.sites.values():
        for link_id in site.uplinks:
            link = inv.links[link_id]
            if link.a.device is None or link.a.port is None:
                continue
            labels = {
                "device": link.a.device,
                "interface": link.a.port,
                "link": link.id,
                "site": site.code,
                "site_name": site.name,
                "district_code": site.district,
                "isp": link.isp or "",
                "medium": link.medium.value,
                "schools_cut_off": str(topo.impact(link.id).schools_cut),
            }
            rules.append(record(c.UPLINK_INFO, "vector(1)", labels))
    return rules


def _applications(inv: Inventory) -> list[Rule]:
    rules: list[Rule] = []
    for app in inv.applications.values():
        info = {
            "application": app.code,
            "name": app.name,
            "name_en": app.name_en,
            "criticality": app.criticality.value,
        }
        rules.append(record(c.APP_INFO, "vector(1)", info))
    for app in inv.applications.values():
        ratio = _num(app.slo_availability_pct / 100)
        rules.append(record(c.APP_SLO, f"vector({ratio})", {"application": app.code}))
    for app in inv.applications.values():
        if app.slo_latency_ms is not None:
            seconds = _num(app.slo_latency_ms / 1000)
            rules.append(
                record(
                    c.APP_LATENCY_SLO,
                    f"vector({seconds})",
                    {"application": app.code},
                )
            )
    return rules


def _thresholds() -> list[Rule]:
    rules: list[Rule] = []
    for series, aspect in (
        (c.LINK_THRESHOLD_LOSS, "loss"),
        (c.LINK_THRESHOLD_LATENCY, "latency"),
        (c.LINK_THRESHOLD_JITTER, "jitter"),
    ):
        for medium, t in THRESHOLDS.items():
            value = {"loss": t.loss_ratio, "latency": t.latency_s, "jitter": t.jitter_s}[aspect]
            rules.append(
                record(
                    series,
                    f"vector({_num(value)})",
                    {"medium": medium.value},
                )
            )
    return rules


def topology_groups(inv: Inventory, interval: str = INFO_INTERVAL) -> list[Rule]:
    """The groups of edunet-topology.rules.yml (the lab passes a scaled ``interval``)."""
    return [
        {"name": "edunet-topology-sites", "interval": interval, "rules": _sites(inv)},
        {"name": "edunet-topology-uplinks", "interval": interval, "rules": _uplinks(inv)},
        {
            "name": "edunet-topology-applications",
            "interval": interval,
            "rules": _applications(inv),
        },
        {"name": "edunet-topology-thresholds", "interval": interval, "rules": _thresholds()},
    ]
