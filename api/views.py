"""Shared pieces of the routes: list pages whose items may be cut by ``fields=``, and the
filters most lists take."""

from __future__ import annotations

from typing import Annotated, Any, Optional

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ConfigDict, create_model
from pydantic import Field as FieldInfo

from api.fields import Table
from api.problems import error_responses
from edunet.model import Inventory
from edunet.select import NotFound, lookup

_PAGES: dict[Table[Any], type[BaseModel]] = {}


def page_of(table: Table[Any]) -> type[BaseModel]:
    """The schema of one page of ``table``'s entity: every item field optional, since
    ``fields=`` may leave any of them out."""
    if table in _PAGES:
        return _PAGES[table]
    # Optional[...] rather than "| None": f.type may be a runtime type that has no "|"
    row_fields: dict[str, Any] = {
        f.name: (Optional[f.type], FieldInfo(None, description=f.description))  # noqa: UP045
        for f in table.fields
    }
    row = create_model(f"{table.title}Row", __doc__=table.doc, **row_fields)
    page = create_model(
        f"{table.title}Page",
        __config__=ConfigDict(
            json_schema_extra={
                "examples": [
                    {
                        "items": [table.example],
                        "total": 1,
                        "offset": 0,
                        "limit": 50,
                        "next_offset": None,
                    }
                ]
            }
        ),
        items=(list[row], ...),
        total=(int, ...),
        offset=(int, ...),
        limit=(int, ...),
        next_offset=(int | None, ...),
    )
    _PAGES[table] = page
    return page


LIST_ERRORS = error_responses(401, 403, 422)
ONE_ERRORS = error_responses(401, 403, 404, 422)

# the filters most lists take, declared once so they read the same in every route's schema;
# a district or site is named as on the command line (edunet.select.lookup) and reaches the
# route as its code


def _code(request: Request, kind: str, key: str | None) -> str | None:
    if key is None:
        return None
    # the store, not the snapshot dependency: that one would add an ETag to live answers
    inv: Inventory = request.app.state.snapshots.current.inventory
    try:
        return lookup(inv, kind, key)
    except NotFound:
        return key  # names nothing: the filter keeps nothing


async def _district_code(  # async: no I/O, so no thread-pool hop
    request: Request,
    district: Annotated[
        str | None,
        Query(description="District: code, number, slug or name.", examples=["760"], max_length=64),
    ] = None,
) -> str | None:
    return _code(request, "district", district)


async def _site_code(
    request: Request,
    site: Annotated[
        str | None, Query(description="Site: code or name.", examples=["79760012"], max_length=64)
    ] = None,
) -> str | None:
    return _code(request, "site", site)


DistrictQuery = Annotated[str | None, Depends(_district_code)]
SiteQuery = Annotated[str | None, Depends(_site_code)]
