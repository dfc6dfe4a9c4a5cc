"""The inventory the API serves: an immutable snapshot, swapped whole when the file changes.

Requests read ``store.current`` once and keep that object, so a reload in the middle of a
request never mixes two inventories. A broken inventory leaves the last good snapshot
serving and records why, for ``/health`` and ``/metrics``.

A caller whose token reaches only part of the city gets ``snapshot.within(reach)``: the
same snapshot cut to that part, with an ETag and a memo of its own. Every route reads its
inventory from there, so lists, counts, single objects, searches and downloads hold the
reach's objects only, and no answer, 304 or cached file is ever shared across reaches.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from api.source import read_inventory
from edunet.access import CITY, Reach
from edunet.load import inventory_files
from edunet.model import Inventory
from edunet.topology import topology_of

log = logging.getLogger("edunet.api.snapshot")

T = TypeVar("T")

# Keys may carry a caller's report date, so the memo is bounded; a handful of dates and
# filters are live at any time, and a rebuild costs milliseconds.
MEMO_LIMIT = 64
REACHES = 16  # scoped snapshots kept: one per reach in use (a few districts' NOCs at a time)


@dataclass(frozen=True, slots=True)
class Snapshot:
    inventory: Inventory
    etag: str  # content hash of the source files
    loaded_at: float  # time.time()
    fingerprint: tuple[tuple[str, int, int], ...]  # (file, mtime_ns, size) when read
    reach: Reach = CITY  # what ``inventory`` was cut to
    whole: Inventory | None = None  # the whole city's, when cut
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    _memo_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    @property
    def city(self) -> Inventory:
        """The whole city's inventory: the topology computes paths and impact on it."""
        return self.whole if self.whole is not None else self.inventory

    def within(self, reach: Reach) -> Snapshot:
        """This snapshot as a caller of ``reach`` sees it, built once per reach."""
        if reach.whole_city:
            return self
        if not self.reach.whole_city:
            raise ValueError("a snapshot is cut to a reach once, from the whole city's")
        return self.memo(("reach", reach), lambda: self._cut(reach), keep=REACHES)

    def _cut(self, reach: Reach) -> Snapshot:
        named = json.dumps(reach.to_data(), sort_keys=True)
        tag = hashlib.sha256(f"{self.etag}|{named}".encode()).hexdigest()[:32]
        part = reach.within(self.inventory)
        return Snapshot(part, tag, self.loaded_at, self.fingerprint, reach, self.inventory)

    def cached(self, key: Hashable) -> bool:
        with self._memo_lock:
            return key in self._memo

    def memo(self, key: Hashable, build: Callable[[], T], keep: int = MEMO_LIMIT) -> T:
        """``build()`` for ``key``, computed once per snapshot: the inventory never changes,
        so neither does anything derived from it. A value must not be mutated by callers.

        The least recently used go first: at most ``MEMO_LIMIT`` values in all, and at most
        ``keep`` of those whose key starts as this one's (a tuple's first item names a kind
        of value: big ones, such as a city's records for one date, keep few)."""
        with self._memo_lock:
            if key in self._memo:
                value = self._memo.pop(key)
                self._memo[key] = value  # now the most recently used
                return cast(T, value)
        value = build()  # outside the lock: two first callers may both build, harmlessly
        with self._memo_lock:
            if key not in self._memo:
                kind = _kind(key)
                same = [k for k in self._memo if _kind(k) == kind]
                for old in same[: max(len(same) - keep + 1, 0)]:
                    del self._memo[old]
                if len(self._memo) >= MEMO_LIMIT:
                    del self._memo[next(iter(self._memo))]  # the least recently used
                self._memo[key] = value
            return cast(T, self._memo[key])


def _kind(key: Hashable) -> Hashable:
    return key[0] if isinstance(key, tuple) and key else key


@dataclass(frozen=True, slots=True)
class ReloadError:
    message: str
    at: float


def fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    """(file, mtime_ns, size) of every file the loader reads: a change to any moves it."""
    out = []
    for f in inventory_files(path):
        st = f.stat()
        out.append((str(f), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _first_line(e: Exception) -> str:
    text = str(e).strip() or type(e).__name__
    return text if len(text) < 2000 else text[:2000] + " …"


class SnapshotStore:
    """Holds the current snapshot; ``reload`` builds a new one and swaps the reference."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # one reload at a time; readers never wait
        self.reloads = 0
        self.reload_failures = 0
        self.last_error: ReloadError | None = None
        self.watch_failures = 0  # reload checks that raised
        self.watch_restarts = 0  # times the reload loop itself had to be started again
        self._current = self._build()  # the first load must succeed: fail fast
        self._seen = self._current.fingerprint  # the files as last read, good or broken
        self._tasks: set[asyncio.Task[bool]] = set()

    @property
    def current(self) -> Snapshot:
        return self._current

    def _build(self) -> Snapshot:
        before = fingerprint(self.path)
        read = read_inventory(self.path)  # the ETag hashes the bytes parsed
        topology_of(read.inventory)  # built here, in the background, not by the first request
        return Snapshot(read.inventory, read.etag, time.time(), before)

    def reload(self) -> bool:
        """Load the inventory again; True if a new snapshot now serves."""
        with self._lock:
            try:
                snap = self._build()
            except Exception as e:  # any broken input keeps the last good snapshot serving
                self.reload_failures += 1
                self.last_error = ReloadError(_first_line(e), time.time())
                # remember what was seen so a broken file is not re-read every tick
                try:
                    seen = fingerprint(self.path)
                except OSError:
                    seen = ()
                self._seen = seen
                log.warning("inventory reload failed; still serving %s", self._current.etag)
                return False
            self._current = snap
            self._seen = snap.fingerprint
            self.reloads += 1
            self.last_error = None
            log.info("inventory reloaded: etag %s", snap.etag)
            return True

    def changed(self) -> bool:
        try:
            now = fingerprint(self.path)
        except OSError:
            return False
        return now != self._seen

    def reload_if_changed(self) -> bool:
        return self.changed() and self.reload()

    async def _poll(self, interval_s: float, also: Callable[[], object] | None) -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                if also is not None:
                    also()
                if self.changed():
                    await asyncio.to_thread(self.reload)
            except Exception:  # one bad tick must not end reloading for good
                self.watch_failures += 1
                log.exception("reload check failed; checking again in %s s", interval_s)

    async def watch(self, interval_s: float, also: Callable[[], object] | None = None) -> None:
        """Poll the files' modification times; reload off the event loop when they move.
        ``also`` runs on every tick (the tokens file: small, read in place). Should the
        polling loop ever end, it is started again, and the log says so."""
        while True:
            try:
                await self._poll(interval_s, also)
            except Exception:
                log.exception("the reload loop died")
            self.watch_restarts += 1
            log.error("reload loop restarted (%d since start)", self.watch_restarts)
            await asyncio.sleep(interval_s)

    def install_sighup(self, also: Callable[[], object] | None = None) -> bool:
        """Reload on SIGHUP (and run ``also``). Only possible from the main thread's loop."""
        try:
            loop = asyncio.get_running_loop()

            def on_hup() -> None:
                if also is not None:
                    also()
                task = loop.create_task(asyncio.to_thread(self.reload))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

            loop.add_signal_handler(signal.SIGHUP, on_hup)
        except (RuntimeError, ValueError, NotImplementedError):
            return False
        return True
