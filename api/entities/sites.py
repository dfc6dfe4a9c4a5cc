"""A site as the API shows it, its VLANs, and a site in full with its devices."""

from __future__ import annotations

from api.entities.devices import DEVICE
from api.fields import Field, Table, list_of
from edunet.model import Inventory, SchoolLevel, Site, SiteKind, Vlan

SITE = Table[Site](
    "SiteOut",
    "A site: where devices stand.",
    Field("code", str, example="79760012", sort=True),
    Field("name", str, example="Trường Tiểu học Nguyễn Du", sort=True),
    Field("kind", SiteKind, read=lambda s: s.kind.value, example="school", sort=True),
    Field("district", str, example="760", sort=True),
    Field(
        "level",
        SchoolLevel | None,
        read=lambda s: s.level.value if s.level else None,
        example="tieu_hoc",
        sort=True,
    ),
    Field("pupils", int | None, example=1450, sort=True),
    Field("address", str, example="1 Nguyễn Du, Quận 1"),
    Field("gateway", str | None, example="79760012-rt1"),
    Field("upstream", list[str], read=lambda s: list(s.upstream), example=["PGD-Q1"]),
    Field("devices", int, read=lambda s: len(s.devices), example=4),
)

VLAN = Table[Vlan](
    "VlanOut",
    None,
    Field("name", str, example="mgmt"),
    Field("id", int, example=10),
    Field("title", str, example="Quản lý"),
    Field("prefix", str, read=lambda v: str(v.prefix), example="10.130.0.0/27"),
    Field("gateway", str, read=lambda v: str(v.gateway), example="10.130.0.1"),
    Field("management", bool, example=True),
    Field("dhcp", bool, example=False),
    Field("wired", bool, example=True),
    show_example=False,
)


def _devices(inv: Inventory, s: Site) -> list[dict[str, object]]:
    return [DEVICE.view(inv.devices[d]) for d in s.devices]


SITE_DETAIL = SITE.extend(
    "SiteDetail",
    "A site with its VLANs and prefixes, and its devices (gateway first).",
    Field(
        "vlans",
        list_of(VLAN),
        read=lambda s: [VLAN.view(v) for v in s.vlans],
        example=[VLAN.example],
    ),
    Field("device_list", list_of(DEVICE), read_in=_devices, example=[DEVICE.example]),
)
