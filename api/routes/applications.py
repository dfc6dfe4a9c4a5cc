"""``/applications`` and ``/vms``: the education system's applications and the VMs in the
data center that host them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from api.auth import Scope
from api.deps import InventoryDep, api_dependencies
from api.paging import PageQuery, page_query, paginate
from api.views import LIST_ERRORS, ONE_ERRORS, page_of
from edunet.model import Application, CheckKind, Criticality, Exposure, Inventory, Vm

router = APIRouter(dependencies=api_dependencies(Scope.inventory_read))

APPLICATION_EXAMPLE: dict[str, Any] = {
    "code": "portal",
    "name": "Cổng thông tin điện tử ngành Giáo dục",
    "name_en": "Education portal",
    "owner": "Văn phòng Sở",
    "criticality": "critical",
    "slo_availability_pct": 99.9,
    "slo_latency_ms": 800,
    "url": "https://hcm.edu.vn/",
    "port": 443,
    "check": "http",
    "exposure": "public",
    "software": "WordPress",
    "vms": ["portal-01", "portal-02"],
}
VM_EXAMPLE: dict[str, Any] = {
    "name": "portal-01",
    "application": "portal",
    "vcpu": 4,
    "memory_gb": 8,
    "disks_gb": [80],
    "segment": "dmz",
    "ip": "10.0.40.10/24",
    "gateway": "10.0.40.1",
    "vlan_id": 140,
    "node": "ttdl-srv1",
}


class ApplicationOut(BaseModel):
    """An application, its service objectives and the names of its VMs."""

    model_config = ConfigDict(json_schema_extra={"examples": [APPLICATION_EXAMPLE]})

    code: str
    name: str
    name_en: str
    owner: str
    criticality: Criticality
    slo_availability_pct: float
    slo_latency_ms: int | None
    url: str
    port: int
    check: CheckKind
    exposure: Exposure
    software: str | None
    vms: list[str]


class VmOut(BaseModel):
    """A VM: its size, its segment (a VLAN of the data center) and the server it runs on."""

    model_config = ConfigDict(json_schema_extra={"examples": [VM_EXAMPLE]})

    name: str
    application: str
    vcpu: int
    memory_gb: int
    disks_gb: list[int]
    segment: str
    ip: str
    gateway: str
    vlan_id: int
    node: str | None


class ApplicationDetail(ApplicationOut):
    """An application with its VMs in full; ``serving`` names those that answer its users."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                APPLICATION_EXAMPLE
                | {"vm_list": [VM_EXAMPLE], "serving": ["portal-01", "portal-02"]}
            ]
        }
    )

    vm_list: list[VmOut]
    serving: list[str]


def application_view(a: Application) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "name_en": a.name_en,
        "owner": a.owner,
        "criticality": a.criticality.value,
        "slo_availability_pct": a.slo_availability_pct,
        "slo_latency_ms": a.slo_latency_ms,
        "url": a.url,
        "port": a.port,
        "check": a.check.value,
        "exposure": a.exposure.value,
        "software": a.software,
        "vms": list(a.vms),
    }


def vm_view(v: Vm) -> dict[str, Any]:
    return {
        "name": v.name,
        "application": v.application,
        "vcpu": v.vcpu,
        "memory_gb": v.memory_gb,
        "disks_gb": list(v.disks_gb),
        "segment": v.segment,
        "ip": str(v.ip),
        "gateway": str(v.gateway),
        "vlan_id": v.vlan_id,
        "node": v.node,
    }


APP_COLUMNS = {
    "code": lambda a: a.code,
    "name": lambda a: a.name,
    "owner": lambda a: a.owner,
    # most critical first when ascending: the order the enum declares
    "criticality": lambda a: list(Criticality).index(a.criticality),
    "exposure": lambda a: a.exposure.value,
}
VM_COLUMNS = {
    "name": lambda v: v.name,
    "application": lambda v: v.application,
    "segment": lambda v: v.segment,
    "node": lambda v: v.node,
    "vcpu": lambda v: v.vcpu,
    "memory_gb": lambda v: v.memory_gb,
}
AppPaging = Annotated[PageQuery, Depends(page_query(APP_COLUMNS, ApplicationOut.model_fields))]
VmPaging = Annotated[PageQuery, Depends(page_query(VM_COLUMNS, VmOut.model_fields))]


@router.get(
    "/applications",
    tags=["applications"],
    summary="List applications",
    response_model=page_of(ApplicationOut, APPLICATION_EXAMPLE),
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
        paginate(found, page, APP_COLUMNS, application_view, ApplicationOut.model_fields)
    )


def _serving(inv: Inventory, code: str) -> list[str]:
    return [v.name for v in inv.serving_vms(code)]


@router.get(
    "/applications/{code}",
    tags=["applications"],
    summary="One application with its VMs",
    response_model=ApplicationDetail,
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
    body = application_view(a) | {
        "vm_list": [vm_view(inv.vms[v]) for v in a.vms],
        "serving": _serving(inv, code),
    }
    return JSONResponse(body)


@router.get(
    "/vms",
    tags=["applications"],
    summary="List VMs",
    response_model=page_of(VmOut, VM_EXAMPLE),
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
    return JSONResponse(paginate(found, page, VM_COLUMNS, vm_view, VmOut.model_fields))


@router.get(
    "/vms/{name}",
    tags=["applications"],
    summary="One VM",
    response_model=VmOut,
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
    return JSONResponse(vm_view(v))
