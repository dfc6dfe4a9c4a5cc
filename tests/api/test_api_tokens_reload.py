"""The background reload loop survives whatever the tokens file holds, through the real
watcher (a short interval), not a direct call."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from api_harness import make_api
from fastapi.testclient import TestClient

from api.auth import Scope, create_token
from api.snapshot import SnapshotStore

INTERVAL = 0.05
SITES = "/api/v1/sites"


def eventually(check: Callable[[], bool], within_s: float = 5.0) -> None:
    deadline = time.monotonic() + within_s
    while not check():
        assert time.monotonic() < deadline, "not within the reload interval"
        time.sleep(INTERVAL)


def test_a_bad_tokens_file_keeps_the_last_good_and_the_loop_alive(tmp_path: Path) -> None:
    app, settings, tokens = make_api(tmp_path, reload_interval_s=INTERVAL)
    path = settings.tokens_file
    good = path.read_text()
    old = {"Authorization": f"Bearer {tokens['inventory:read']}"}
    with TestClient(app) as client:
        path.write_text("tokens: [\n")
        eventually(lambda: client.get("/health").json()["status"] == "degraded")
        health = client.get("/health").json()
        assert "not valid YAML" in health["last_reload_error"]
        assert "edunet_api_tokens_reload_failing 1.0" in client.get("/metrics").text
        assert client.get(SITES, headers=old).status_code == 200  # the last good tokens

        path.write_text(good)
        new = create_token(path, [Scope.inventory_read], name="after the repair")
        h = {"Authorization": f"Bearer {new}"}
        eventually(lambda: client.get(SITES, headers=h).status_code == 200)
        assert client.get("/health").json()["status"] == "ok"
        assert "edunet_api_tokens_reload_failing 0.0" in client.get("/metrics").text
        assert client.get(SITES, headers=old).status_code == 200


def test_a_deleted_tokens_file_fails_closed(tmp_path: Path) -> None:
    app, settings, tokens = make_api(tmp_path, reload_interval_s=INTERVAL)
    old = {"Authorization": f"Bearer {tokens['inventory:read']}"}
    with TestClient(app) as client:
        assert client.get(SITES, headers=old).status_code == 200
        settings.tokens_file.unlink()
        eventually(lambda: client.get(SITES, headers=old).status_code == 401)
        health = client.get("/health").json()
        assert health["status"] == "degraded" and "missing" in health["last_reload_error"]


def test_the_reload_loop_restarts_if_it_dies(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A tick that raises is logged and the loop goes on; a loop that ends is started again."""

    class Boom(Exception):
        pass

    ticks: list[int] = []

    def also() -> None:
        ticks.append(1)
        raise Boom("a tick that raises")

    deaths: list[int] = []
    poll = SnapshotStore._poll

    async def dying_poll(self: SnapshotStore, interval_s: float, also: object) -> None:
        if not deaths:
            deaths.append(1)
            raise Boom("the loop itself")
        await poll(self, interval_s, also)  # type: ignore[arg-type]

    monkeypatch.setattr(SnapshotStore, "_poll", dying_poll)
    store = SnapshotStore(Path(__file__).parent.parent / "core" / "data" / "small.yaml")

    async def run() -> None:
        task = asyncio.create_task(store.watch(0.01, also=also))
        while len(ticks) < 3:
            await asyncio.sleep(0.01)
        task.cancel()

    asyncio.run(run())
    assert store.watch_restarts == 1 and store.watch_failures >= 3
    assert "reload loop restarted" in caplog.text and "a tick that raises" in caplog.text
