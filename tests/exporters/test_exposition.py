"""Metric pages are gzipped when, and only when, the scraper asks (as Prometheus does)."""

from __future__ import annotations

import asyncio
import gzip

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from exporters.exposition import metrics_response

PAGE = b"".join(
    b'edunet_snmp_up{device="sw%d",district="Qu\xe1\xba\xadn 1"} 1\n' % i for i in range(200)
)


async def _client() -> TestClient[web.Request, web.Application]:
    async def page(request: web.Request) -> web.Response:
        size = int(request.query.get("size", len(PAGE)))
        return await metrics_response(request, PAGE[:size], "text/plain; version=0.0.4")

    app = web.Application()
    app.router.add_get("/metrics", page)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


@pytest.mark.parametrize(
    ("accept", "gzipped"),
    [
        ("gzip", True),
        ("gzip, deflate", True),
        ("deflate, gzip;q=0.5", True),
        ("*", True),
        ("identity", False),
        ("gzip;q=0", False),
        ("", False),
    ],
)
def test_gzip_only_when_asked(accept: str, gzipped: bool) -> None:
    async def main() -> None:
        client = await _client()
        try:
            r = await client.get(
                "/metrics", headers={"Accept-Encoding": accept}, auto_decompress=False
            )
            raw = await r.read()
            assert (r.headers.get("Content-Encoding") == "gzip") is gzipped
            assert (gzip.decompress(raw) if gzipped else raw) == PAGE
            assert r.headers["Vary"] == "Accept-Encoding"
        finally:
            await client.close()

    asyncio.run(main())


def test_small_pages_are_sent_as_they_are() -> None:
    async def main() -> None:
        client = await _client()
        try:
            r = await client.get(
                "/metrics?size=100", headers={"Accept-Encoding": "gzip"}, auto_decompress=False
            )
            assert "Content-Encoding" not in r.headers
            assert await r.read() == PAGE[:100]
        finally:
            await client.close()

    asyncio.run(main())
