"""Reports as JSON, CSV or XLSX: the format a caller asks for (``format=`` or ``Accept``),
the file response, and an ETag that tells the formats and report dates apart."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Request
from fastapi.responses import Response

from api.export_builds import Exports, FileFormat
from api.paging import matches
from api.snapshot import Snapshot
from edunet.tabular import MEDIA_TYPES, table

Format = Literal["json", "csv", "xlsx"]

# Reports reason about "today" where the schools are, not where the server's clock is set.
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_BY_MEDIA: dict[str, Format] = {
    "application/json": "json",
    "text/csv": "csv",
    MEDIA_TYPES["xlsx"]: "xlsx",
}


def today() -> dt.date:
    return dt.datetime.now(TIMEZONE).date()


def negotiate(explicit: FileFormat | None, accept: str | None) -> Format:
    """``format=`` wins; else the ``Accept`` media type with the highest q among JSON, CSV
    and XLSX; else JSON (``*/*`` and anything unknown included)."""
    if explicit is not None:
        return explicit
    best: tuple[float, Format] = (0.0, "json")
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        fmt = _BY_MEDIA.get(media.lower())
        if fmt is None:
            continue
        q = 1.0
        for p in params:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > best[0]:
            best = (q, fmt)
    return best[1]


def report_etag(request: Request, snap: Snapshot, *variant: str) -> str:
    """Like the list tag, but also keyed on what the URL does not say: the report date
    (``on=`` defaults to today) and the negotiated format. Answers 304 on a match; the tag
    goes out through the middleware like every other."""
    url = request.url.path + "?" + request.url.query + "|" + "|".join(variant)
    tag = f'W/"{snap.etag[:16]}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"'
    if matches(request.headers.get("if-none-match"), tag):
        raise HTTPException(status_code=304, headers={"ETag": tag, "Vary": "Accept"})
    request.state.etag = tag
    return tag


async def file_response(
    exports: Exports,
    key: str,
    rows: Callable[[], Iterable[object]],
    columns: Sequence[str],
    fmt: FileFormat,
    filename: str,
) -> Response:
    """``rows()`` (dataclasses or mappings) as a download named ``filename.<fmt>``, built
    off the event loop and kept under ``key`` (the report's ETag: snapshot and request)."""
    body = await exports.file(key, lambda: table(rows(), columns), fmt, filename)
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}.{fmt}"',
            "Vary": "Accept",
        },
    )


def export_responses(example: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """The 200 answer's other media types, for ``responses=``."""
    return {
        200: {
            "description": "The report as JSON, or as a CSV or XLSX file with "
            "``format=`` or ``Accept``.",
            "content": {
                "application/json": {"example": example},
                "text/csv": {"schema": {"type": "string"}},
                MEDIA_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
