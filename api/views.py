"""Shared pieces of the routes: list pages whose items may be cut by ``fields=``, and the
filters most lists take."""

from __future__ import annotations

from typing import Annotated, Any, Optional

from fastapi import Query
from pydantic import BaseModel, ConfigDict, create_model
from pydantic import Field as FieldInfo

from api.fields import Table
from api.problems import error_responses

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

# the filters most lists take, declared once so they read the same in every route's schema
DistrictQuery = Annotated[
    str | None, Query(description="District code.", examples=["760"], max_length=64)
]
SiteQuery = Annotated[
    str | None, Query(description="Site code.", examples=["79760012"], max_length=64)
]
