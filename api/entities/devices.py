"""A device as the API shows it, with its hardware record and its model's catalogue entry.

No credential ever leaves here: a device shows which SNMP version it answers, never its
profile's keys or community.
"""

from __future__ import annotations

import datetime as dt

from api.fields import Field, Table
from edunet.model import Device, DeviceRole, HardwareModel, HardwareRecord, HardwareStatus

DEVICE = Table[Device](
    "DeviceOut",
    "A device, without any credential.",
    Field("name", str, example="79760012-rt1", sort=True),
    Field("site", str, example="79760012", sort=True),
    Field("district", str, example="760", sort=True),
    Field("role", DeviceRole, read=lambda d: d.role.value, example="router", sort=True),
    Field("model", str, read=lambda d: d.model.model, example="ISR1111-8P", sort=True),
    Field("vendor", str, read=lambda d: d.model.vendor, example="Cisco", sort=True),
    Field("platform", str, read=lambda d: d.model.platform.name, example="cisco_ios"),
    # an address sorts as a number, not as text
    Field(
        "mgmt_ip",
        str,
        read=lambda d: str(d.mgmt_ip),
        example="10.130.0.1",
        sort=lambda d: d.mgmt_ip,
    ),
    Field("mgmt_prefix", str, read=lambda d: str(d.mgmt_prefix), example="10.130.0.0/27"),
    Field(
        "loopback",
        str | None,
        read=lambda d: str(d.loopback) if d.loopback else None,
        example="10.0.1.12",
    ),
    Field(
        "snmp_version",
        str | None,
        read=lambda d: d.snmp.version if d.snmp else None,
        example="v3",
    ),
    Field(
        "status",
        HardwareStatus | None,
        read=lambda d: d.hardware.status.value if d.hardware else None,
        example="in_service",
        sort=True,
    ),
)

HARDWARE = Table[HardwareRecord](
    "HardwareOut",
    None,
    Field("serial", str, example="FGL2231A0QX"),
    Field("asset_tag", str, example="SGD-2021-00412"),
    Field("model", str, example="ISR1111-8P"),
    Field("purchased", dt.date, read=lambda h: h.purchased.isoformat(), example="2021-08-15"),
    Field("supplier", str, example="FPT IS"),
    Field("contract", str, example="HĐ-2021-117"),
    Field("warranty_end", dt.date, read=lambda h: h.warranty_end.isoformat(), example="2024-08-15"),
    Field("cost_vnd", int, example=32500000),
    Field("status", HardwareStatus, read=lambda h: h.status.value, example="in_service"),
    Field("site", str, example="79760012"),
    Field("device", str | None, example="79760012-rt1"),
    show_example=False,
)

HARDWARE_MODEL = Table[HardwareModel](
    "ModelOut",
    None,
    Field("model", str, example="ISR1111-8P"),
    Field("vendor", str, example="Cisco"),
    Field("ports", int, example=10),
    Field("price_vnd", int, example=32500000),
    Field("life_years", int, example=7),
    Field(
        "end_of_sale",
        dt.date | None,
        read=lambda m: m.end_of_sale.isoformat() if m.end_of_sale else None,
        example=None,
    ),
    Field(
        "end_of_support",
        dt.date | None,
        read=lambda m: m.end_of_support.isoformat() if m.end_of_support else None,
        example="2029-10-31",
    ),
    show_example=False,
)

DEVICE_DETAIL = DEVICE.extend(
    "DeviceDetail",
    "A device with its hardware record (null when none is recorded) and its model.",
    Field(
        "hardware",
        HARDWARE.model | None,
        read=lambda d: HARDWARE.view(d.hardware) if d.hardware else None,
        example=HARDWARE.example,
    ),
    Field(
        "hardware_model",
        HARDWARE_MODEL.model,
        read=lambda d: HARDWARE_MODEL.view(d.model),
        example=HARDWARE_MODEL.example,
    ),
)
