"""``/topology``: neighbours, paths, the impact of a failure, single points of failure.

The same queries as ``edunet topology``, answered by the same core (``topology_of``) on
the whole city's graph, then told as the caller's reach may see them (``api.sight``).
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Scope
from api.deps import SnapshotDep, TopologyDep, api_dependencies
from api.entities.topology import SPOF
from api.paging import PageQuery, page_query, paginate
from api.sight import Sight
from api.views import LIST_ERRORS, ONE_ERRORS, page_of
from edunet.topology import TopologyError

router = APIRouter(
    prefix="/topology",
    tags=["topology"],
    dependencies=api_dependencies(Scope.topology_read),
)


class Neighbour(BaseModel):
    name: str
    hops: int
    site: str | None


class Neighbours(BaseModel):
    """What lies within n hops: sites for a site code, devices for a device name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "node": "PGD-Q1",
                    "level": "site",
                    "hops": 1,
                    "neighbours": [
                        {"name": "79760012", "hops": 1, "site": "79760012"},
                        {"name": "TTDL", "hops": 1, "site": "TTDL"},
                    ],
                    "elsewhere": 0,
                }
            ]
        }
    )

    node: str
    level: Literal["site", "device"]
    hops: int
    neighbours: list[Neighbour]
    elsewhere: int = Field(description="Neighbours outside the token's reach, counted only.")


class PathOut(BaseModel):
    nodes: list[str]
    links: list[str]
    hops: int


class Paths(BaseModel):
    """Every equal-cost shortest path, up to ``limit``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "a": "79760012",
                    "b": "TTDL",
                    "paths": [
                        {
                            "nodes": ["79760012-rt1", "pgd-q1-rt1", "ttdl-rt1"],
                            "links": ["79760012-up1", "pgd-q1-up1"],
                            "hops": 2,
                        }
                    ],
                }
            ]
        }
    )

    a: str
    b: str | None
    paths: list[PathOut]


class ImpactOut(BaseModel):
    """What one failed link, device, site or ISP (its cloud and every link it carries)
    cuts off from the data center."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "element": "pgd-q1-rt1",
                    "kind": "device",
                    "sites_cut": ["79760012", "79760031", "PGD-Q1"],
                    "schools_cut": 2,
                    "pupils_cut": 2300,
                    "devices_cut": 10,
                    "by_district": {"760": 3},
                    "sites_cut_elsewhere": 0,
                }
            ]
        }
    )

    element: str
    kind: Literal["link", "device", "site", "isp"]
    sites_cut: list[str] = Field(description="The sites cut within the token's reach.")
    schools_cut: int
    pupils_cut: int
    devices_cut: int
    by_district: dict[str, int] = Field(description="Sites cut per district of the reach.")
    sites_cut_elsewhere: int = Field(description="Sites cut outside the reach, counted only.")


def _not_found(e: TopologyError) -> HTTPException:
    # for a caller with part of the city, the sight resolved the name among what it may
    # see: what is left is "site … has no devices", never a close match from elsewhere
    return HTTPException(404, e.message)


@router.get(
    "/neighbours/{node}", summary="Neighbours", response_model=Neighbours, responses=ONE_ERRORS
)
def neighbours(
    snap: SnapshotDep,
    topo: TopologyDep,
    node: Annotated[
        str, Path(description="Site code or device name.", examples=["PGD-Q1"], max_length=128)
    ],
    hops: Annotated[int, Query(ge=1, le=16, description="Radius in hops.")] = 1,
) -> JSONResponse:
    """Sites within ``hops`` of a site (site level), or devices within ``hops`` of a device
    (device level), nearest first; those outside the token's reach only counted. Needs
    ``topology:read``."""
    inv, sight = snap.city, Sight.of(snap)
    node = sight.resolve(node, "device or site")
    site = node if node in inv.sites else node.upper() if node.upper() in inv.sites else None
    try:
        if site is not None:
            found = topo.site_neighbours(site, hops)
            rows = [
                {"name": k, "hops": v, "site": k if k in inv.sites else None}
                for k, v in found.items()  # the core's order: nearest, then by name
            ]
        else:
            found = topo.neighbours(node, hops)
            rows = [
                {"name": k, "hops": v, "site": inv.devices[k].site if k in inv.devices else None}
                for k, v in found.items()  # the core's order: nearest, then by name
            ]
    except TopologyError as e:
        raise _not_found(e) from None
    seen = [r for r in rows if sight.names(str(r["name"]))]
    level = "site" if site is not None else "device"
    return JSONResponse(
        {
            "node": site or node,
            "level": level,
            "hops": hops,
            "neighbours": seen,
            "elsewhere": len(rows) - len(seen),
        }
    )


