"""The link-quality prober as a service: the ICMP engine, the application checks, and an HTTP
endpoint for Prometheus (``/metrics``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.process_collector import ProcessCollector

from edunet.model import Inventory
from edunet.reach import AddressMap
from exporters.exposition import metrics_response
from exporters.probe.apps import AppChecker
from exporters.probe.icmp import IcmpProber
from exporters.probe.metrics import AppCollector, ProbeCollector, ProbeStats
from exporters.probe.targets import AppTarget, Target, app_targets, probe_targets

__all__ = ["Prober", "build_app", "parse_listen", "serve_prober"]


class Prober:
    """The ICMP engine and the application checker over fixed targets, with one registry."""

    def __init__(
        self,
        targets: Sequence[Target],
        apps: Sequence[AppTarget] = (),
        *,
        interval_s: float = 1.0,
        packets: int = 1,
        timeout_s: float = 1.0,
        app_interval_s: float = 15.0,
        app_timeout_s: float = 5.0,
        ca_file: Path | None = None,
    ) -> None:
        self.targets = list(targets)
        self.stats = ProbeStats(len(self.targets))
        self.engine = (
            IcmpProber(
                [t.address for t in self.targets],
                self.stats,
                interval_s=interval_s,
                packets=packets,
                timeout_s=timeout_s,
            )
            if self.targets
            else None
        )
        self.apps = AppChecker(
            apps, ca_file=ca_file, interval_s=app_interval_s, timeout_s=app_timeout_s
        )
        self.registry = CollectorRegistry(auto_describe=False)
        self.probe_metrics = ProbeCollector(
            self.targets, self.stats, lambda: self.engine.stats if self.engine else None
        )
        self.registry.register(self.probe_metrics)
        self.registry.register(AppCollector(self.apps.targets, self.apps.results))
        ProcessCollector(registry=self.registry)

    def metrics(self) -> bytes:
        return generate_latest(self.registry) + self.probe_metrics.render().encode()

    async def run(self, stop: asyncio.Event) -> None:
        jobs = [self.apps.run(stop)]
        if self.engine is not None:
            jobs.append(self.engine.run(stop))
        await asyncio.gather(*jobs)


def build_app(prober: Prober) -> web.Application:
    async def metrics(request: web.Request) -> web.Response:
        return await metrics_response(request, prober.metrics(), CONTENT_TYPE_LATEST)

    async def index(_: web.Request) -> web.Response:
        text = (
            "<html><head><title>edunet prober</title></head><body><h1>edunet prober</h1>"
            f"<p>{len(prober.targets)} ICMP targets, {len(prober.apps.targets)} application "
            'checks. <a href="/metrics">Metrics</a></p></body></html>'
        )
        return web.Response(text=text, content_type="text/html")

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/", index)
    return app


def parse_listen(listen: str) -> tuple[str, int]:
    """``"127.0.0.1:9375"`` or ``":9375"`` (every address) into host and port."""
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"listen address {listen!r}: write HOST:PORT")
    return host.strip("[]") or "0.0.0.0", int(port)


async def serve_prober(
    inv: Inventory,
    *,
    listen: str,
    address_map: AddressMap,
    stop: asyncio.Event,
    interval_s: float = 1.0,
    packets: int = 1,
    timeout_s: float = 1.0,
    app_interval_s: float = 15.0,
    app_timeout_s: float = 5.0,
    ca_file: Path | None = None,
    app_port_offset: int = 0,
) -> None:
    """Probe every site and the data center's key hosts, check every application, and serve
    ``/metrics`` on ``listen`` until ``stop`` is set. Each target gets ``packets`` echo
    requests per ``interval_s``, spread evenly."""
    prober = Prober(
        probe_targets(inv, address_map),
        app_targets(inv, address_map, app_port_offset),
        interval_s=interval_s,
        packets=packets,
        timeout_s=timeout_s,
        app_interval_s=app_interval_s,
        app_timeout_s=app_timeout_s,
        ca_file=ca_file,
    )
    host, port = parse_listen(listen)
    runner = web.AppRunner(build_app(prober), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        work = asyncio.create_task(prober.run(stop))
        await stop.wait()
        work.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await work
    finally:
        await runner.cleanup()
