"""The SNMP exporter's HTTP side: ``/snmp?target=DEVICE&module=if_mib`` (the multi-target
pattern of snmp_exporter) and ``/metrics`` (the exporter's own health).

A scrape polls its one device within Prometheus' scrape timeout (from the
``X-Prometheus-Scrape-Timeout-Seconds`` header, less a margin for rendering and the
network); if Prometheus hangs up first, the poll is cancelled with the request. A failed
poll is still a 200 with ``edunet_snmp_up 0`` and the reason, so "device down" is data,
not a scrape error; only a malformed request is a 400.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

from edunet.model import Inventory
from exporters.exposition import metrics_response
from exporters.logs import event
from exporters.snmp.collector import families, render
from exporters.snmp.oids import MODULES
from exporters.snmp.reconcile import reconcile
from exporters.snmp.result import PollError, PollResult
from exporters.snmp.targets import PollFn, Targets, shown

__all__ = ["CONTENT_TYPE", "ScrapeConfig", "SelfMetrics", "make_app"]

log = logging.getLogger("exporters.snmp")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds"
DEFAULT_MODULE = "if_mib"


@dataclass(frozen=True, slots=True)
class ScrapeConfig:
    inv: Inventory
    targets: Targets
    poll: PollFn
    request_timeout_s: float = 2.0  # one SNMP request; the poll retries within its budget
    retries: int = 1
    budget_s: float = 10.0  # a whole poll, when Prometheus sends no timeout header
    margin_s: float = 0.5  # kept back from Prometheus' timeout for rendering and the network
    max_in_flight: int = 512  # polls at once; more wait (within their budget) for a slot


class SelfMetrics:
    """The exporter's own metrics, on a registry of their own (one per app)."""

    def __init__(self, registry: CollectorRegistry | None = None, *, process: bool = True):
        self.registry = registry or CollectorRegistry()
        if process:
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)
        self.scrapes = Counter(
            "edunet_exporter_snmp_scrapes",
            "Scrapes of /snmp by module and outcome (ok, a poll error reason, bad_request).",
            ["module", "outcome"],
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "edunet_exporter_snmp_polls_in_flight", "Polls running now.", registry=self.registry
        )
        self.poll_duration = Histogram(
            "edunet_exporter_snmp_poll_duration_seconds",
            "Duration of polls by module, failed ones included.",
            ["module"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.render_duration = Histogram(
            "edunet_exporter_snmp_render_seconds",
            "Time to build and render a scrape's metrics.",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
            registry=self.registry,
        )


CONFIG_KEY = web.AppKey("config", ScrapeConfig)
METRICS_KEY = web.AppKey("metrics", SelfMetrics)


def _budget(request: web.Request, cfg: ScrapeConfig) -> float:
    header = request.headers.get(TIMEOUT_HEADER)
    try:
        scrape_timeout = float(header) if header else 0.0
    except ValueError:
        scrape_timeout = 0.0
    if scrape_timeout <= 0:
        return cfg.budget_s
    # a short timeout keeps most of itself: the margin is at most a quarter of it
    return max(0.05, scrape_timeout - min(cfg.margin_s, scrape_timeout / 4))


async def _poll(
    cfg: ScrapeConfig,
    metrics: SelfMetrics,
    gate: asyncio.Semaphore,
    key: str,
    module: str,
    budget_s: float,
) -> PollResult:
    resolved = cfg.targets.resolve(key)
    if resolved.target is None:
        return resolved.failed(module)
    target = resolved.target
    started = time.monotonic()
    try:
        # the poll keeps to its budget itself; this only catches one that does not
        async with asyncio.timeout(budget_s + 0.25), gate:
            budget = max(0.01, budget_s - (time.monotonic() - started))
            metrics.in_flight.inc()
            try:
                return await cfg.poll(
                    target,
                    MODULES[module],
                    timeout_s=min(cfg.request_timeout_s, budget),
                    retries=cfg.retries,
                    budget_s=budget,
                )
            finally:
                metrics.in_flight.dec()
    except TimeoutError:  # overran its budget, or waited that long for a slot
        detail = f"no answer within the scrape's budget of {budget_s:.2f} s"
        error = PollError.timeout
    except Exception as e:  # a bug in the poll must not take the exporter down
        event(log, logging.ERROR, "poll raised", target=target.name, error=type(e).__name__)
        detail, error = f"poll raised {type(e).__name__}", PollError.protocol
    return PollResult(
        target.name,
        target.address,
        module,
        error=error,
        detail=detail,
        duration_s=time.monotonic() - started,
    )


def _bad_request(metrics: SelfMetrics, module: str, message: str) -> web.Response:
    metrics.scrapes.labels(module, "bad_request").inc()
    return web.Response(status=400, text=message + "\n")


async def snmp(request: web.Request) -> web.Response:
    cfg, metrics = request.app[CONFIG_KEY], request.app[METRICS_KEY]
    # one target and one module per scrape, worded as snmp_exporter words it
    if len(request.query.getall("target", [])) > 1:
        return _bad_request(metrics, "", "'target' parameter must be specified once")
    if len(request.query.getall("module", [])) > 1:
        return _bad_request(metrics, "", "'module' parameter must only be specified once")
    key = request.query.get("target", "").strip()
    module = request.query.get("module", DEFAULT_MODULE).strip() or DEFAULT_MODULE
    if module not in MODULES:
        known = ", ".join(MODULES)
        why = f"unknown module {shown(module)!r}; known modules: {known}"
        return _bad_request(metrics, "", why)
    if not key:
        return _bad_request(
            metrics, module, "missing target: /snmp?target=DEVICE_OR_ADDRESS&module=" + module
        )
    budget = _budget(request, cfg)
    started = time.monotonic()
    try:
        result = await _poll(cfg, metrics, request.app[GATE_KEY], key, module, budget)
    except asyncio.CancelledError:  # Prometheus hung up: the poll went with the request
        metrics.scrapes.labels(module, PollError.cancelled.value).inc()
        event(
            log,
            logging.INFO,
            "scrape cancelled",
            target=shown(key),
            module=module,
            reason=PollError.cancelled.value,
            duration_s=round(time.monotonic() - started, 3),
        )
        raise
    metrics.poll_duration.labels(module).observe(result.duration_s)
    metrics.scrapes.labels(module, "ok" if result.ok else _reason(result)).inc()
    if not result.ok:
        event(
            log,
            logging.WARNING,
            "poll failed",
            target=shown(key),
            device=result.target,
            address=result.address,
            module=module,
            reason=_reason(result),
            duration_s=round(result.duration_s, 3),
            detail=result.detail,
        )
    render_started = time.perf_counter()
    device = cfg.targets.device(key)
    report = None
    if module == "inventory" and device is not None and result.ok:
        report = reconcile(cfg.inv, device, result)
    body = render(families(result, device, cfg.inv, report=report))
    response = await metrics_response(request, body, CONTENT_TYPE)
    metrics.render_duration.observe(time.perf_counter() - render_started)
    return response


def _reason(result: PollResult) -> str:
    return result.error.value if result.error is not None else "unknown"


async def self_metrics(request: web.Request) -> web.Response:
    body = generate_latest(request.app[METRICS_KEY].registry)
    return await metrics_response(request, body, CONTENT_TYPE)


async def index(request: web.Request) -> web.Response:
    modules = ", ".join(MODULES)
    return web.Response(
        text="edunet SNMP exporter\n"
        "  /snmp?target=DEVICE_OR_ADDRESS&module=MODULE   one device (modules: "
        f"{modules})\n"
        "  /metrics                                       the exporter's own metrics\n"
    )


async def healthy(request: web.Request) -> web.Response:
    return web.Response(text="ok\n")


GATE_KEY = web.AppKey("gate", asyncio.Semaphore)


def make_app(cfg: ScrapeConfig, metrics: SelfMetrics | None = None) -> web.Application:
    """The exporter's aiohttp application (serve it with handler cancellation on)."""
    app = web.Application()
    app[CONFIG_KEY] = cfg
    app[METRICS_KEY] = metrics or SelfMetrics()
    app[GATE_KEY] = asyncio.Semaphore(max(1, cfg.max_in_flight))
    app.router.add_get("/snmp", snmp)
    app.router.add_get("/metrics", self_metrics)
    app.router.add_get("/-/healthy", healthy)
    app.router.add_get("/", index)
    return app
