"""The ETag names the bytes that were parsed, even while the file is being replaced."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from api_harness import Api

from api.snapshot import SnapshotStore

RELOADS = 150  # bounded in count …
BUDGET_S = 20.0  # … and in time


def _replace(path: Path, text: str, n: int) -> None:
    """Atomically, as an editor or a deployment does: a new file renamed over the old."""
    tmp = path.with_name(f".{path.name}.{n}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@pytest.mark.slow  # a few hundred reloads of the small city
def test_etag_matches_the_content_while_the_file_is_replaced(api: Api) -> None:
    store: SnapshotStore = api.app.state.snapshots
    inventory = api.settings.inventory
    h = api.headers("inventory:read")
    old = inventory.read_text(encoding="utf-8")
    new = old.replace("pupils: 1450", "pupils: 1500")
    assert new != old

    # each version's tag, read with nothing moving
    tags: dict[str, int] = {}
    for text, pupils in ((new, 1500), (old, 1450)):
        _replace(inventory, text, 0)
        assert store.reload() is True
        tags[store.current.etag] = pupils
    assert len(tags) == 2

    stop = threading.Event()

    def replacer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            _replace(inventory, new if n % 2 else old, n)
            time.sleep(0.0005)

    thread = threading.Thread(target=replacer, daemon=True)
    thread.start()
    wrong: list[tuple[str, int]] = []
    checked = 0
    deadline = time.monotonic() + BUDGET_S
    try:
        while checked < RELOADS and time.monotonic() < deadline:
            if not store.reload():
                continue  # a half-written file cannot happen with rename; any failure: retry
            snap = store.current
            answer = api.client.get("/api/v1/sites/79760012", headers=h)
            assert answer.status_code == 200
            pupils = answer.json()["pupils"]
            assert answer.headers["etag"].startswith(f'W/"{snap.etag[:16]}-')
            if tags.get(snap.etag) != pupils:
                wrong.append((snap.etag, pupils))
            checked += 1
    finally:
        stop.set()
        thread.join(5)
    assert checked >= 20, f"only {checked} reloads in {BUDGET_S} s"
    assert not wrong, f"{len(wrong)} of {checked} answers carried another version's ETag"
