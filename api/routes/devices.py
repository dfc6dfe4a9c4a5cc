"""``/devices``: routers, switches, access points and servers, with their hardware records.

No credential ever leaves here: a device shows which SNMP version it answers, never
its profile's keys or community.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from api.auth import Scope
from api.deps import InventoryDep, SnapshotDep, api_dependencies
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, DistrictQuery, SiteQuery, page_of
from edunet.model import (
    Device,
    DeviceRole,
    HardwareModel,
    HardwareRecord,
    HardwareStatus,
    Inventory,
    SchoolLevel,
)

router = APIRouter(
    prefix="/devices",
    tags=["devices"],
    dependencies=api_dependencies(Scope.inventory_read),
)

DEVICE_EXAMPLE: dict[str, Any] = {
    "name": "79760012-rt1",
    "site": "79760012",
    "district": "760",
    "role": "router",
    "model": "ISR1111-8P",
    "vendor": "Cisco",
    "platform": "cisco_ios",
    "mgmt_ip": "10.130.0.1",
    "mgmt_prefix": "10.130.0.0/27",
    "loopback": "10.0.1.12",
    "snmp_version": "v3",
    "status": "in_service",
}
HARDWARE_EXAMPLE: dict[str, Any] = {
    "serial": "FGL2231A0QX",
    "asset_tag": "SGD-2021-00412",
    "model": "ISR1111-8P",
    "purchased": "2021-08-15",
    "supplier": "FPT IS",
    "contract": "HĐ-2021-117",
    "warranty_end": "2024-08-15",
    "cost_vnd": 32500000,
    "status": "in_service",
    "site": "79760012",
    "device": "79760012-rt1",
}
MODEL_EXAMPLE: dict[str, Any] = {
    "model": "ISR1111-8P",
    "vendor": "Cisco",
    "ports": 10,
    "price_vnd": 32500000,
    "life_years": 7,
    "end_of_sale": None,
    "end_of_support": "2029-10-31",
}


class DeviceOut(BaseModel):
    """A device, without any credential."""

    model_config = ConfigDict(json_schema_extra={"examples": [DEVICE_EXAMPLE]})

    name: str
    site: str
    district: str
    role: DeviceRole
    model: str
    vendor: str
    platform: str
    mgmt_ip: str
    mgmt_prefix: str
    loopback: str | None
    snmp_version: str | None
    status: HardwareStatus | None


class HardwareOut(BaseModel):
    serial: str
    asset_tag: str
    model: str
    purchased: dt.date
    supplier: str
    contract: str
    warranty_end: dt.date
    cost_vnd: int
    status: HardwareStatus
    site: str
    device: str | None


class ModelOut(BaseModel):
    model: str
    vendor: str
    ports: int
    price_vnd: int
    life_years: int
    end_of_sale: dt.date | None
    end_of_support: dt.date | None


class DeviceDetail(DeviceOut):
    """A device with its hardware record (null when none is recorded) and its model."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                DEVICE_EXAMPLE | {"hardware": HARDWARE_EXAMPLE, "hardware_model": MODEL_EXAMPLE}
            ]
        }
    )

    hardware: HardwareOut | None
    hardware_model: ModelOut


def device_view(d: Device) -> dict[str, Any]:
    return {
        "name": d.name,
        "site": d.site,
        "district": d.district,
        "role": d.role.value,
        "model": d.model.model,
        "vendor": d.model.vendor,
        "platform": d.model.platform.name,
        "mgmt_ip": str(d.mgmt_ip),
        "mgmt_prefix": str(d.mgmt_prefix),
        "loopback": str(d.loopback) if d.loopback else None,
        "snmp_version": d.snmp.version if d.snmp else None,
        "status": d.hardware.status.value if d.hardware else None,
    }


