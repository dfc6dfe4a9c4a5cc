"""What routes ask for: the settings, the inventory snapshot, a caller with a scope, paging.

Every dependency here is ``async def``: none does blocking I/O, and FastAPI runs a plain
``def`` dependency in the thread pool, a hop that costs more than the work itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.dependencies.models import Dependant
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import Scope, StoredToken, TokenSource
from api.paging import etag, matches
from api.problems import InvalidParameter
from api.settings import Settings
from api.snapshot import Snapshot, SnapshotStore
from edunet.model import Inventory
from edunet.topology import Topology, topology_of


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="A token from `edunet api token create`.")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StoredToken:
    """The caller's token, verified once per request: its scopes, and its reach."""
    if credentials is None:
        raise HTTPException(401, "a bearer token is required", headers=_CHALLENGE)
    tokens: TokenSource = request.app.state.tokens
    token = tokens.current.verify(credentials.credentials)
    if token is None:
        raise HTTPException(401, "the bearer token is not valid", headers=_CHALLENGE)
    request.state.token_id = token.id  # for the access log; never the token itself
    return token


PrincipalDep = Annotated[StoredToken, Depends(get_principal)]


def scoped(request: Request, token: StoredToken) -> Snapshot:
    """The one place the reach applies: the current snapshot cut to the caller's part of
    the city. Routes read their inventory from nowhere else (the topology, which needs the
    whole graph, answers through ``api.sight``)."""
    store: SnapshotStore = request.app.state.snapshots
    return store.current.within(token.reach)


async def get_snapshot(request: Request, token: PrincipalDep) -> Snapshot:
    """The snapshot for this request, read once; answers 304 when the caller has it already.

    The tag goes out on the answer through the middleware (routes return their own
    ``JSONResponse``, which a dependency's headers do not reach)."""
    snap = scoped(request, token)
    tag = etag(snap.etag, request)
    if matches(request.headers.get("if-none-match"), tag):
        raise HTTPException(status_code=304, headers={"ETag": tag})
    request.state.etag = tag
    return snap


SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]


async def get_inventory(snap: SnapshotDep) -> Inventory:
    return snap.inventory


async def get_topology(snap: SnapshotDep) -> Topology:
    return topology_of(snap.city)  # paths and impact run on the whole graph


InventoryDep = Annotated[Inventory, Depends(get_inventory)]
TopologyDep = Annotated[Topology, Depends(get_topology)]


def require_scope(scope: Scope) -> Callable[..., Awaitable[StoredToken]]:
    """A dependency: the caller's token, which must grant ``scope``."""

    async def check(token: PrincipalDep) -> StoredToken:
        if not token.grants(scope):
            raise HTTPException(403, f"this token lacks the scope {scope.value}")
        return token

    return check


_QUERY_NAMES: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = {f.alias for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:
    """Refuse what the route does not declare: a misspelt filter (``distrct=760``) would
    otherwise quietly return everything."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _QUERY_NAMES.get(id(route))
    if known is None:
        known = _QUERY_NAMES[id(route)] = frozenset(_query_names(dependant))
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise InvalidParameter(
            unknown[0], f"unknown query parameter; accepted: {', '.join(sorted(known))}"
        )
    # every parameter here takes one value; FastAPI would silently keep the last
    for name in request.query_params:
        if len(request.query_params.getlist(name)) > 1:
            raise InvalidParameter(name, "given more than once")


def api_dependencies(scope: Scope) -> list[Any]:
    """What every ``/api/v1`` router runs first: the token check, then the query check."""
    return [Depends(require_scope(scope)), Depends(reject_unknown_query)]
