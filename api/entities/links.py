"""A link as the API shows it: both its ends, medium, bandwidth, carrier and SLA."""

from __future__ import annotations

from api.fields import Field, Table
from edunet.model import Endpoint, Inventory, Link, Medium

ENDPOINT = Table[Endpoint](
    "EndpointOut",
    "One end of a link; ``device`` is null on the ISP side of an Internet uplink.",
    Field("device", str | None),
    Field("port", str | None),
    Field("site", str | None),
    Field("ip", str | None, read=lambda e: str(e.ip) if e.ip else None),
    show_example=False,
)


def districts(inv: Inventory, link: Link) -> list[str]:
    """The districts of the sites at either end, a end first."""
    out: list[str] = []
    for code in (link.a.site, link.b.site):
        site = inv.sites.get(code) if code is not None else None
        if site is not None and site.district not in out:
            out.append(site.district)
    return out


LINK = Table[Link](
    "LinkOut",
    "A link; ``a`` is the downstream side (the site being served) of an uplink.",
    Field("id", str, example="79760012-up1", sort=True),
    Field("kind", str, example="uplink", sort=True),
    Field(
        "a",
        ENDPOINT.model,
        read=lambda link: ENDPOINT.view(link.a),
        example={
            "device": "79760012-rt1",
            "port": "ether1",
            "site": "79760012",
            "ip": "10.20.32.97/31",
        },
    ),
    Field(
        "b",
        ENDPOINT.model,
        read=lambda link: ENDPOINT.view(link.b),
        example={"device": "pgd-q1-rt1", "port": None, "site": "PGD-Q1", "ip": "10.20.32.96/31"},
    ),
    Field("medium", Medium, read=lambda link: link.medium.value, example="metronet", sort=True),
    Field("bandwidth_mbps", int, example=100, sort=True),
    Field("isp", str | None, example="VNPT", sort=True),
    Field(
        "sla_availability_pct",
        float | None,
        read=lambda link: link.sla.availability_pct if link.sla else None,
        example=99.5,
    ),
    Field(
        "sla_restore_hours",
        float | None,
        read=lambda link: link.sla.restore_hours if link.sla else None,
        example=8.0,
    ),
    Field(
        "p2p",
        str | None,
        read=lambda link: str(link.p2p) if link.p2p else None,
        example="10.20.32.96/31",
    ),
    Field("circuit_id", str | None, example=None),
    Field("districts", list[str], read_in=districts, example=["760"]),
)
