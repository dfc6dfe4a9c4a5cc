"""``/applications`` and ``/vms``: the education system's applications and the VMs in the
data center that host them (the fields: ``api.entities.applications``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse

from api.auth import Scope
from api.deps import InventoryDep, api_dependencies
from api.entities.applications import APPLICATION, APPLICATION_DETAIL, VM
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, page_of
from edunet.model import Criticality, Exposure

router = APIRouter(dependencies=api_dependencies(Scope.inventory_read))

AppPaging = Annotated[PageQuery, Depends(page_query(APPLICATION.columns, APPLICATION.names))]
VmPaging = Annotated[PageQuery, Depends(page_query(VM.columns, VM.names))]


@router.get(
    "/applications",
    tags=["applications"],
    summary="List applications",
    response_model=page_of(APPLICATION),
    responses=LIST_ERRORS,
)
def list_applications(
    inv: InventoryDep,
    page: AppPaging,
    criticality: Annotated[Criticality | None, Query(description="Criticality.")] = None,
    exposure: Annotated[Exposure | None, Query(description="Who can reach it.")] = None,
) -> JSONResponse:
    """Applications in declaration order (or as ``sort=`` asks), filtered by criticality
    and exposure. Needs ``inventory:read``."""
    found = [
        a
        for a in inv.applications.values()
        if (criticality is None or a.criticality is criticality)
        and (exposure is None or a.exposure is exposure)
    ]
    return JSONResponse(
        paginate(found, page, APPLICATION.columns, APPLICATION.view, APPLICATION.names)
    )


@router.get(
    "/applications/{code}",
    tags=["applications"],
    summary="One application with its VMs",
    response_model=APPLICATION_DETAIL.model,
    responses=ONE_ERRORS,
)
def get_application(
    inv: InventoryDep,
    code: Annotated[str, Path(description="Application code.", examples=["portal"], max_length=64)],
) -> JSONResponse:
    """An application with its VMs and which of them answer its users (those in a serving
    segment). Needs ``inventory:read``."""
    a = inv.applications.get(code)
    if a is None:
        raise HTTPException(404, f"no application {code!r}")
    return JSONResponse(APPLICATION_DETAIL.view_in(inv)(a))


@router.get(
    "/vms",
    tags=["applications"],
    summary="List VMs",
    response_model=page_of(VM),
    responses=LIST_ERRORS,
)
def list_vms(
    inv: InventoryDep,
    page: VmPaging,
    application: Annotated[
        str | None, Query(description="Application code.", examples=["portal"], max_length=64)
    ] = None,
    segment: Annotated[
        str | None, Query(description="Data-center VLAN name.", examples=["dmz"], max_length=64)
    ] = None,
    node: Annotated[
        str | None,
        Query(description="Server the VM runs on.", examples=["ttdl-srv1"], max_length=128),
    ] = None,
) -> JSONResponse:
    """VMs in declaration order (or as ``sort=`` asks), filtered by application, segment and
    server. Needs ``inventory:read``."""
    found = [
        v
        for v in inv.vms.values()
        if (application is None or v.application == application)
        and (segment is None or v.segment == segment)
        and (node is None or v.node == node)
    ]
    return JSONResponse(paginate(found, page, VM.columns, VM.view, VM.names))


@router.get(
    "/vms/{name}",
    tags=["applications"],
    summary="One VM",
    response_model=VM.model,
    responses=ONE_ERRORS,
)
def get_vm(
    inv: InventoryDep,
    name: Annotated[str, Path(description="VM name.", examples=["portal-01"], max_length=128)],
) -> JSONResponse:
    """A VM with its size, address, segment and server. Needs ``inventory:read``."""
    v = inv.vms.get(name)
    if v is None:
        raise HTTPException(404, f"no VM {name!r}")
    return JSONResponse(VM.view(v))
