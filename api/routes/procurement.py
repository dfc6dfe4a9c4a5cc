"""``/procurement``: the hardware records as procurement sees them — by model, vendor, site,
district, age and status; warranties and vendor support running out; the refresh forecast
and a summary. Every report also comes as CSV or XLSX.

The reports are ``edunet.procurement``'s; this module only parses, pages and renders.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from api.auth import Scope
from api.deps import SettingsDep, SnapshotDep, api_dependencies
from api.entities.procurement import HARDWARE_ROW
from api.export import (
    Format,
    export_responses,
    file_response,
    negotiate,
    report_etag,
    today,
)
from api.export_builds import Exports, FileFormat
from api.paging import PageQuery, page_query, paginate
from api.problems import InvalidParameter, error_responses
from api.snapshot import Snapshot
from api.views import DistrictQuery, SiteQuery, page_of
from edunet import procurement as core
from edunet.model import DeviceRole, HardwareStatus, Inventory, SchoolLevel

router = APIRouter(
    prefix="/procurement",
    tags=["procurement"],
    dependencies=api_dependencies(Scope.procurement_read),
)
ERRORS = error_responses(401, 403, 422)
# a strict calendar shape: pydantic alone would also take a Unix time ("on=0")
DATE_PATTERN = r"^(19|20|21)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"

FORECAST_EXAMPLE: dict[str, Any] = {
    "year": 2026,
    "district": "760",
    "district_name": "Quận 1",
    "count": 12,
    "cost_vnd": 390000000,
    "overdue": 3,
}
FORECAST_BODY_EXAMPLE: dict[str, Any] = {
    "first_year": 2026,
    "years": 5,
    "by_district": True,
    "items": [FORECAST_EXAMPLE],
}
GROUP_EXAMPLE: dict[str, Any] = {
    "key": "760",
    "name": "Quận 1",
    "count": 2,
    "cost_vnd": 250000000,
    "price_vnd": 240000000,
}
SUMMARY_EXAMPLE: dict[str, Any] = {
    "on": "2025-09-05",
    "count": 2,
    "cost_vnd": 250000000,
    "price_vnd": 240000000,
    "by_status": [GROUP_EXAMPLE | {"key": "in_service", "name": "in_service"}],
    "by_vendor": [GROUP_EXAMPLE | {"key": "Dell", "name": "Dell"}],
    "by_district": [GROUP_EXAMPLE],
}


class ForecastYearOut(BaseModel):
    year: int
    district: str | None
    district_name: str | None
    count: int
    cost_vnd: int
    overdue: int


class Forecast(BaseModel):
    """Devices due for refresh per year, costed at the catalogue price; overdue devices are
    carried into the first year."""

    model_config = ConfigDict(json_schema_extra={"examples": [FORECAST_BODY_EXAMPLE]})

    first_year: int
    years: int
    by_district: bool
    items: list[ForecastYearOut]


class GroupOut(BaseModel):
    key: str
    name: str
    count: int
    cost_vnd: int
    price_vnd: int


class SummaryOut(BaseModel):
    """Counts, purchase cost and replacement value by status, vendor and district."""

    model_config = ConfigDict(json_schema_extra={"examples": [SUMMARY_EXAMPLE]})

    on: dt.date
    count: int
    cost_vnd: int
    price_vnd: int
    by_status: list[GroupOut]
    by_vendor: list[GroupOut]
    by_district: list[GroupOut]


# A city's records for one date are about 12,000 rows: a few dates are kept, the least
# recently asked going first (today's, asked all day, stays).
ROW_DATES = 8

Paging = Annotated[PageQuery, Depends(page_query(HARDWARE_ROW.columns, HARDWARE_ROW.names))]


def _plain(row: object) -> dict[str, Any]:
    assert dataclasses.is_dataclass(row) and not isinstance(row, type)
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}


async def hardware_filter(  # async: no I/O, so no thread-pool hop
    model: Annotated[
        str | None, Query(description="Hardware model.", examples=["ISR1111-8P"], max_length=128)
    ] = None,
    vendor: Annotated[
        str | None,
        Query(description="Vendor, case-insensitive.", examples=["Cisco"], max_length=128),
    ] = None,
    role: Annotated[DeviceRole | None, Query(description="Device role of the model.")] = None,
    site: SiteQuery = None,
    district: DistrictQuery = None,
    level: Annotated[SchoolLevel | None, Query(description="School level of the site.")] = None,
    status: Annotated[HardwareStatus | None, Query(description="Hardware status.")] = None,
    min_age: Annotated[
        int | None, Query(ge=0, le=100, description="At least this many completed years old.")
    ] = None,
) -> core.HardwareFilter:
    return core.HardwareFilter(model, vendor, role, site, district, level, status, min_age)


@dataclass(frozen=True, slots=True)
class Report:
    """One report request: the snapshot, the date it reasons about, the format wanted."""

    snapshot: Snapshot
    on: dt.date
    fmt: Format
    keep: core.HardwareFilter
    max_export_rows: int
    tag: str  # the report's ETag: snapshot, request, date and format
    exports: Exports

    @property
    def inventory(self) -> Inventory:
        return self.snapshot.inventory

    def all_rows(self) -> tuple[core.HardwareRow, ...]:
        """Every row on ``on``, built once per snapshot and date (the snapshot never changes)."""
        return self.snapshot.memo(
            ("procurement.rows", self.on),
            lambda: tuple(core.hardware_rows(self.inventory, self.on)),
            keep=ROW_DATES,
        )

    async def prepare(self) -> None:
        """Build the rows off the event loop the first time (a whole city: about 0.15 s), so
        the cached answers after it can be served from the loop itself. A few dates at a
        time: a caller sending a new ``on=`` with each request gets 429 beyond that."""
        if not self.snapshot.cached(("procurement.rows", self.on)):
            with self.exports.days.take():
                await asyncio.to_thread(self.all_rows)

    async def file(
        self, rows: Callable[[], Iterable[object]], columns: Sequence[str], filename: str
    ) -> Response:
        assert self.fmt != "json"
        return await file_response(self.exports, self.tag, rows, columns, self.fmt, filename)

    def rows(self) -> list[core.HardwareRow]:
        return core.select(self.all_rows(), self.keep)

    def summary(self) -> core.Summary:
        return self.snapshot.memo(
            ("procurement.summary", self.on, self.keep),
            lambda: core.summary(self.rows(), self.on),
        )

    def stamp(self) -> str:
        return self.on.isoformat()


async def report(  # async: no I/O, so no thread-pool hop
    request: Request,
    snap: SnapshotDep,
    settings: SettingsDep,
    keep: Annotated[core.HardwareFilter, Depends(hardware_filter)],
    on: Annotated[
        str | None,
        Query(
            pattern=DATE_PATTERN,
            json_schema_extra={"format": "date"},
            description="The date the report reasons about, YYYY-MM-DD (default: today in "
            "Ho Chi Minh City).",
            examples=["2025-09-05"],
        ),
    ] = None,
    format: Annotated[
        FileFormat | None,
        Query(description="Download as a file instead of JSON (or send an Accept header)."),
    ] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Report:
    day = _date("on", on) if on is not None else today()
    fmt = negotiate(format, accept)
    tag = report_etag(request, snap, day.isoformat(), fmt)
    exports: Exports = request.app.state.exports
    rep = Report(snap, day, fmt, keep, settings.max_export_rows, tag, exports)
    await rep.prepare()
    return rep


def _date(name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(name, f"{text!r} is not a calendar date") from None


ReportDep = Annotated[Report, Depends(report)]


async def _rows_answer(
    rep: Report, rows: Callable[[], list[core.HardwareRow]], page: PageQuery, filename: str
) -> Response:
    """A page of rows as JSON, or every row (sorted, ``fields=`` as the columns) as a file.
    Either is built off the event loop: a city's rows take a while to sort."""
    if rep.fmt == "json":

        def body() -> dict[str, Any]:
            row = HARDWARE_ROW
            return paginate(rows(), page, row.columns, row.view, row.names)

        return JSONResponse(await asyncio.to_thread(body), headers={"Vary": "Accept"})

    def cut() -> list[object]:
        every = rows()
        if len(every) > rep.max_export_rows:
            # a whole city's XLSX takes seconds of a worker; a file beyond the bound, minutes
            raise InvalidParameter(
                "format",
                f"{len(every)} rows are more than one file holds here ({rep.max_export_rows}); "
                "narrow the list with district=, site=, level=, model= or status=",
            )
        everything = PageQuery(0, max(len(every), 1), page.sort, page.fields)
        out: list[object] = paginate(
            every, everything, HARDWARE_ROW.columns, _plain, HARDWARE_ROW.names
        )["items"]
        return out

    columns = page.fields.split(",") if page.fields else list(HARDWARE_ROW.names)
    return await rep.file(cut, columns, filename)


