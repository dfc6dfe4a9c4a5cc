"""A hardware record as the procurement reports show it: one row of ``edunet.procurement``."""

from __future__ import annotations

import datetime as dt

from api.fields import Field, Table
from edunet.model import DeviceRole, HardwareStatus, SchoolLevel
from edunet.procurement import HardwareRow

# Every column sorts (a date by its ISO text, which orders as the date does); a null sorts last.
HARDWARE_ROW = Table[HardwareRow](
    "HardwareRowOut",
    "A hardware record with its model, site, age, deadlines and prices.",
    Field("serial", str, example="HEX7A1B2C3", sort=True),
    Field("asset_tag", str, example="SGD-2018-004512", sort=True),
    Field("model", str, example="hEX RB750Gr3", sort=True),
    Field("vendor", str, example="MikroTik", sort=True),
    Field("role", DeviceRole, read=lambda r: r.role.value, example="router", sort=True),
    Field("site", str, example="79760012", sort=True),
    Field("site_name", str, example="Trường Tiểu học Nguyễn Du", sort=True),
    Field("district", str, example="760", sort=True),
    Field("district_name", str, example="Quận 1", sort=True),
    Field(
        "level",
        SchoolLevel | None,
        read=lambda r: r.level.value if r.level else None,
        example="tieu_hoc",
        sort=True,
    ),
    Field("device", str | None, example="79760012-rt1", sort=True),
    Field("status", HardwareStatus, read=lambda r: r.status.value, example="in_service", sort=True),
    Field("supplier", str, example="Công ty TNHH Tin học Sài Gòn", sort=True),
    Field("contract", str, example="HĐ 45/2018/HĐ-SGDĐT", sort=True),
    Field(
        "purchased",
        dt.date,
        read=lambda r: r.purchased.isoformat(),
        example="2018-08-15",
        sort=True,
    ),
    Field("age_years", int, example=7, sort=True),
    Field(
        "warranty_end",
        dt.date,
        read=lambda r: r.warranty_end.isoformat(),
        example="2020-08-15",
        sort=True,
    ),
    Field(
        "end_of_support",
        dt.date | None,
        read=lambda r: r.end_of_support.isoformat() if r.end_of_support else None,
        example=None,
        sort=True,
    ),
    Field(
        "refresh_due",
        dt.date,
        read=lambda r: r.refresh_due.isoformat(),
        example="2023-08-15",
        sort=True,
    ),
    Field("cost_vnd", int, example=1650000, sort=True),
    Field("price_vnd", int, example=1650000, sort=True),
)
