"""Counts of the city by district, school level and device role: what `validate` and
`summary` print."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from edunet.model import Inventory, SchoolLevel, SiteKind
from edunet.schema import DeviceRole

LEVEL_NAMES: dict[SchoolLevel, str] = {
    SchoolLevel.mam_non: "Mầm non",
    SchoolLevel.tieu_hoc: "Tiểu học",
    SchoolLevel.thcs: "THCS",
    SchoolLevel.thpt: "THPT",
    SchoolLevel.lien_cap: "Liên cấp",
    SchoolLevel.gdtx: "GDTX",
    SchoolLevel.chuyen_biet: "Chuyên biệt",
}


def by_district(inv: Inventory) -> list[dict[str, Any]]:
    sites: Counter[str] = Counter()
    schools: Counter[str] = Counter()
    pupils: Counter[str] = Counter()
    devices: Counter[str] = Counter()
    for s in inv.sites.values():
        sites[s.district] += 1
        devices[s.district] += len(s.devices)
        if s.kind is SiteKind.school:
            schools[s.district] += 1
            pupils[s.district] += s.pupils or 0
    return [
        {
            "district": d.code,
            "name": d.name,
            "sites": sites[d.code],
            "schools": schools[d.code],
            "pupils": pupils[d.code],
            "devices": devices[d.code],
        }
        for d in inv.districts.values()
    ]


def by_level(inv: Inventory) -> list[dict[str, Any]]:
    schools = inv.schools()
    count = Counter(s.level for s in schools)
    pupils: Counter[SchoolLevel | None] = Counter()
    for s in schools:
        pupils[s.level] += s.pupils or 0
    total = len(schools) or 1
    return [
        {
            "level": lvl.value,
            "name": LEVEL_NAMES[lvl],
            "schools": count[lvl],
            "share_pct": round(100 * count[lvl] / total, 1),
            "pupils": pupils[lvl],
        }
        for lvl in SchoolLevel
    ]


def by_role(inv: Inventory) -> list[dict[str, Any]]:
    count = Counter(d.role for d in inv.devices.values())
    models: dict[DeviceRole, set[str]] = {}
    for d in inv.devices.values():
        models.setdefault(d.role, set()).add(d.model.model)
    return [
        {"role": r.value, "devices": count[r], "models": len(models.get(r, ()))}
        for r in DeviceRole
        if count[r]
    ]


def totals(inv: Inventory) -> dict[str, Any]:
    hw = inv.hardware()
    kinds = Counter(s.kind for s in inv.sites.values())
    return {
        "districts": len(inv.districts),
        "sites": len(inv.sites),
        "department": kinds[SiteKind.department],
        "datacenter": kinds[SiteKind.datacenter],
        "district_offices": kinds[SiteKind.district_office],
        "schools": kinds[SiteKind.school],
        "pupils": sum(s.pupils or 0 for s in inv.sites.values()),
        "devices": len(inv.devices),
        "links": len(inv.links),
        "uplinks": sum(1 for link in inv.links.values() if link.kind != "lan"),
        "hardware_records": len(hw),
        "hardware_value_vnd": sum(r.cost_vnd for r in hw),
        "applications": len(inv.applications),
        "vms": len(inv.vms),
        "sample_data": inv.sample,
    }


Rows = list[dict[str, Any]]
# a table is rows, or one record (the totals) that prints as field and value
TABLES: dict[str, Callable[[Inventory], Rows | dict[str, Any]]] = {
    "totals": totals,
    "districts": by_district,
    "levels": by_level,
    "roles": by_role,
}
TITLES = {
    "districts": "Theo quận/huyện (by district)",
    "levels": "Theo cấp học (by school level)",
    "roles": "Thiết bị theo vai trò (devices by role)",
}


def tables(inv: Inventory, *names: str) -> dict[str, Rows | dict[str, Any]]:
    """The named tables (``totals``, ``districts``, ``levels``, ``roles``), in that order."""
    return {name: TABLES[name](inv) for name in names}