@router.get(
    "/hardware",
    summary="Hardware records",
    response_model=page_of(HARDWARE_ROW),
    responses=ERRORS | export_responses(HARDWARE_ROW.example),
)
async def hardware(rep: ReportDep, page: Paging) -> Response:
    """Every hardware record (deployed devices, then spares) with its age on ``on``,
    warranty end, end of support, refresh date and prices; filtered by model, vendor, role,
    site, district, school level, status and minimum age.

    As CSV or XLSX (``format=`` or ``Accept``) the file holds every matching row in the
    ``sort=`` order with the ``fields=`` columns; ``offset`` and ``limit`` apply to JSON
    only. Needs ``procurement:read``."""
    return await _rows_answer(rep, rep.rows, page, f"edunet-hardware-{rep.stamp()}")


Months = Annotated[int, Query(ge=0, le=240, description="Months ahead of ``on``.", examples=[6])]


@router.get(
    "/warranty-expiring",
    summary="Warranties expiring",
    response_model=page_of(HARDWARE_ROW),
    responses=ERRORS | export_responses(HARDWARE_ROW.example),
)
async def warranty_expiring(
    rep: ReportDep,
    page: Paging,
    months: Months = 6,
    include_expired: Annotated[
        bool, Query(description="Also those already out of warranty.")
    ] = False,
) -> Response:
    """Hardware whose warranty ends between ``on`` and ``months`` later, soonest first
    (with ``include_expired``, those already out of warranty too); the same filters as
    ``/hardware``, and the same CSV and XLSX export. Needs ``procurement:read``."""

    def rows() -> list[core.HardwareRow]:
        return core.warranty_expiring(rep.rows(), rep.on, months, include_expired=include_expired)

    return await _rows_answer(rep, rows, page, f"edunet-warranty-{months}m-{rep.stamp()}")


