"""The app factory: ``create_app(settings)``; ``uvicorn --factory api.main:app_from_env``."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field

from api import docs_pages, problems
from api.auth import TokenSource
from api.export_builds import Exports
from api.http_limits import BodyLimitMiddleware
from api.observe import Metrics, ObserveMiddleware
from api.routes import applications, devices, links, prefixes, procurement, sites, status, topology
from api.settings import Settings
from api.snapshot import SnapshotStore

API_PREFIX = "/api/v1"


class Health(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "ok",
                    "etag": "5f0c3a9e2b7d41c8a6e0f1d2c3b4a596",
                    "snapshot_age_s": 12.4,
                    "sites": 185,
                    "devices": 1443,
                    "reloads": 0,
                    "last_reload_error": None,
                    "last_reload_error_age_s": None,
                }
            ]
        }
    )

    status: str = Field(
        description="'ok', or 'degraded' while the last reload of the inventory or the "
        "tokens file failed"
    )
    etag: str
    snapshot_age_s: float
    sites: int
    devices: int
    reloads: int
    last_reload_error: str | None
    last_reload_error_age_s: float | None


def _system_router() -> APIRouter:
    router = APIRouter(tags=["system"])

    @router.get("/health", summary="Service health")
    def health(request: Request) -> Health:
        """Whether an inventory is serving, how old it is, and why the last reload failed
        if it did. Needs no token."""
        store: SnapshotStore = request.app.state.snapshots
        tokens: TokenSource = request.app.state.tokens
        snap, now = store.current, time.time()
        errors = [(e.message, e.at) for e in (store.last_error,) if e is not None]
        if tokens.last_error is not None and tokens.last_error_at is not None:
            errors.append((tokens.last_error, tokens.last_error_at))
        return Health(
            status="degraded" if errors else "ok",
            etag=snap.etag,
            snapshot_age_s=round(now - snap.loaded_at, 3),
            sites=len(snap.inventory.sites),
            devices=len(snap.inventory.devices),
            reloads=store.reloads,
            last_reload_error="; ".join(m for m, _ in errors) or None,
            last_reload_error_age_s=round(now - max(t for _, t in errors), 3) if errors else None,
        )

    @router.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=Response,
        responses={
            200: {
                "content": {
                    "text/plain": {
                        "schema": {"type": "string"},
                        "example": 'edunet_api_requests_total{route="/health",'
                        'method="GET",status="200"} 3.0\n',
                    }
                }
            }
        },
    )
    def metrics(request: Request) -> Response:
        """Request counts and latencies by route template, snapshot age and reload
        failures, in the Prometheus text format. Needs no token."""
        registry = request.app.state.metrics.registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router


def create_app(settings: Settings) -> FastAPI:
    store = SnapshotStore(settings.inventory)
    exports = Exports(settings.max_concurrent_exports)
    tokens = TokenSource(settings.tokens_path(), settings.tokens)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        store.install_sighup(also=tokens.reload_if_changed)
        watcher = None
        if settings.reload_interval_s > 0:
            watcher = asyncio.create_task(
                store.watch(settings.reload_interval_s, also=tokens.reload_if_changed)
            )
        try:
            yield
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            exports.close()

    app = FastAPI(
        title="edunet API",
        version="1",
        description="The hardware, application and topology inventory of the Ho Chi Minh City "
        "education network, read-only. Every route but /health and /metrics needs a bearer "
        "token with the scope the route names.",
        lifespan=lifespan,
        docs_url=None,  # served by api.docs_pages from a packaged copy, not from CDNs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.snapshots = store
    app.state.tokens = tokens
    app.state.exports = exports
    app.state.metrics = Metrics(store, tokens, exports)
    problems.install(app)
    docs_pages.install(app)
    app.include_router(_system_router())
    for module in (sites, devices, links, prefixes, applications, topology, procurement, status):
        app.include_router(module.router, prefix=API_PREFIX)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET"],
            allow_headers=["Authorization", "If-None-Match"],
            expose_headers=["ETag"],
        )
    app.add_middleware(
        ObserveMiddleware,
        metrics=app.state.metrics,
        api_prefix=API_PREFIX,
    )
    return app


def app_from_env() -> FastAPI:
    return create_app(Settings())
