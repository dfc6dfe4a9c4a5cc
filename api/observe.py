"""Per-request metrics by route template and the access log.

One pure ASGI middleware: cheaper than ``BaseHTTPMiddleware`` and it sees the matched
route after the app ran. The access log never records headers, so a bearer token
cannot reach it. The body limit is ``api.http_limits``', inside this one, so a refused
request is counted and logged like any other.
"""

from __future__ import annotations

import copy
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import TokenSource
from api.export_builds import Exports
from api.snapshot import SnapshotStore

access_log = logging.getLogger("edunet.api.access")


def logging_config(base: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration ``base`` plus edunet's: the access log as one JSON
    object per line on stderr (the message is the JSON, nothing around it), and the API's
    other loggers (reloads, tokens) at INFO beside uvicorn's own lines."""
    config = copy.deepcopy(base)
    config.setdefault("formatters", {})["edunet_json"] = {"format": "%(message)s"}
    handlers = config.setdefault("handlers", {})
    handlers["edunet_access"] = {
        "class": "logging.StreamHandler",
        "formatter": "edunet_json",
        "stream": "ext://sys.stderr",
    }
    handlers["edunet"] = {
        "class": "logging.StreamHandler",
        "formatter": "edunet_plain",
        "stream": "ext://sys.stderr",
    }
    config["formatters"]["edunet_plain"] = {"format": "%(levelname)s %(name)s: %(message)s"}
    loggers = config.setdefault("loggers", {})
    loggers["edunet.api"] = {"handlers": ["edunet"], "level": "INFO", "propagate": False}
    loggers[access_log.name] = {"handlers": ["edunet_access"], "level": "INFO", "propagate": False}
    return config


BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self, store: SnapshotStore, tokens: TokenSource, exports: Exports) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "edunet_api_requests",
            "HTTP requests by route template, method and status.",
            ("route", "method", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "edunet_api_request_duration_seconds",
            "Time to answer, by route template.",
            ("route", "method"),
            buckets=BUCKETS,
            registry=self.registry,
        )
        # read when scraped, from the snapshot store and the tokens in force
        gauges: tuple[tuple[str, str, Callable[[], float]], ...] = (
            (
                "edunet_api_snapshot_age_seconds",
                "Seconds since the inventory snapshot in service was loaded.",
                lambda: time.time() - store.current.loaded_at,
            ),
            (
                "edunet_api_reload_failing",
                "1 when the last inventory reload failed (the previous snapshot still serves).",
                lambda: 1.0 if store.last_error else 0.0,
            ),
            (
                "edunet_api_reload_failures",
                "Inventory reloads that failed since start.",
                lambda: float(store.reload_failures),
            ),
            (
                "edunet_api_tokens_reload_failing",
                "1 while the tokens file does not load (a bad file: the last good tokens stay "
                "in force; a deleted one: none of its tokens is valid).",
                lambda: 1.0 if tokens.last_error else 0.0,
            ),
            (
                "edunet_api_reload_loop_restarts",
                "Times the background reload loop died and was started again.",
                lambda: float(store.watch_restarts),
            ),
            (
                "edunet_api_exports_building",
                "CSV/XLSX files being built now (at most MAX_CONCURRENT_EXPORTS).",
                lambda: float(exports.slots.used),
            ),
            (
                "edunet_api_exports_refused",
                "Downloads and new-date reports refused with 429 since start: all slots busy.",
                lambda: float(exports.slots.refused + exports.days.refused),
            ),
            (
                "edunet_api_exports_cached_bytes",
                "Bytes of built CSV/XLSX files kept for the next same download.",
                lambda: float(exports.cache.size),
            ),
        )
        for name, doc, read in gauges:
            Gauge(name, doc, registry=self.registry).set_function(read)


class ObserveMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                tag = (scope.get("state") or {}).get("etag")
                if tag is not None and status == 200:
                    message["headers"] = [*message.get("headers", ()), (b"etag", tag.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self._record(scope, status, time.perf_counter() - start)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route: Any = scope.get("route")
        template = getattr(route, "path", None)
        if template is None:
            template = "unmatched"
        elif scope.get("path", "").startswith(self.api_prefix + "/"):
            # a route keeps its own router's prefix, not the one it was included under
            template = self.api_prefix + template
        method = scope.get("method", "")
        self.metrics.requests.labels(template, method, str(status)).inc()
        self.metrics.latency.labels(template, method).observe(seconds)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                json.dumps(
                    {
                        "method": method,
                        "path": scope.get("path", ""),
                        "route": template,
                        "status": status,
                        "ms": round(seconds * 1000, 2),
                        "client": (scope.get("client") or ("", 0))[0],
                        "token": (scope.get("state") or {}).get("token_id"),
                    },
                    ensure_ascii=False,
                )
            )
