"""Exports in the import's own columns, so export → edit in a spreadsheet → import is a
clean round trip: the headers are the first spelling :mod:`spreadsheets.columns` knows."""

from __future__ import annotations

from collections.abc import Iterable

from edunet import tabular
from edunet.model import Inventory, SiteKind
from edunet.select import naturally
from spreadsheets.columns import HARDWARE, SCHOOLS

__all__ = ["DEVICE_COLUMNS", "devices", "hardware", "schools"]

LEVEL_NAMES = {
    "mam_non": "Mầm non",
    "tieu_hoc": "Tiểu học",
    "thcs": "THCS",
    "thpt": "THPT",
    "lien_cap": "Liên cấp",
    "gdtx": "GDTX",
    "chuyen_biet": "Chuyên biệt",
}


def _headers(fields: dict[str, tuple[str, ...]], which: Iterable[str]) -> tuple[str, ...]:
    return tuple(fields[f][0] for f in which)


SCHOOL_FIELDS = ("code", "name", "level", "district", "address", "pupils", "isp", "bandwidth_mbps")


def schools(inv: Inventory) -> tabular.Table:
    rows = []
    for code in naturally(c for c, s in inv.sites.items() if s.kind is SiteKind.school):
        s = inv.sites[code]
        level = LEVEL_NAMES.get(s.level.value, s.level.value) if s.level else None
        district = inv.districts[s.district].name
        first = inv.links[s.uplinks[0]] if s.uplinks else None
        isp, mbps = (first.isp, first.bandwidth_mbps) if first else (None, None)
        rows.append((s.code, s.name, level, district, s.address, s.pupils, isp, mbps))
    return tabular.Table(_headers(SCHOOLS, SCHOOL_FIELDS), tuple(rows))


HARDWARE_FIELDS = (
    "device",
    "site",
    "model",
    "serial",
    "asset_tag",
    "purchased",
    "warranty_end",
    "cost_vnd",
    "supplier",
    "contract",
    "status",
)


def hardware(inv: Inventory) -> tabular.Table:
    rows = []
    for name in naturally(n for n, d in inv.devices.items() if d.hardware is not None):
        d = inv.devices[name]
        h = d.hardware
        assert h is not None
        rows.append(
            (
                d.name,
                d.site,
                h.model,
                h.serial,
                h.asset_tag,
                h.purchased,
                h.warranty_end,
                h.cost_vnd,
                h.supplier,
                h.contract,
                h.status.value,
            )
        )
    return tabular.Table(_headers(HARDWARE, HARDWARE_FIELDS), tuple(rows))


DEVICE_COLUMNS = ("device", "site", "district", "role", "model", "mgmt_ip", "serial")


def devices(inv: Inventory) -> tabular.Table:
    rows = []
    for name in naturally(inv.devices):
        d = inv.devices[name]
        serial = d.hardware.serial if d.hardware else None
        district = inv.districts[d.district].name
        rows.append((d.name, d.site, district, d.role.value, d.model.model, str(d.mgmt_ip), serial))
    return tabular.Table(DEVICE_COLUMNS, tuple(rows))
