"""``edunet sites``, ``edunet devices`` and ``edunet find``: the inventory as lists to read,
filter and search. Filters take what the selection language takes (``edunet.select``):
a district by code, number, slug or name, values without case or diacritics, globs; the
search is :func:`edunet.select.search`, as the API's ``q=``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from edunet.cli.common import DEFAULT_INVENTORY, FormatOption, InventoryOption, load_or_exit
from edunet.cli.output import Format, emit, err_console
from edunet.model import Device, HardwareStatus, Inventory, Site
from edunet.select import (
    SEARCH_KINDS,
    NotFound,
    SelectionError,
    Term,
    find,
    natural_key,
    search,
    select,
    values_of,
)

__all__ = ["devices", "find_text", "sites"]

SITE_COLUMNS = ("code", "name", "kind", "level", "district", "pupils", "devices", "address")
DEVICE_COLUMNS = ("name", "site", "district", "role", "model", "mgmt_ip", "serial", "status")
MATCH_COLUMNS = ("kind", "key", "name", "field", "value", "match")


def _option(help: str, *names: str) -> Any:
    return typer.Option(*names, help=help, show_default=False)


SelectionOption = Annotated[
    list[str] | None,
    _option(
        "A selection, as for edunet apply: district=q1&level=thcs, role=*switch, a device or a "
        "glob; ',' joins, '&' intersects, '!' excludes. Repeat to join.",
        "--limit",
        "-l",
    ),
]
DistrictOption = Annotated[
    str | None,
    _option("District: code, number, slug or name (760, 1, q1, 'Quận 1').", "--district"),
]
LevelOption = Annotated[
    str | None, _option("School level: mam_non, tieu_hoc, thcs, thpt, … (a glob too).", "--level")
]
KindOption = Annotated[
    str | None,
    _option("Kind of site: school, district_office, department, datacenter.", "--kind"),
]
SiteOption = Annotated[str | None, _option("Site: code or name.", "--site")]
RoleOption = Annotated[
    str | None,
    _option("Role: router, firewall, core_switch, access_switch, access_point, …", "--role"),
]
ModelOption = Annotated[str | None, _option("Hardware model (C1111-8P).", "--model")]
StatusOption = Annotated[
    str | None, _option("Hardware status: in_service, spare, in_repair, retired.", "--status")
]
QueryOption = Annotated[
    str | None,
    _option("Only what this text finds (as edunet find), best match first.", "--query", "-q"),
]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", markup=False, highlight=False)
    return typer.Exit(1)


def _filter(inv: Inventory, key: str, value: str | None) -> set[str] | None:
    """The keys a plain option names, as ``key=value`` would in a selection; None: any."""
    if value is None:
        return None
    try:
        return values_of(inv, Term("+", key, value))
    except SelectionError as e:
        raise _fail(str(e)) from None


def _one_of(kind: str, value: str | None, known: Iterable[str]) -> str | None:
    if value is None:
        return None
    try:
        return find(kind, value, known, "")
    except NotFound as e:
        raise _fail(str(e)) from None


def _selected_devices(inv: Inventory, selection: list[str] | None) -> set[str] | None:
    if not selection:
        return None
    try:
        return set(select(inv, selection).devices)
    except SelectionError as e:
        raise _fail(str(e)) from None


def _ordered(inv: Inventory, kind: str, keep: Sequence[str], query: str | None) -> list[str]:
    """``keep`` in natural order, or as the search ranks them when there is a query."""
    if query is None:
        return sorted(keep, key=natural_key)
    kept = set(keep)
    return [m.key for m in search(inv, query, kinds=(kind,)) if m.key in kept]


def site_row(inv: Inventory, s: Site) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": s.name,
        "kind": s.kind.value,
        "level": s.level.value if s.level else None,
        "district": inv.districts[s.district].name,
        "pupils": s.pupils,
        "devices": len(s.devices),
        "address": s.address,
    }


def device_row(inv: Inventory, d: Device) -> dict[str, Any]:
    return {
        "name": d.name,
        "site": d.site,
        "district": inv.districts[d.district].name,
        "role": d.role.value,
        "model": d.model.model,
        "mgmt_ip": str(d.mgmt_ip),
        "serial": d.hardware.serial if d.hardware else None,
        "status": d.hardware.status.value if d.hardware else None,
    }


def sites(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    selection: SelectionOption = None,
    district: DistrictOption = None,
    level: LevelOption = None,
    kind: KindOption = None,
    query: QueryOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List sites in natural order of their codes (by relevance with --query), filtered by
    district, school level, kind and a selection of their devices. CSV is one table."""
    inv = load_or_exit(inventory)
    districts = _filter(inv, "district", district)
    levels = _filter(inv, "level", level)
    kinds = _filter(inv, "kind", kind)
    chosen = _selected_devices(inv, selection)
    keep = [
        s.code
        for s in inv.sites.values()
        if (districts is None or s.district in districts)
        and (levels is None or (s.level is not None and s.level.value in levels))
        and (kinds is None or s.kind.value in kinds)
        and (chosen is None or any(d in chosen for d in s.devices))
    ]
    codes = _ordered(inv, "site", keep, query)
    emit([site_row(inv, inv.sites[c]) for c in codes], fmt, columns=SITE_COLUMNS)
    _count(len(codes), "site", fmt)