@router.get("/paths", summary="Paths", response_model=Paths, responses=ONE_ERRORS)
async def paths(  # async: under a millisecond of CPU, cheaper than a thread-pool hop
    snap: SnapshotDep,
    topo: TopologyDep,
    a: Annotated[
        str, Query(description="Site code or device name.", examples=["79760012"], max_length=128)
    ],
    b: Annotated[
        str | None,
        Query(
            description="Site code or device name (default: the data center).",
            examples=["TTDL"],
            max_length=128,
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=256, description="Most paths to return.")] = 16,
) -> JSONResponse:
    """All equal-cost shortest paths between two sites or devices; schools are never
    crossed, only reached. A node or link outside the token's reach reads "(out of
    reach)". Needs ``topology:read``."""
    sight = Sight.of(snap)
    ends = sight.resolve(a, "device or site"), b and sight.resolve(b, "device or site")
    try:
        found = (
            topo.paths(ends[0], ends[1], limit=limit)
            if ends[1]
            else topo.path_to_datacenter(ends[0], limit=limit)
        )
    except TopologyError as e:
        raise _not_found(e) from None
    body = {
        "a": a,
        "b": b,
        "paths": [
            {"nodes": sight.shown(p.nodes), "links": sight.shown(p.links), "hops": p.hops}
            for p in found
        ],
    }
    return JSONResponse(body)


@router.get(
    "/impact/{element}", summary="Failure impact", response_model=ImpactOut, responses=ONE_ERRORS
)
async def impact(  # async: under a millisecond of CPU, cheaper than a thread-pool hop
    snap: SnapshotDep,
    topo: TopologyDep,
    element: Annotated[
        str,
        Path(
            description="Link id, device name, site code, or isp:<name>: the ISP and every "
            "link it carries.",
            examples=["pgd-q1-rt1"],
            max_length=128,
        ),
    ],
) -> JSONResponse:
    """The sites, schools, pupils and devices a failure of ``element`` cuts off from the
    data center, counted over the whole city; the sites outside the token's reach only as
    a count. Needs ``topology:read``."""
    sight = Sight.of(snap)
    try:
        result = topo.impact(sight.resolve(element, "device, site, ISP or link", links=True))
    except TopologyError as e:
        raise _not_found(e) from None
    body = asdict(result)
    listed = sight.listed
    body["sites_cut"] = [s for s in result.sites_cut if listed is None or s in listed]
    body["sites_cut_elsewhere"] = len(result.sites_cut) - len(body["sites_cut"])
    body["by_district"] = {d: n for d, n in result.by_district.items() if sight.district(d)}
    return JSONResponse(body)


Paging = Annotated[PageQuery, Depends(page_query(SPOF.columns, SPOF.names))]


@router.get(
    "/spof",
    summary="Single points of failure",
    response_model=page_of(SPOF),
    responses=LIST_ERRORS,
)
def spof(
    snap: SnapshotDep,
    topo: TopologyDep,
    page: Paging,
    min_sites: Annotated[
        int, Query(ge=1, le=100_000, description="Only elements cutting at least this many sites.")
    ] = 2,
) -> JSONResponse:
    """Devices, ISPs and links whose loss alone cuts sites off, worst first (or as
    ``sort=`` asks); those the token's reach may see, with the counts of the whole city.
    Needs ``topology:read``."""
    sight = Sight.of(snap)
    found = topo.spof(min_sites=min_sites)
    if not sight.whole:
        found = [
            replace(x, district=sight.district(x.district)) for x in found if sight.names(x.element)
        ]
    return JSONResponse(paginate(found, page, SPOF.columns, SPOF.view, SPOF.names))
