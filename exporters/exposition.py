"""Metric pages as Prometheus fetches them: label values written safely, and gzip when the
scraper asks for it.

The text format escapes only backslash, double quote and newline in a label value, as
prometheus_client and Go's expfmt write it; any other control character would go through
raw. A device's ifAlias or sysName, or a scrape's target, can carry a CR, a NUL or a
terminal escape, so :func:`label_text` replaces those with U+FFFD (as a bad UTF-8 byte is).

Prometheus sends ``Accept-Encoding: gzip`` and snmp_exporter's Go library honours it; a page
of Vietnamese label values compresses about tenfold, so ours does too. Level 1: the pages
are repetitive enough that a higher level buys little size for its CPU.
"""

from __future__ import annotations

import asyncio
import gzip
import re

from aiohttp import web

__all__ = ["clean_label", "label_text", "metrics_response"]

GZIP_LEVEL = 1
MIN_GZIP_BYTES = 1024  # below this the header costs more than it saves
THREAD_BYTES = 1 << 20  # compress a page this large off the event loop

# C0 controls but tab and newline (newline has an escape), DEL, and the C1 controls
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_label(value: str) -> str:
    """``value`` with every control character but tab and newline replaced by U+FFFD."""
    if value.isprintable():  # the common case, and much cheaper than the pattern
        return value
    return _CONTROL.sub("\ufffd", value)


def label_text(value: str) -> str:
    """``value`` as it goes between a label's quotes in the text format."""
    return clean_label(value).replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


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
