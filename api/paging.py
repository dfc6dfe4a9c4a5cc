"""Lists: offset and limit with a bounded page size, a stable order, ``sort=`` and ``fields=``;
and the ETag that lets a caller skip an unchanged answer."""

# No `from __future__ import annotations`: the paging dependency is built in a closure and
# FastAPI must read its parameter annotations as objects, not as strings.

import hashlib
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Query, Request

from api.problems import InvalidParameter
from api.settings import PAGE_SIZE_CEILING

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageQuery:
    offset: int
    limit: int
    sort: str | None
    fields: str | None


def page_query(
    sortable: Collection[str], fields: Collection[str]
) -> Callable[..., Awaitable[PageQuery]]:
    """The paging dependency of one resource: its ``sort=`` and ``fields=`` patterns name
    exactly the fields it has, so the OpenAPI schema says what is accepted."""
    sort_names = "|".join(sorted(sortable, key=lambda n: (-len(n), n)))
    field_names = "|".join(sorted(fields, key=lambda n: (-len(n), n)))
    sort_pattern = f"^-?({sort_names})(,-?({sort_names}))*$"
    fields_pattern = f"^({field_names})(,({field_names}))*$"
    first_sort, first_field = sorted(sortable)[0], sorted(fields)[0]

    async def dependency(  # async: no I/O, so no thread-pool hop
        request: Request,
        offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
        limit: Annotated[
            int | None,
            Query(ge=1, le=PAGE_SIZE_CEILING, description="Page size (default 50).", examples=[50]),
        ] = None,
        sort: Annotated[
            str | None,
            Query(
                pattern=sort_pattern,
                max_length=512,
                description="Comma-separated fields; a leading '-' sorts descending. One of: "
                + ", ".join(sorted(sortable)),
                examples=[f"-{first_sort}"],
            ),
        ] = None,
        fields: Annotated[
            str | None,
            Query(
                pattern=fields_pattern,
                max_length=512,
                description="Comma-separated fields to return (default: all). One of: "
                + ", ".join(fields),
                examples=[first_field],
            ),
        ] = None,
    ) -> PageQuery:
        settings = request.app.state.settings
        if limit is None:
            limit = min(settings.default_page_size, settings.max_page_size)
        elif limit > settings.max_page_size:
            raise InvalidParameter("limit", f"at most {settings.max_page_size}")
        return PageQuery(offset, limit, sort, fields)

    return dependency


Column = Callable[[T], Any]


def _sort_key(value: Any) -> tuple[bool, Any]:
    return (value is None, value if value is not None else 0)


def _keyed(col: Column[T]) -> Callable[[T], tuple[bool, Any]]:
    return lambda item: _sort_key(col(item))


def paginate(
    items: Sequence[T],
    q: PageQuery,
    columns: Mapping[str, Column[T]],
    view: Callable[[T], dict[str, Any]],
    field_names: Collection[str],
) -> dict[str, Any]:
    """Sort ``items`` (already in their stable, natural order), cut a page, render it.

    ``columns`` names what ``sort=`` accepts; ``view`` renders one item and its keys are
    what ``fields=`` accepts.
    """
    ordered = list(items)
    if q.sort:
        keys = [(k.lstrip("-"), k.startswith("-")) for k in q.sort.split(",")]
        for name, _ in keys:
            if name not in columns:
                raise InvalidParameter("sort", f"cannot sort by {name!r}; one of {sorted(columns)}")
        # successive stable sorts, last key first, keep ties in the natural order
        for name, desc in reversed(keys):
            ordered.sort(key=_keyed(columns[name]), reverse=desc)
    if q.fields:
        wanted = q.fields.split(",")
        unknown = [f for f in wanted if f not in field_names]
        if unknown:
            raise InvalidParameter("fields", f"unknown {unknown}; one of {list(field_names)}")
    page = ordered[q.offset : q.offset + q.limit]
    rows = [view(it) for it in page]
    if q.fields:
        wanted = q.fields.split(",")
        rows = [{f: r[f] for f in wanted} for r in rows]
    end = q.offset + len(page)
    return {
        "items": rows,
        "total": len(ordered),
        "offset": q.offset,
        "limit": q.limit,
        "next_offset": end if end < len(ordered) else None,
    }


def etag(snapshot_etag: str, request: Request) -> str:
    """A weak tag: the same inventory and the same URL give the same representation."""
    url = request.url.path + "?" + request.url.query
    return f'W/"{snapshot_etag[:16]}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"'


def matches(if_none_match: str | None, tag: str) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    # weak comparison (RFC 9110 8.8.3.2): the W/ prefix does not count
    bare = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in if_none_match.split(","))
