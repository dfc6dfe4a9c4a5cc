"""A single point of failure as the API shows it."""

from __future__ import annotations

from typing import Literal

from api.fields import Field, Table
from edunet.topology import Spof

SPOF = Table[Spof](
    "SpofOut",
    "A device, ISP or link whose loss alone cuts sites off.",
    Field("element", str, example="pgd-q1-rt1", sort=True),
    Field("kind", Literal["link", "device", "site", "isp"], example="device", sort=True),
    Field("sites_cut", int, example=3, sort=True),
    Field("schools_cut", int, example=2, sort=True),
    Field("pupils_cut", int, example=2300, sort=True),
    Field("devices_cut", int, example=10, sort=True),
    Field("district", str | None, example="760", sort=True),
    show_example=False,
)
