"""Downloads cannot starve the API: a bound on files built at once (429 with Retry-After
beyond it), the bytes kept per snapshot and request, a bound on dates' records kept."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from api_harness import make_api

from api.export_builds import RETRY_AFTER_S, ByteCache, Exports
from api.routes.procurement import ROW_DATES
from api.snapshot import SnapshotStore
from edunet import procurement as core
from edunet import tabular

P = "/api/v1/procurement"
ON = "on=2025-09-05"


def _run(tmp: Path, scenario: Callable[..., Awaitable[None]], **settings: object) -> None:
    """``scenario(client, app)`` with requests in flight together on one event loop."""
    app, _, tokens = make_api(tmp, **settings)
    headers = {"Authorization": f"Bearer {tokens['procurement:read']}"}

    async def main() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://api", headers=headers, timeout=30
        ) as client:
            try:
                await asyncio.wait_for(scenario(client, app), 60)
            finally:
                app.state.exports.close()

    asyncio.run(main())


class Gate:
    """Holds whatever passes through it until opened; says when something is waiting."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.waiting = threading.Event()

    def hold(self) -> None:
        self.waiting.set()
        assert self.open.wait(30)

    async def wait_for_one(self) -> None:
        assert await asyncio.to_thread(self.waiting.wait, 30)


def test_files_beyond_the_slots_get_429_and_a_repeat_waits_for_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    real_csv = tabular.to_csv

    def slow_csv(tab: tabular.Table) -> bytes:
        gate.hold()
        return real_csv(tab)

    monkeypatch.setattr("api.export_builds.to_csv", slow_csv)

    async def scenario(client: httpx.AsyncClient, app: object) -> None:
        exports: Exports = app.state.exports  # type: ignore[attr-defined]
        url = f"{P}/hardware?{ON}&format=csv"
        first = asyncio.create_task(client.get(url))
        await gate.wait_for_one()  # the one slot is taken
        same = asyncio.create_task(client.get(url))  # the same file: waits for that build
        other = await client.get(f"{P}/hardware?{ON}&format=csv&district=760")
        assert other.status_code == 429
        assert other.headers["retry-after"] == str(RETRY_AFTER_S)
        assert other.headers["content-type"] == "application/problem+json"
        assert "try again" in other.json()["detail"]
        json_page = await client.get(f"{P}/hardware?{ON}&limit=5")  # JSON needs no slot
        assert json_page.status_code == 200
        gate.open.set()
        a, b = await first, await same
        assert a.status_code == b.status_code == 200 and a.content == b.content
        assert exports.built == 1
        again = await client.get(url)  # from the cache: no build, no slot
        assert again.content == a.content and exports.built == 1
        later = await client.get(f"{P}/hardware?{ON}&format=csv&district=760")
        assert later.status_code == 200 and exports.built == 2
        assert exports.slots.used == 0 and exports.slots.refused == 1
        metrics = (await client.get("/metrics")).text
        assert "edunet_api_exports_refused 1.0" in metrics
        assert f"edunet_api_exports_cached_bytes {float(exports.cache.size)}" in metrics

    _run(tmp_path, scenario, max_concurrent_exports=1)


def test_the_cache_is_per_snapshot(tmp_path: Path) -> None:
    async def scenario(client: httpx.AsyncClient, app: object) -> None:
        exports: Exports = app.state.exports  # type: ignore[attr-defined]
        store: SnapshotStore = app.state.snapshots  # type: ignore[attr-defined]
        url = f"{P}/hardware?{ON}&format=csv&fields=serial,site"
        before = await client.get(url)
        assert (await client.get(url)).content == before.content and exports.built == 1
        inventory = store.path
        text = inventory.read_text(encoding="utf-8")
        assert "CN7XK12" in before.text
        inventory.write_text(text.replace("CN7XK12", "CN7XK99"), encoding="utf-8")
        os.utime(inventory, ns=(1, 1))
        assert store.reload_if_changed()
        after = await client.get(url)
        assert exports.built == 2 and "CN7XK99" in after.text and "CN7XK12" not in after.text

    _run(tmp_path, scenario)


def test_xlsx_is_encoded_in_a_worker_process(tmp_path: Path) -> None:
    async def scenario(client: httpx.AsyncClient, app: object) -> None:
        exports: Exports = app.state.exports  # type: ignore[attr-defined]
        r = await client.get(f"{P}/hardware?{ON}&format=xlsx")
        assert r.status_code == 200 and r.content.startswith(b"PK")
        assert exports._pool is not None  # the worker pool that encoded it
        assert exports.built == 1

    _run(tmp_path, scenario)


def test_new_dates_beyond_the_slots_get_429_and_few_dates_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    real_rows = core.hardware_rows
    held = dt.date(2024, 1, 1)

    def rows(inv: object, on: dt.date) -> object:
        if on == held:
            gate.hold()
        return real_rows(inv, on)  # type: ignore[arg-type]

    monkeypatch.setattr(core, "hardware_rows", rows)

    async def scenario(client: httpx.AsyncClient, app: object) -> None:
        store: SnapshotStore = app.state.snapshots  # type: ignore[attr-defined]
        today = await client.get(f"{P}/summary?{ON}")
        assert today.status_code == 200
        first = asyncio.create_task(client.get(f"{P}/summary?on={held}"))
        await gate.wait_for_one()
        busy = await client.get(f"{P}/summary?on=2024-01-02")
        assert busy.status_code == 429 and busy.headers["retry-after"] == str(RETRY_AFTER_S)
        assert (await client.get(f"{P}/summary?{ON}")).status_code == 200  # known: no slot
        gate.open.set()
        assert (await first).status_code == 200
        # a caller walking through dates: the date asked all along stays, few others do
        for day in range(2, 2 + 3 * ROW_DATES):
            r = await client.get(f"{P}/summary?on=2024-02-{day:02d}")
            assert r.status_code == 200
            assert (await client.get(f"{P}/summary?{ON}")).status_code == 200
        kept = [k for k in store.current._memo if k[0] == "procurement.rows"]
        assert len(kept) == ROW_DATES
        assert ("procurement.rows", dt.date(2025, 9, 5)) in kept

    _run(tmp_path, scenario, max_concurrent_exports=1)


def test_the_byte_cache_keeps_to_its_budget() -> None:
    cache = ByteCache(10)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # now the most recently used
    cache.put("c", b"1234")  # over budget: "b" goes
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    cache.put("huge", b"x" * 11)  # never fits: not kept, nothing evicted for it
    assert cache.get("huge") is None and len(cache) == 2 and cache.size == 8