def hardware_view(h: HardwareRecord) -> dict[str, Any]:
    return {
        "serial": h.serial,
        "asset_tag": h.asset_tag,
        "model": h.model,
        "purchased": h.purchased.isoformat(),
        "supplier": h.supplier,
        "contract": h.contract,
        "warranty_end": h.warranty_end.isoformat(),
        "cost_vnd": h.cost_vnd,
        "status": h.status.value,
        "site": h.site,
        "device": h.device,
    }


def model_view(m: HardwareModel) -> dict[str, Any]:
    return {
        "model": m.model,
        "vendor": m.vendor,
        "ports": m.ports,
        "price_vnd": m.price_vnd,
        "life_years": m.life_years,
        "end_of_sale": m.end_of_sale.isoformat() if m.end_of_sale else None,
        "end_of_support": m.end_of_support.isoformat() if m.end_of_support else None,
    }


def _by_district(inv: Inventory) -> dict[str, tuple[Device, ...]]:
    """Devices per district, each in declaration order."""
    index: dict[str, list[Device]] = {}
    for d in inv.devices.values():
        index.setdefault(d.district, []).append(d)
    return {k: tuple(v) for k, v in index.items()}


COLUMNS = {
    "name": lambda d: d.name,
    "site": lambda d: d.site,
    "district": lambda d: d.district,
    "role": lambda d: d.role.value,
    "model": lambda d: d.model.model,
    "vendor": lambda d: d.model.vendor,
    "mgmt_ip": lambda d: d.mgmt_ip,
    "status": lambda d: d.hardware.status.value if d.hardware else None,
}
Paging = Annotated[PageQuery, Depends(page_query(COLUMNS, DeviceOut.model_fields))]


@router.get(
    "",
    summary="List devices",
    response_model=page_of(DeviceOut, DEVICE_EXAMPLE),
    responses=LIST_ERRORS,
)
async def list_devices(
    snap: SnapshotDep,
    page: Paging,
    district: DistrictQuery = None,
    site: SiteQuery = None,
    level: Annotated[
        SchoolLevel | None, Query(description="School level of the device's site.")
    ] = None,
    role: Annotated[DeviceRole | None, Query(description="Device role.")] = None,
    model: Annotated[
        str | None, Query(description="Hardware model.", examples=["ISR1111-8P"], max_length=128)
    ] = None,
    status: Annotated[
        HardwareStatus | None, Query(description="Status of the device's hardware record.")
    ] = None,
) -> JSONResponse:
    """Devices in declaration order (or as ``sort=`` asks), filtered by district, site,
    the site's school level, role, hardware model and hardware status. Needs
    ``inventory:read``."""
    # async: with the index below this is a short, CPU-only answer, cheaper on the event
    # loop than after a thread-pool hop
    inv = snap.inventory
    candidates: Sequence[Device]
    if site is not None:
        s = inv.sites.get(site)
        candidates = [inv.devices[d] for d in s.devices] if s else []
    elif district is not None:
        candidates = snap.memo("devices.by_district", lambda: _by_district(inv)).get(district, ())
    else:
        candidates = list(inv.devices.values())
    found = [
        d
        for d in candidates
        if (district is None or d.district == district)
        and (level is None or inv.sites[d.site].level is level)
        and (role is None or d.role is role)
        and (model is None or d.model.model == model)
        and (status is None or (d.hardware is not None and d.hardware.status is status))
    ]
    return JSONResponse(paginate(found, page, COLUMNS, device_view, DeviceOut.model_fields))


@router.get("/{name}", summary="One device", response_model=DeviceDetail, responses=ONE_ERRORS)
def get_device(
    inv: InventoryDep,
    name: Annotated[
        str, Path(description="Device name.", examples=["79760012-rt1"], max_length=128)
    ],
) -> JSONResponse:
    """A device with its hardware record and its model's catalogue entry (price, expected
    life, end of sale and support). Needs ``inventory:read``."""
    d = inv.devices.get(name)
    if d is None:
        raise HTTPException(404, f"no device {name!r}")
    body = device_view(d) | {
        "hardware": hardware_view(d.hardware) if d.hardware else None,
        "hardware_model": model_view(d.model),
    }
    return JSONResponse(body)
