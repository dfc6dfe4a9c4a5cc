"""A prefix as the API shows it: one VLAN of one site, a row per (site, VLAN)."""

from __future__ import annotations

from api.fields import Field, Table, list_of
from edunet.model import Site, SiteKind, Vlan

PrefixRow = tuple[Site, Vlan]

PREFIX = Table[PrefixRow](
    "PrefixOut",
    "One VLAN of one site: its prefix and the gateway address on the site's router.",
    Field("site", str, read=lambda r: r[0].code, example="79760012", sort=True),
    Field("site_name", str, read=lambda r: r[0].name, example="Trường Tiểu học Nguyễn Du"),
    Field("site_kind", SiteKind, read=lambda r: r[0].kind.value, example="school"),
    Field("district", str, read=lambda r: r[0].district, example="760", sort=True),
    Field("vlan", str, read=lambda r: r[1].name, example="staff", sort=True),
    Field("vlan_id", int, read=lambda r: r[1].id, example=20, sort=True),
    Field("title", str, read=lambda r: r[1].title, example="Giáo viên"),
    # a prefix sorts as a network, not as text
    Field(
        "prefix",
        str,
        read=lambda r: str(r[1].prefix),
        example="10.132.12.0/26",
        sort=lambda r: r[1].prefix,
    ),
    Field("gateway", str, read=lambda r: str(r[1].gateway), example="10.132.12.1"),
    Field("management", bool, read=lambda r: r[1].management, example=False),
    Field("dhcp", bool, read=lambda r: r[1].dhcp, example=True),
    Field("wired", bool, read=lambda r: r[1].wired, example=True),
)

SITE_PREFIXES = Table[Site](
    "SitePrefixes",
    "A site's VLANs, in the site's order.",
    Field("site", str, read=lambda s: s.code, example="79760012"),
    Field("district", str, example="760"),
    Field("total", int, read=lambda s: len(s.vlans), example=1),
    Field(
        "items",
        list_of(PREFIX),
        read=lambda s: [PREFIX.view((s, v)) for v in s.vlans],
        example=[PREFIX.example],
    ),
)
