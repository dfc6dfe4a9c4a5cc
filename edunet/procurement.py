"""Procurement views of the hardware records: flat rows, filters, warranty and support
deadlines, the refresh forecast and a summary.

Every function takes the date it reasons about, so a report is reproducible: nothing here
reads the clock. Rows are built once per date (:func:`hardware_rows`); the other functions
work over a list of rows, so filters compose with every report.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from edunet.model import HardwareModel, HardwareRecord, HardwareStatus, Inventory
from edunet.schema import DeviceRole, SchoolLevel

__all__ = [
    "FORECAST_STATUSES",
    "ForecastYear",
    "Group",
    "HardwareFilter",
    "HardwareRow",
    "Summary",
    "add_months",
    "age_years",
    "forecast",
    "hardware_rows",
    "refresh_due",
    "select",
    "summary",
    "support_ending",
    "warranty_expiring",
]

# Retired hardware is already gone from the network: nothing to refresh.
FORECAST_STATUSES = frozenset(
    {HardwareStatus.in_service, HardwareStatus.in_repair, HardwareStatus.spare}
)


@dataclass(frozen=True, slots=True)
class HardwareRow:
    """One hardware record with everything a procurement sheet shows beside it."""

    serial: str
    asset_tag: str
    model: str
    vendor: str
    role: DeviceRole
    site: str
    site_name: str
    district: str
    district_name: str
    level: SchoolLevel | None  # schools only
    device: str | None  # None for spares
    status: HardwareStatus
    supplier: str
    contract: str
    purchased: dt.date
    age_years: int  # completed years at the report date
    warranty_end: dt.date
    end_of_support: dt.date | None
    refresh_due: dt.date
    cost_vnd: int  # what was paid
    price_vnd: int  # what a replacement costs today (the catalogue price)


@dataclass(frozen=True, slots=True)
class HardwareFilter:
    """Which rows to keep; a field left at None does not filter."""

    model: str | None = None
    vendor: str | None = None  # case-insensitive
    role: DeviceRole | None = None
    site: str | None = None
    district: str | None = None
    level: SchoolLevel | None = None
    status: HardwareStatus | None = None
    min_age: int | None = None  # completed years, inclusive

    def __call__(self, row: HardwareRow) -> bool:
        return (
            (self.model is None or row.model == self.model)
            and (self.vendor is None or row.vendor.casefold() == self.vendor.casefold())
            and (self.role is None or row.role == self.role)
            and (self.site is None or row.site == self.site)
            and (self.district is None or row.district == self.district)
            and (self.level is None or row.level == self.level)
            and (self.status is None or row.status == self.status)
            and (self.min_age is None or row.age_years >= self.min_age)
        )


@dataclass(frozen=True, slots=True)
class ForecastYear:
    """Devices due for refresh in one year (and one district, when split by district)."""

    year: int
    district: str | None
    district_name: str | None
    count: int
    cost_vnd: int  # at the catalogue price
    overdue: int  # of ``count``: due before the forecast's first year, carried into it


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    name: str
    count: int
    cost_vnd: int  # purchase cost
    price_vnd: int  # replacement at the catalogue price


@dataclass(frozen=True, slots=True)
class Summary:
    on: dt.date
    count: int
    cost_vnd: int
    price_vnd: int
    by_status: tuple[Group, ...]
    by_vendor: tuple[Group, ...]
    by_district: tuple[Group, ...]


# --- dates -------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def age_years(purchased: dt.date, on: dt.date) -> int:
    """Completed years between purchase and ``on`` (0 before the first anniversary or earlier)."""
    years = on.year - purchased.year - ((on.month, on.day) < (purchased.month, purchased.day))
    return max(years, 0)


def refresh_due(record: HardwareRecord, model: HardwareModel) -> dt.date:
    """When a device should be replaced: at the end of its expected life, or when the vendor
    stops supporting the model, whichever comes first."""
    due = add_months(record.purchased, 12 * model.life_years)
    if model.end_of_support is not None and model.end_of_support < due:
        return model.end_of_support
    return due


# --- rows --------------------------------------------------------------------------------


def hardware_rows(inv: Inventory, on: dt.date) -> list[HardwareRow]:
    """One row per hardware record, in the inventory's order (deployed devices, then spares)."""
    rows = []
    for rec in inv.hardware():
        model = inv.models[rec.model]
        site = inv.sites[rec.site]
        district = inv.districts[site.district]
        rows.append(
            HardwareRow(
                serial=rec.serial,
                asset_tag=rec.asset_tag,
                model=rec.model,
                vendor=model.vendor,
                role=model.role,
                site=site.code,
                site_name=site.name,
                district=district.code,
                district_name=district.name,
                level=site.level,
                device=rec.device,
                status=rec.status,
                supplier=rec.supplier,
                contract=rec.contract,
                purchased=rec.purchased,
                age_years=age_years(rec.purchased, on),
                warranty_end=rec.warranty_end,
                end_of_support=model.end_of_support,
                refresh_due=refresh_due(rec, model),
                cost_vnd=rec.cost_vnd,
                price_vnd=model.price_vnd,
            )
        )
    return rows


