"""``/links``: uplinks between sites, Internet uplinks and the patch cables inside a site."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from api.auth import Scope
from api.deps import InventoryDep, api_dependencies
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, DistrictQuery, SiteQuery, page_of
from edunet.model import Endpoint, Inventory, Link, Medium

router = APIRouter(
    prefix="/links", tags=["links"], dependencies=api_dependencies(Scope.inventory_read)
)

# The kinds the resolver produces: "uplink" between sites, "internet" to an ISP, "lan" inside
# a site, "core" when declared explicitly.
LinkKindName = Literal["uplink", "internet", "lan", "core"]

LINK_EXAMPLE: dict[str, Any] = {
    "id": "79760012-up1",
    "kind": "uplink",
    "a": {"device": "79760012-rt1", "port": "ether1", "site": "79760012", "ip": "10.20.32.97/31"},
    "b": {"device": "pgd-q1-rt1", "port": None, "site": "PGD-Q1", "ip": "10.20.32.96/31"},
    "medium": "metronet",
    "bandwidth_mbps": 100,
    "isp": "VNPT",
    "sla_availability_pct": 99.5,
    "sla_restore_hours": 8.0,
    "p2p": "10.20.32.96/31",
    "circuit_id": None,
    "districts": ["760"],
}


class EndpointOut(BaseModel):
    """One end of a link; ``device`` is null on the ISP side of an Internet uplink."""

    device: str | None
    port: str | None
    site: str | None
    ip: str | None


class LinkOut(BaseModel):
    """A link; ``a`` is the downstream side (the site being served) of an uplink."""

    model_config = ConfigDict(json_schema_extra={"examples": [LINK_EXAMPLE]})

    id: str
    kind: str
    a: EndpointOut
    b: EndpointOut
    medium: Medium
    bandwidth_mbps: int
    isp: str | None
    sla_availability_pct: float | None
    sla_restore_hours: float | None
    p2p: str | None
    circuit_id: str | None
    districts: list[str]


def _sites(link: Link) -> list[str]:
    return [s for s in (link.a.site, link.b.site) if s is not None]


def _districts(inv: Inventory, link: Link) -> list[str]:
    out: list[str] = []
    for code in _sites(link):
        site = inv.sites.get(code)
        if site is not None and site.district not in out:
            out.append(site.district)
    return out


def _endpoint(e: Endpoint) -> dict[str, Any]:
    return {
        "device": e.device,
        "port": e.port,
        "site": e.site,
        "ip": str(e.ip) if e.ip else None,
    }


def link_view(inv: Inventory, link: Link) -> dict[str, Any]:
    return {
        "id": link.id,
        "kind": link.kind,
        "a": _endpoint(link.a),
        "b": _endpoint(link.b),
        "medium": link.medium.value,
        "bandwidth_mbps": link.bandwidth_mbps,
        "isp": link.isp,
        "sla_availability_pct": link.sla.availability_pct if link.sla else None,
        "sla_restore_hours": link.sla.restore_hours if link.sla else None,
        "p2p": str(link.p2p) if link.p2p else None,
        "circuit_id": link.circuit_id,
        "districts": _districts(inv, link),
    }


COLUMNS = {
    "id": lambda link: link.id,
    "kind": lambda link: link.kind,
    "medium": lambda link: link.medium.value,
    "bandwidth_mbps": lambda link: link.bandwidth_mbps,
    "isp": lambda link: link.isp,
}
Paging = Annotated[PageQuery, Depends(page_query(COLUMNS, LinkOut.model_fields))]


@router.get(
    "",
    summary="List links",
    response_model=page_of(LinkOut, LINK_EXAMPLE),
    responses=LIST_ERRORS,
)
def list_links(
    inv: InventoryDep,
    page: Paging,
    kind: Annotated[LinkKindName | None, Query(description="Kind of link.")] = None,
    site: SiteQuery = None,  # at either end
    district: DistrictQuery = None,  # of a site at either end
    medium: Annotated[Medium | None, Query(description="Transmission medium.")] = None,
    isp: Annotated[
        str | None,
        Query(description="Carrier, case-insensitive.", examples=["VNPT"], max_length=128),
    ] = None,
) -> JSONResponse:
    """Links in declaration order (or as ``sort=`` asks), filtered by kind, a site or
    district at either end, medium and carrier. Needs ``inventory:read``."""
    candidates = list(inv.links.values()) if site is None else inv.site_links(site)
    found = [
        link
        for link in candidates
        if (kind is None or link.kind == kind)
        and (district is None or district in _districts(inv, link))
        and (medium is None or link.medium is medium)
        and (isp is None or (link.isp or "").casefold() == isp.casefold())
    ]
    return JSONResponse(
        paginate(found, page, COLUMNS, lambda link: link_view(inv, link), LinkOut.model_fields)
    )


@router.get("/{link_id}", summary="One link", response_model=LinkOut, responses=ONE_ERRORS)
def get_link(
    inv: InventoryDep,
    link_id: Annotated[
        str, Path(description="Link id.", examples=["79760012-up1"], max_length=128)
    ],
) -> JSONResponse:
    """A link with both its ends, medium, bandwidth, carrier, SLA and point-to-point
    prefix. Needs ``inventory:read``."""
    link = inv.links.get(link_id)
    if link is None:
        raise HTTPException(404, f"no link {link_id!r}")
    return JSONResponse(link_view(inv, link))
