"""``/prefixes``: every site's VLANs with their prefixes and gateways, one row per VLAN
(the fields: ``api.entities.prefixes``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse

from api.auth import Scope
from api.deps import InventoryDep, api_dependencies
from api.entities.prefixes import PREFIX, SITE_PREFIXES
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, DistrictQuery, SiteQuery, page_of
from edunet.model import Site

router = APIRouter(
    prefix="/prefixes", tags=["prefixes"], dependencies=api_dependencies(Scope.inventory_read)
)

Paging = Annotated[PageQuery, Depends(page_query(PREFIX.columns, PREFIX.names))]


@router.get(
    "",
    summary="List prefixes and VLANs",
    response_model=page_of(PREFIX),
    responses=LIST_ERRORS,
)
def list_prefixes(
    inv: InventoryDep,
    page: Paging,
    district: DistrictQuery = None,
    site: SiteQuery = None,
    vlan: Annotated[
        str | None, Query(description="VLAN name.", examples=["management"], max_length=64)
    ] = None,
) -> JSONResponse:
    """One row per VLAN of every site, sites in declaration order and VLANs in each site's
    order (or as ``sort=`` asks), filtered by district, site and VLAN name. Needs
    ``inventory:read``."""
    if site is None:
        sites: list[Site] = list(inv.sites.values())
    else:
        sites = [inv.sites[site]] if site in inv.sites else []
    found = [
        (s, v)
        for s in sites
        if district is None or s.district == district
        for v in s.vlans
        if vlan is None or v.name == vlan
    ]
    return JSONResponse(paginate(found, page, PREFIX.columns, PREFIX.view, PREFIX.names))


@router.get(
    "/{site}",
    summary="One site's prefixes",
    response_model=SITE_PREFIXES.model,
    responses=ONE_ERRORS,
)
def site_prefixes(
    inv: InventoryDep,
    site: Annotated[str, Path(description="Site code.", examples=["79760012"], max_length=64)],
) -> JSONResponse:
    """A site's VLANs with their prefixes and gateways. Needs ``inventory:read``."""
    s = inv.sites.get(site) or inv.sites.get(site.upper())
    if s is None:
        raise HTTPException(404, f"no site {site!r}")
    return JSONResponse(SITE_PREFIXES.view(s))
