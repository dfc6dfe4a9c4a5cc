"""``/status``: live up/down, loss and latency per site, from Prometheus' recording rules.

Nothing here is ever invented: without a configured Prometheus, or when it fails, the
answer says so (``live: false`` and a ``reason``) and carries no status field; a site
Prometheus has no sample for carries none either (missing data is never "up").
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Scope
from api.deps import PrincipalDep, api_dependencies, scoped
from api.prometheus import PrometheusClient, PrometheusError, PromQuery, Sample
from api.settings import Settings
from api.views import LIST_ERRORS, DistrictQuery, SiteQuery
from edunet.model import Inventory, Site, SiteKind
from monitors.contract import SITE_PROBE_LOSS, SITE_PROBE_RTT, SITE_UP

router = APIRouter(
    prefix="/status", tags=["status"], dependencies=api_dependencies(Scope.inventory_read)
)

# the recording rules this route reads, as instant queries (the metric contract's names)
QUERIES = (SITE_UP.name, SITE_PROBE_LOSS.name, SITE_PROBE_RTT.name)
NOT_CONFIGURED = "no Prometheus configured"

SITE_EXAMPLE: dict[str, Any] = {
    "code": "79760012",
    "name": "Trường Tiểu học Trần Hưng Đạo",
    "kind": "school",
    "district": "760",
    "up": True,
    "uplinks": [{"isp": "VNPT", "medium": "fiber", "loss_ratio": 0.0, "rtt_ms": 3.2}],
}


class UplinkStatus(BaseModel):
    isp: str = Field(description="The uplink's provider, as the prober labels it.")
    medium: str = Field(description="fiber, ftth, metro-ethernet, …")
    loss_ratio: float | None = Field(None, description="Probe loss over 5 minutes, 0 to 1.")
    rtt_ms: float | None = Field(None, description="Mean probe round trip over 5 minutes.")


class SiteStatus(BaseModel):
    """A site; ``up`` and ``uplinks`` only when Prometheus measured them."""

    code: str
    name: str
    kind: SiteKind
    district: str
    up: bool | None = Field(None, description="Absent when there is no measurement.")
    uplinks: list[UplinkStatus] | None = Field(
        None, description="Absent when there is no measurement."
    )


class StatusPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "live": True,
                    "reason": None,
                    "items": [SITE_EXAMPLE],
                    "total": 1,
                    "offset": 0,
                    "limit": 50,
                    "next_offset": None,
                },
                {
                    "live": False,
                    "reason": NOT_CONFIGURED,
                    "items": [{k: SITE_EXAMPLE[k] for k in ("code", "name", "kind", "district")}],
                    "total": 1,
                    "offset": 0,
                    "limit": 50,
                    "next_offset": None,
                },
            ]
        }
    )

    live: bool = Field(description="Whether the status fields come from Prometheus now.")
    reason: str | None = Field(None, description="Why there is no live status.")
    items: list[SiteStatus]
    total: int
    offset: int
    limit: int
    next_offset: int | None


async def get_prometheus(request: Request) -> PromQuery | None:
    """The Prometheus to ask, or None when none is configured; built once per app (async:
    no I/O here, and a sync dependency costs a thread hop per request)."""
    existing: PromQuery | None = getattr(request.app.state, "prometheus", None)
    if existing is not None:
        return existing
    settings: Settings = request.app.state.settings
    if settings.prometheus_url is None:
        return None
    client = PrometheusClient(str(settings.prometheus_url))
    request.app.state.prometheus = client
    return client


async def get_current_inventory(request: Request, token: PrincipalDep) -> Inventory:
    # live data: no snapshot ETag, a cached answer would be stale by design
    return scoped(request, token).inventory


PrometheusDep = Annotated[PromQuery | None, Depends(get_prometheus)]


@router.get(
    "/sites",
    summary="Live status per site",
    response_model=StatusPage,
    response_model_exclude_none=True,
    responses=LIST_ERRORS,
)
async def site_status(
    request: Request,
    inv: Annotated[Inventory, Depends(get_current_inventory)],
    prometheus: PrometheusDep,
    district: DistrictQuery = None,
    kind: Annotated[SiteKind | None, Query(description="Kind of site.")] = None,
    site: SiteQuery = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Sites to skip.")] = 0,
    limit: Annotated[
        int | None, Query(ge=1, le=500, description="Page size (default 50).", examples=[50])
    ] = None,
) -> JSONResponse:
    """Sites in declaration order with, from Prometheus' recording rules (``edunet:site_up``,
    per-uplink probe loss and round trip), whether each is up now. Without a configured
    Prometheus, or when it fails, ``live`` is false, ``reason`` says why and no status
    field is present. Needs ``inventory:read``."""
    settings: Settings = request.app.state.settings
    size = min(limit or settings.default_page_size, settings.max_page_size)
    found = [
        s
        for s in inv.sites.values()
        if (district is None or s.district == district)
        and (kind is None or s.kind is kind)
        and (site is None or s.code == site)
    ]
    page = found[offset : offset + size]
    end = offset + len(page)
    body: dict[str, Any] = {"live": False}
    rows = [_site_view(s) for s in page]
    if prometheus is None:
        body["reason"] = NOT_CONFIGURED
    else:
        try:
            up, loss, rtt = await asyncio.gather(*(prometheus.query(q) for q in QUERIES))
        except PrometheusError as e:
            body["reason"] = e.message
        else:
            body["live"] = True
            _merge(rows, up, loss, rtt)
    body |= {
        "items": rows,
        "total": len(found),
        "offset": offset,
        "limit": size,
        "next_offset": end if end < len(found) else None,
    }
    return JSONResponse(body)


def _site_view(s: Site) -> dict[str, Any]:
    return {"code": s.code, "name": s.name, "kind": s.kind.value, "district": s.district}


def _merge(
    rows: list[dict[str, Any]], up: list[Sample], loss: list[Sample], rtt: list[Sample]
) -> None:
    """Add what Prometheus measured to each row; a site without samples gets nothing."""
    up_by_site = {s.labels["site"]: s.value > 0 for s in up if "site" in s.labels}
    uplinks: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for samples, key, scale in ((loss, "loss_ratio", 1.0), (rtt, "rtt_ms", 1000.0)):
        for s in samples:
            code = s.labels.get("site")
            if code is None:
                continue
            link = (s.labels.get("isp", ""), s.labels.get("medium", ""))
            entry = uplinks[code].setdefault(link, {"isp": link[0], "medium": link[1]})
            entry[key] = round(s.value * scale, 6)
    for row in rows:
        code = row["code"]
        if code in up_by_site:
            row["up"] = up_by_site[code]
        if code in uplinks:
            row["uplinks"] = [uplinks[code][k] for k in sorted(uplinks[code])]