def select(
    rows: Iterable[HardwareRow], keep: Callable[[HardwareRow], bool] = HardwareFilter()
) -> list[HardwareRow]:
    return [r for r in rows if keep(r)]


def warranty_expiring(
    rows: Iterable[HardwareRow], on: dt.date, months: int, *, include_expired: bool = False
) -> list[HardwareRow]:
    """Rows whose warranty ends between ``on`` and ``months`` later (both inclusive), soonest
    first; with ``include_expired``, those already out of warranty too."""
    until = add_months(on, months)
    out = [r for r in rows if r.warranty_end <= until and (include_expired or r.warranty_end >= on)]
    return sorted(out, key=lambda r: r.warranty_end)


def support_ending(rows: Iterable[HardwareRow], on: dt.date, months: int) -> list[HardwareRow]:
    """Rows whose model's end of support has passed or falls within ``months`` of ``on``,
    soonest first."""
    until = add_months(on, months)
    out = [r for r in rows if r.end_of_support is not None and r.end_of_support <= until]
    return sorted(out, key=lambda r: (r.end_of_support or until, r.serial))


# --- reports -----------------------------------------------------------------------------


def forecast(
    rows: Iterable[HardwareRow],
    first_year: int,
    years: int,
    *,
    by_district: bool = False,
    statuses: frozenset[HardwareStatus] = FORECAST_STATUSES,
) -> list[ForecastYear]:
    """Devices due for refresh per year from ``first_year`` for ``years`` years, costed at
    the catalogue price. Devices already overdue are carried into the first year (``overdue``
    counts them); those due after the horizon are left out.

    Without ``by_district`` every year appears, with zeros; with it, only the (year,
    district) cells that hold a device, ordered by year then district code."""
    if years < 1:
        raise ValueError("a forecast covers at least one year")
    last_year = first_year + years - 1
    count: dict[tuple[int, str | None], int] = {}
    cost: dict[tuple[int, str | None], int] = {}
    overdue: dict[tuple[int, str | None], int] = {}
    names: dict[str, str] = {}
    for r in rows:
        if r.status not in statuses or r.refresh_due.year > last_year:
            continue
        year = max(r.refresh_due.year, first_year)
        key = (year, r.district if by_district else None)
        names[r.district] = r.district_name
        count[key] = count.get(key, 0) + 1
        cost[key] = cost.get(key, 0) + r.price_vnd
        if r.refresh_due.year < first_year:
            overdue[key] = overdue.get(key, 0) + 1
    if by_district:
        keys = sorted(count, key=lambda k: (k[0], k[1] or ""))
    else:
        keys = [(y, None) for y in range(first_year, last_year + 1)]
    return [
        ForecastYear(
            year=y,
            district=d,
            district_name=names[d] if d is not None else None,
            count=count.get((y, d), 0),
            cost_vnd=cost.get((y, d), 0),
            overdue=overdue.get((y, d), 0),
        )
        for y, d in keys
    ]


def _groups(
    rows: Sequence[HardwareRow], key: Callable[[HardwareRow], tuple[str, str]]
) -> tuple[Group, ...]:
    acc: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for r in rows:
        k, name = key(r)
        names[k] = name
        totals = acc.setdefault(k, [0, 0, 0])
        totals[0] += 1
        totals[1] += r.cost_vnd
        totals[2] += r.price_vnd
    return tuple(
        Group(key=k, name=names[k], count=c, cost_vnd=v, price_vnd=p)
        for k, (c, v, p) in sorted(acc.items())
    )


def summary(rows: Sequence[HardwareRow], on: dt.date) -> Summary:
    """Counts and value (paid, and at today's catalogue price) by status, vendor, district."""
    return Summary(
        on=on,
        count=len(rows),
        cost_vnd=sum(r.cost_vnd for r in rows),
        price_vnd=sum(r.price_vnd for r in rows),
        by_status=_groups(rows, lambda r: (r.status.value, r.status.value)),
        by_vendor=_groups(rows, lambda r: (r.vendor, r.vendor)),
        by_district=_groups(rows, lambda r: (r.district, r.district_name)),
    )
