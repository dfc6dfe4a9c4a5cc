"""``/devices``: routers, switches, access points and servers, with their hardware records
(the fields: ``api.entities.devices``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse

from api.auth import Scope
from api.deps import InventoryDep, SnapshotDep, api_dependencies
from api.entities.devices import DEVICE, DEVICE_DETAIL
from api.entities.search import SearchQuery, ranked
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, DistrictQuery, SiteQuery, page_of
from edunet.model import Device, DeviceRole, HardwareStatus, Inventory, SchoolLevel

router = APIRouter(
    prefix="/devices",
    tags=["devices"],
    dependencies=api_dependencies(Scope.inventory_read),
)


def _by_district(inv: Inventory) -> dict[str, tuple[Device, ...]]:
    """Devices per district, each in declaration order."""
    index: dict[str, list[Device]] = {}
    for d in inv.devices.values():
        index.setdefault(d.district, []).append(d)
    return {k: tuple(v) for k, v in index.items()}


Paging = Annotated[PageQuery, Depends(page_query(DEVICE.columns, DEVICE.names))]


@router.get(
    "",
    summary="List devices",
    response_model=page_of(DEVICE),
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
    q: SearchQuery = None,
) -> JSONResponse:
    """Devices in declaration order (or as ``sort=`` asks), filtered by district, site,
    the site's school level, role, hardware model and hardware status; with ``q=``, only what
    the text finds (name, management address, serial, asset tag), best match first. Needs
    ``inventory:read``."""
    # async: with the index below this is a short, CPU-only answer, cheaper on the event
    # loop than after a thread-pool hop
    inv = snap.inventory
    candidates: Sequence[Device]
    if q is not None:  # the search's order; the filters below narrow it
        candidates = [inv.devices[n] for n in ranked(inv, q, "device")]
    elif site is not None:
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
    return JSONResponse(paginate(found, page, DEVICE.columns, DEVICE.view, DEVICE.names))


@router.get(
    "/{name}", summary="One device", response_model=DEVICE_DETAIL.model, responses=ONE_ERRORS
)
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
    return JSONResponse(DEVICE_DETAIL.view(d))