@router.get(
    "/end-of-support",
    summary="Vendor support ending",
    response_model=page_of(HARDWARE_ROW),
    responses=ERRORS | export_responses(HARDWARE_ROW.example),
)
async def end_of_support(rep: ReportDep, page: Paging, months: Months = 12) -> Response:
    """Hardware whose model's vendor support has ended or ends within ``months`` of
    ``on``, soonest first; the same filters as ``/hardware``, and the same CSV and XLSX
    export. Needs ``procurement:read``."""

    def rows() -> list[core.HardwareRow]:
        return core.support_ending(rep.rows(), rep.on, months)

    return await _rows_answer(rep, rows, page, f"edunet-end-of-support-{months}m-{rep.stamp()}")


@router.get(
    "/forecast",
    summary="Refresh forecast",
    response_model=Forecast,
    responses=ERRORS | export_responses(FORECAST_BODY_EXAMPLE),
)
async def forecast(
    rep: ReportDep,
    first_year: Annotated[
        int | None,
        Query(
            ge=2000,
            le=2100,
            description="First year (default: the year of ``on``).",
            examples=[2026],
        ),
    ] = None,
    years: Annotated[int, Query(ge=1, le=30, description="Years covered.", examples=[5])] = 5,
    by_district: Annotated[bool, Query(description="One row per year and district.")] = False,
) -> Response:
    """Devices in service, in repair or spare that are due for refresh (end of expected
    life, or end of vendor support if sooner) per year, with their count and cost at the
    catalogue price in VND; overdue devices are carried into the first year. The same
    filters as ``/hardware``; CSV or XLSX with ``format=`` or ``Accept``. Needs
    ``procurement:read``."""
    first = first_year if first_year is not None else rep.on.year

    def items() -> list[Any]:
        return list(core.forecast(rep.rows(), first, years, by_district=by_district))

    if rep.fmt == "json":

        def body() -> dict[str, Any]:
            return {
                "first_year": first,
                "years": years,
                "by_district": by_district,
                "items": [dataclasses.asdict(i) for i in items()],
            }

        return JSONResponse(await asyncio.to_thread(body), headers={"Vary": "Accept"})
    columns = list(ForecastYearOut.model_fields)
    name = f"edunet-forecast-{first}-{years}y" + ("-by-district" if by_district else "")
    return await rep.file(items, columns, name)


@router.get(
    "/summary",
    summary="Hardware summary",
    response_model=SummaryOut,
    responses=ERRORS | export_responses(SUMMARY_EXAMPLE),
)
async def summary(rep: ReportDep) -> Response:
    """How many records, what they cost and what replacing them costs at today's catalogue
    prices, by status, vendor and district. The same filters as ``/hardware``; as CSV or
    XLSX, one row per group with its dimension. Needs ``procurement:read``."""
    # async: a few dozen groups, cached per snapshot, date and filter; no thread-pool hop
    s = rep.summary()
    dims = {"status": s.by_status, "vendor": s.by_vendor, "district": s.by_district}
    if rep.fmt == "json":
        body = rep.snapshot.memo(
            ("procurement.summary.json", rep.on, rep.keep),
            lambda: (
                {
                    "on": s.on.isoformat(),
                    "count": s.count,
                    "cost_vnd": s.cost_vnd,
                    "price_vnd": s.price_vnd,
                }
                | {f"by_{d}": [dataclasses.asdict(g) for g in groups] for d, groups in dims.items()}
            ),
        )
        return JSONResponse(body, headers={"Vary": "Accept"})
    rows = [{"dimension": d} | dataclasses.asdict(g) for d, groups in dims.items() for g in groups]
    columns = ["dimension", *GroupOut.model_fields]
    return await rep.file(lambda: rows, columns, f"edunet-summary-{rep.stamp()}")
