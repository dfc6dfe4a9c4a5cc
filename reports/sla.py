"""ISP SLAs: each ISP's sites, per medium, against the contract's availability and the
medium's loss, latency and jitter thresholds (the recorded ``edunet:link_threshold_*``)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

from edunet.model import Inventory, Site
from monitors import contract as c
from reports.model import IspRow
from reports.period import Month
from reports.prom import Prometheus
from reports.queries import SUBSTEP, breach_steps, link_mean

__all__ = ["isp_rows", "provider_of"]

SUBSTEP_S = 300
assert SUBSTEP == "5m"

_ASPECTS = (
    ("loss", c.SITE_PROBE_LOSS, c.LINK_THRESHOLD_LOSS),
    ("latency", c.SITE_PROBE_RTT, c.LINK_THRESHOLD_LATENCY),
    ("jitter", c.SITE_PROBE_JITTER, c.LINK_THRESHOLD_JITTER),
)


def provider_of(inv: Inventory, site: Site) -> tuple[str, str] | None:
    """(ISP, medium) of the site's first uplink that rides an ISP."""
    for link_id in site.uplinks:
        link = inv.links[link_id]
        if link.isp:
            return link.isp, link.medium.value
    return None


def isp_rows(
    inv: Inventory,
    prom: Prometheus,
    month: Month,
    availability: Mapping[str, float],
) -> list[IspRow]:
    at, secs = month.end.timestamp(), month.seconds
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    sla: dict[tuple[str, str], float] = {}
    for site in inv.sites.values():
        key = provider_of(inv, site)
        if key is None or site.code not in availability:
            continue
        groups[key].append(site.code)
        for link_id in site.uplinks:
            link = inv.links[link_id]
            if (link.isp, link.medium.value) == key and link.sla is not None:
                sla[key] = min(sla.get(key, 1.0), link.sla.availability_pct / 100)
    means: dict[str, dict[tuple[str, str], list[float]]] = {}
    limits: dict[str, dict[str, float]] = {}
    over: dict[tuple[str, str], list[tuple[str, str, float]]] = defaultdict(list)
    for aspect, series, threshold in _ASPECTS:
        per: dict[tuple[str, str], list[float]] = defaultdict(list)
        for s in prom.instant(link_mean(series, secs), at):
            per[(s.labels.get("isp", ""), s.labels.get("medium", ""))].append(s.value)
        means[aspect] = per
        limits[aspect] = {
            s.labels.get("medium", ""): s.value for s in prom.instant(str(threshold), at)
        }
        for s in prom.instant(breach_steps(series, threshold, secs), at):
            key = (s.labels.get("isp", ""), s.labels.get("medium", ""))
            over[key].append((s.labels.get("site", ""), aspect, s.value * SUBSTEP_S / 3600))
    rows = []
    for (isp, medium), codes in sorted(groups.items()):
        key = (isp, medium)

        def mean(aspect: str, key: tuple[str, str] = key) -> float:
            values = [v for v in means[aspect].get(key, []) if math.isfinite(v)]
            return sum(values) / len(values) if values else math.nan

        rows.append(
            IspRow(
                isp=isp,
                medium=medium,
                sites=len(codes),
                availability=sum(availability[s] for s in codes) / len(codes),
                sla_availability=sla.get(key, math.nan),
                loss=mean("loss"),
                latency_s=mean("latency"),
                jitter_s=mean("jitter"),
                max_loss=limits["loss"].get(medium, math.nan),
                max_latency_s=limits["latency"].get(medium, math.nan),
                max_jitter_s=limits["jitter"].get(medium, math.nan),
                breaches=tuple(sorted(over.get(key, []), key=lambda b: (-b[2], b[0]))),
            )
        )
    return rows
