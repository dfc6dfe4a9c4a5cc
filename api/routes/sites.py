"""``/sites``: the Department, the data center, district offices and schools (the fields:
``api.entities.sites``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse

from api.auth import Scope
from api.deps import InventoryDep, api_dependencies
from api.entities.search import SearchQuery, ranked
from api.entities.sites import SITE, SITE_DETAIL
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, DistrictQuery, page_of
from edunet.model import SchoolLevel, SiteKind

router = APIRouter(
    prefix="/sites", tags=["sites"], dependencies=api_dependencies(Scope.inventory_read)
)

Paging = Annotated[PageQuery, Depends(page_query(SITE.columns, SITE.names))]


@router.get(
    "",
    summary="List sites",
    response_model=page_of(SITE),
    responses=LIST_ERRORS,
)
def list_sites(
    inv: InventoryDep,
    page: Paging,
    district: DistrictQuery = None,
    level: Annotated[SchoolLevel | None, Query(description="School level.")] = None,
    kind: Annotated[SiteKind | None, Query(description="Kind of site.")] = None,
    q: SearchQuery = None,
) -> JSONResponse:
    """Sites in declaration order (or as ``sort=`` asks), filtered by district, school level
    and kind; with ``q=``, only what the text finds, best match first. Needs
    ``inventory:read``."""
    candidates = inv.sites.values() if q is None else [inv.sites[c] for c in ranked(inv, q, "site")]
    found = [
        s
        for s in candidates
        if (district is None or s.district == district)
        and (level is None or s.level is level)
        and (kind is None or s.kind is kind)
    ]
    return JSONResponse(paginate(found, page, SITE.columns, SITE.view, SITE.names))


@router.get("/{code}", summary="One site", response_model=SITE_DETAIL.model, responses=ONE_ERRORS)
def get_site(
    inv: InventoryDep,
    code: Annotated[str, Path(description="Site code.", examples=["79760012"], max_length=64)],
) -> JSONResponse:
    """A site with its VLANs, their prefixes and gateways, and its devices. Needs
    ``inventory:read``."""
    site = inv.sites.get(code) or inv.sites.get(code.upper())
    if site is None:
        raise HTTPException(404, f"no site {code!r}")
    return JSONResponse(SITE_DETAIL.view_in(inv)(site))
