"""An application and a VM as the API shows them, and an application in full with its VMs."""

from __future__ import annotations

from api.fields import Field, Table, list_of
from edunet.model import Application, CheckKind, Criticality, Exposure, Inventory, Vm

# most critical first when ascending: the order the enum declares
_CRITICALITY_RANK = {c: i for i, c in enumerate(Criticality)}

APPLICATION = Table[Application](
    "ApplicationOut",
    "An application, its service objectives and the names of its VMs.",
    Field("code", str, example="portal", sort=True),
    Field("name", str, example="Cổng thông tin điện tử ngành Giáo dục", sort=True),
    Field("name_en", str, example="Education portal"),
    Field("owner", str, example="Văn phòng Sở", sort=True),
    Field(
        "criticality",
        Criticality,
        read=lambda a: a.criticality.value,
        example="critical",
        sort=lambda a: _CRITICALITY_RANK[a.criticality],
    ),
    Field("slo_availability_pct", float, example=99.9),
    Field("slo_latency_ms", int | None, example=800),
    Field("url", str, example="https://hcm.edu.vn/"),
    Field("port", int, example=443),
    Field("check", CheckKind, read=lambda a: a.check.value, example="http"),
    Field("exposure", Exposure, read=lambda a: a.exposure.value, example="public", sort=True),
    Field("software", str | None, example="WordPress"),
    Field("vms", list[str], read=lambda a: list(a.vms), example=["portal-01", "portal-02"]),
)

VM = Table[Vm](
    "VmOut",
    "A VM: its size, its segment (a VLAN of the data center) and the server it runs on.",
    Field("name", str, example="portal-01", sort=True),
    Field("application", str, example="portal", sort=True),
    Field("vcpu", int, example=4, sort=True),
    Field("memory_gb", int, example=8, sort=True),
    Field("disks_gb", list[int], read=lambda v: list(v.disks_gb), example=[80]),
    Field("segment", str, example="dmz", sort=True),
    Field("ip", str, read=lambda v: str(v.ip), example="10.0.40.10/24"),
    Field("gateway", str, read=lambda v: str(v.gateway), example="10.0.40.1"),
    Field("vlan_id", int, example=140),
    Field("node", str | None, example="ttdl-srv1", sort=True),
)


def _vms(inv: Inventory, a: Application) -> list[dict[str, object]]:
    return [VM.view(inv.vms[v]) for v in a.vms]


def _serving(inv: Inventory, a: Application) -> list[str]:
    return [v.name for v in inv.serving_vms(a.code)]


APPLICATION_DETAIL = APPLICATION.extend(
    "ApplicationDetail",
    "An application with its VMs in full; ``serving`` names those that answer its users.",
    Field("vm_list", list_of(VM), read_in=_vms, example=[VM.example]),
    Field("serving", list[str], read_in=_serving, example=["portal-01", "portal-02"]),
)
