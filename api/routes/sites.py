"""``/sites``: the Department, the data center, district offices and schools."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from api.auth import Scope
from api.deps import InventoryDep, api_dependencies
from api.paging import PageQuery, page_query, paginate
from api.routes.devices import DEVICE_EXAMPLE, DeviceOut, device_view
from api.views import LIST_ERRORS, ONE_ERRORS, DistrictQuery, page_of
from edunet.model import SchoolLevel, Site, SiteKind, Vlan

router = APIRouter(
    prefix="/sites", tags=["sites"], dependencies=api_dependencies(Scope.inventory_read)
)

SITE_EXAMPLE: dict[str, Any] = {
    "code": "79760012",
    "name": "Trường Tiểu học Nguyễn Du",
    "kind": "school",
    "district": "760",
    "level": "tieu_hoc",
    "pupils": 1450,
    "address": "1 Nguyễn Du, Quận 1",
    "gateway": "79760012-rt1",
    "upstream": ["PGD-Q1"],
    "devices": 4,
}


class SiteOut(BaseModel):
    """A site: where devices stand."""

    model_config = ConfigDict(json_schema_extra={"examples": [SITE_EXAMPLE]})

    code: str
    name: str
    kind: SiteKind
    district: str
    level: SchoolLevel | None
    pupils: int | None
    address: str
    gateway: str | None
    upstream: list[str]
    devices: int


class VlanOut(BaseModel):
    name: str
    id: int
    title: str
    prefix: str
    gateway: str
    management: bool
    dhcp: bool
    wired: bool


class SiteDetail(SiteOut):
    """A site with its VLANs and prefixes, and its devices (gateway first)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                SITE_EXAMPLE
                | {
                    "vlans": [
                        {
                            "name": "mgmt",
                            "id": 10,
                            "title": "Quản lý",
                            "prefix": "10.130.0.0/27",
                            "gateway": "10.130.0.1",
                            "management": True,
                            "dhcp": False,
                            "wired": True,
                        }
                    ],
                    "device_list": [DEVICE_EXAMPLE],
                }
            ]
        }
    )

    vlans: list[VlanOut]
    device_list: list[DeviceOut]


def site_view(s: Site) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": s.name,
        "kind": s.kind.value,
        "district": s.district,
        "level": s.level.value if s.level else None,
        "pupils": s.pupils,
        "address": s.address,
        "gateway": s.gateway,
        "upstream": list(s.upstream),
        "devices": len(s.devices),
    }


def vlan_view(v: Vlan) -> dict[str, Any]:
    return {
        "name": v.name,
        "id": v.id,
        "title": v.title,
        "prefix": str(v.prefix),
        "gateway": str(v.gateway),
        "management": v.management,
        "dhcp": v.dhcp,
        "wired": v.wired,
    }


COLUMNS = {
    "code": lambda s: s.code,
    "name": lambda s: s.name,
    "kind": lambda s: s.kind.value,
    "district": lambda s: s.district,
    "level": lambda s: s.level.value if s.level else None,
    "pupils": lambda s: s.pupils,
}
Paging = Annotated[PageQuery, Depends(page_query(COLUMNS, SiteOut.model_fields))]


@router.get(
    "",
    summary="List sites",
    response_model=page_of(SiteOut, SITE_EXAMPLE),
    responses=LIST_ERRORS,
)
def list_sites(
    inv: InventoryDep,
    page: Paging,
    district: DistrictQuery = None,
    level: Annotated[SchoolLevel | None, Query(description="School level.")] = None,
    kind: Annotated[SiteKind | None, Query(description="Kind of site.")] = None,
) -> JSONResponse:
    """Sites in declaration order (or as ``sort=`` asks), filtered by district, school level
    and kind. Needs ``inventory:read``."""
    found = [
        s
        for s in inv.sites.values()
        if (district is None or s.district == district)
        and (level is None or s.level is level)
        and (kind is None or s.kind is kind)
    ]
    return JSONResponse(paginate(found, page, COLUMNS, site_view, SiteOut.model_fields))


@router.get("/{code}", summary="One site", response_model=SiteDetail, responses=ONE_ERRORS)
def get_site(
    inv: InventoryDep,
    code: Annotated[str, Path(description="Site code.", examples=["79760012"], max_length=64)],
) -> JSONResponse:
    """A site with its VLANs, their prefixes and gateways, and its devices. Needs
    ``inventory:read``."""
    site = inv.sites.get(code) or inv.sites.get(code.upper())
    if site is None:
        raise HTTPException(404, f"no site {code!r}")
    body = site_view(site) | {
        "vlans": [vlan_view(v) for v in site.vlans],
        "device_list": [device_view(inv.devices[d]) for d in site.devices],
    }
    return JSONResponse(body)
