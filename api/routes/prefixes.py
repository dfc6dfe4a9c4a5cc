"""``/prefixes``: every site's VLANs with their prefixes and gateways, one row per VLAN."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from api.auth import Scope
from api.deps import InventoryDep, api_dependencies
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, DistrictQuery, SiteQuery, page_of
from edunet.model import Site, SiteKind, Vlan

router = APIRouter(
    prefix="/prefixes", tags=["prefixes"], dependencies=api_dependencies(Scope.inventory_read)
)

PREFIX_EXAMPLE: dict[str, Any] = {
    "site": "79760012",
    "site_name": "Trường Tiểu học Nguyễn Du",
    "site_kind": "school",
    "district": "760",
    "vlan": "staff",
    "vlan_id": 20,
    "title": "Giáo viên",
    "prefix": "10.132.12.0/26",
    "gateway": "10.132.12.1",
    "management": False,
    "dhcp": True,
    "wired": True,
}


class PrefixOut(BaseModel):
    """One VLAN of one site: its prefix and the gateway address on the site's router."""

    model_config = ConfigDict(json_schema_extra={"examples": [PREFIX_EXAMPLE]})

    site: str
    site_name: str
    site_kind: SiteKind
    district: str
    vlan: str
    vlan_id: int
    title: str
    prefix: str
    gateway: str
    management: bool
    dhcp: bool
    wired: bool


class SitePrefixes(BaseModel):
    """A site's VLANs, in the site's order."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"site": "79760012", "district": "760", "total": 1, "items": [PREFIX_EXAMPLE]}
            ]
        }
    )

    site: str
    district: str
    total: int
    items: list[PrefixOut]


def prefix_view(row: tuple[Site, Vlan]) -> dict[str, Any]:
    site, v = row
    return {
        "site": site.code,
        "site_name": site.name,
        "site_kind": site.kind.value,
        "district": site.district,
        "vlan": v.name,
        "vlan_id": v.id,
        "title": v.title,
        "prefix": str(v.prefix),
        "gateway": str(v.gateway),
        "management": v.management,
        "dhcp": v.dhcp,
        "wired": v.wired,
    }


COLUMNS = {
    "site": lambda r: r[0].code,
    "district": lambda r: r[0].district,
    "vlan": lambda r: r[1].name,
    "vlan_id": lambda r: r[1].id,
    "prefix": lambda r: r[1].prefix,
}
Paging = Annotated[PageQuery, Depends(page_query(COLUMNS, PrefixOut.model_fields))]


@router.get(
    "",
    summary="List prefixes and VLANs",
    response_model=page_of(PrefixOut, PREFIX_EXAMPLE),
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
    return JSONResponse(paginate(found, page, COLUMNS, prefix_view, PrefixOut.model_fields))


@router.get(
    "/{site}", summary="One site's prefixes", response_model=SitePrefixes, responses=ONE_ERRORS
)
def site_prefixes(
    inv: InventoryDep,
    site: Annotated[str, Path(description="Site code.", examples=["79760012"], max_length=64)],
) -> JSONResponse:
    """A site's VLANs with their prefixes and gateways. Needs ``inventory:read``."""
    s = inv.sites.get(site) or inv.sites.get(site.upper())
    if s is None:
        raise HTTPException(404, f"no site {site!r}")
    items = [prefix_view((s, v)) for v in s.vlans]
    return JSONResponse(
        {"site": s.code, "district": s.district, "total": len(items), "items": items}
    )