def devices(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    selection: SelectionOption = None,
    district: DistrictOption = None,
    site: SiteOption = None,
    level: LevelOption = None,
    role: RoleOption = None,
    model: ModelOption = None,
    status: StatusOption = None,
    query: QueryOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List devices in natural order of their names (by relevance with --query), filtered by
    district, site, school level, role, model, hardware status and a selection. CSV is one
    table."""
    inv = load_or_exit(inventory)
    districts = _filter(inv, "district", district)
    sites_ = _filter(inv, "site", site)
    levels = _filter(inv, "level", level)
    roles = _filter(inv, "role", role)
    models = {d.model.model for d in inv.devices.values()}
    the_model = _one_of("model", model, sorted(models))
    the_status = _one_of("hardware status", status, [s.value for s in HardwareStatus])
    chosen = _selected_devices(inv, selection)

    def wanted(d: Device) -> bool:
        level_ = inv.sites[d.site].level
        return (
            (districts is None or d.district in districts)
            and (sites_ is None or d.site in sites_)
            and (levels is None or (level_ is not None and level_.value in levels))
            and (roles is None or d.role.value in roles)
            and (the_model is None or d.model.model == the_model)
            and (
                the_status is None
                or (d.hardware is not None and d.hardware.status.value == the_status)
            )
            and (chosen is None or d.name in chosen)
        )

    keep = [d.name for d in inv.devices.values() if wanted(d)]
    names = _ordered(inv, "device", keep, query)
    emit([device_row(inv, inv.devices[n]) for n in names], fmt, columns=DEVICE_COLUMNS)
    _count(len(names), "device", fmt)


def find_text(
    text: Annotated[str, typer.Argument(help="Words of a name, a code, an address or a serial.")],
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    kind: Annotated[
        list[str] | None,
        _option("Only these kinds: district, site, device (repeat for several).", "--kind"),
    ] = None,
    limit: Annotated[
        int, typer.Option("--top", "-n", min=1, help="At most this many, best first.")
    ] = 20,
    fmt: FormatOption = Format.table,
) -> None:
    """Find districts, sites and devices by name, code, address, management address or
    serial, without case or diacritics, best match first: exact code or serial, then whole
    words, then the start of a word, then anywhere, then words found apart. Exit 1 when
    nothing is found."""
    inv = load_or_exit(inventory)
    kinds = [_one_of("kind", k, SEARCH_KINDS) or k for k in kind or SEARCH_KINDS]
    found = search(inv, text, kinds=kinds)
    rows = [
        {
            "kind": m.kind,
            "key": m.key,
            "name": m.name,
            "field": m.field,
            "value": m.value,
            "match": m.rank.name,
        }
        for m in found[:limit]
    ]
    if not found:
        raise _fail(f"nothing found for {text!r}")
    emit(rows, fmt, columns=MATCH_COLUMNS)
    if fmt is Format.table and len(found) > limit:
        err_console.print(f"{limit} of {len(found)} shown; --top for more", highlight=False)


def _count(n: int, what: str, fmt: Format) -> None:
    if fmt is Format.table:
        err_console.print(f"{n:,} {what}{'s' if n != 1 else ''}", highlight=False)
