"""Metric pages as Prometheus fetches them: gzip when the scraper asks for it.

Prometheus sends ``Accept-Encoding: gzip`` and snmp_exporter's Go library honours it; a page
of Vietnamese label values compresses about tenfold, so ours does too. Level 1: the pages
are repetitive enough that a higher level buys little size for its CPU.
"""

from __future__ import annotations

import asyncio
import gzip

from aiohttp import web

__all__ = ["metrics_response"]

GZIP_LEVEL = 1
MIN_GZIP_BYTES = 1024  # below this the header costs more than it saves
THREAD_BYTES = 1 << 20  # compress a page this large off the event loop


def _accepts_gzip(request: web.Request) -> bool:
    for part in request.headers.get("Accept-Encoding", "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


async def metrics_response(request: web.Request, body: bytes, content_type: str) -> web.Response:
    headers = {"Content-Type": content_type, "Vary": "Accept-Encoding"}
    if len(body) >= MIN_GZIP_BYTES and _accepts_gzip(request):
        if len(body) >= THREAD_BYTES:
            body = await asyncio.to_thread(gzip.compress, body, GZIP_LEVEL, mtime=0)
        else:
            body = gzip.compress(body, GZIP_LEVEL, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return web.Response(body=body, headers=headers)
