"""``/links``: uplinks between sites, Internet uplinks and the patch cables inside a site (the
fields: ``api.entities.links``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse

from api.auth import Scope
from api.deps import InventoryDep, api_dependencies
from api.entities.links import LINK, districts
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, DistrictQuery, SiteQuery, page_of
from edunet.model import Medium

router = APIRouter(
    prefix="/links", tags=["links"], dependencies=api_dependencies(Scope.inventory_read)
)

# The kinds the resolver produces: "uplink" between sites, "internet" to an ISP, "lan" inside
# a site, "core" when declared explicitly.
LinkKindName = Literal["uplink", "internet", "lan", "core"]

Paging = Annotated[PageQuery, Depends(page_query(LINK.columns, LINK.names))]


@router.get(
    "",
    summary="List links",
    response_model=page_of(LINK),
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
        and (district is None or district in districts(inv, link))
        and (medium is None or link.medium is medium)
        and (isp is None or (link.isp or "").casefold() == isp.casefold())
    ]
    return JSONResponse(paginate(found, page, LINK.columns, LINK.view_in(inv), LINK.names))


@router.get("/{link_id}", summary="One link", response_model=LINK.model, responses=ONE_ERRORS)
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
    return JSONResponse(LINK.view_in(inv)(link))
