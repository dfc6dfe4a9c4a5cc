"""Building CSV and XLSX downloads without starving the rest of the API.

A whole city's hardware is 0.3 s of CPU as CSV and about 4 s as XLSX. Built on the event
loop's process, under the GIL, two such downloads at once took the device list from 822 to
42 requests a second. So:

- at most ``slots`` files are built at once; a request beyond that is refused at once with
  429 and ``Retry-After``, rather than queued behind them;
- the bytes are kept per snapshot and request (the report's ETag names both), within a byte
  budget, least recently used first out: the same download again is only a send, and a
  request for a file being built waits for that build instead of starting another;
- XLSX is encoded in a worker process at a lower CPU priority (openpyxl is pure Python: a
  thread would still hold the GIL); CSV, a tenth of the work and mostly the C csv module,
  in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Literal

from fastapi import HTTPException

from edunet.tabular import Table, to_csv, to_xlsx

RETRY_AFTER_S = 3  # about one XLSX build of a whole district; a whole city takes longer
CACHE_BYTES = 64 * 1024 * 1024  # a whole city is 3.3 MB of CSV, 1.3 MB of XLSX

WORKER_NICENESS = 10  # XLSX workers yield the CPU to the process that answers requests

FileFormat = Literal["csv", "xlsx"]


class Slots:
    """A count of builds in progress, checked and taken on the event loop (no lock)."""

    def __init__(self, size: int, what: str) -> None:
        self.size = size
        self.what = what
        self.used = 0
        self.refused = 0

    @contextlib.contextmanager
    def take(self) -> Iterator[None]:
        if self.used >= self.size:
            self.refused += 1
            raise HTTPException(
                status_code=429,
                detail=f"{self.used} {self.what} are being built, the most at once here; "
                f"try again in {RETRY_AFTER_S} s",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        self.used += 1
        try:
            yield
        finally:
            self.used -= 1


class ByteCache:
    """Bytes by key within a budget; the least recently used go first."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: str, value: bytes) -> None:
        if len(value) > self.budget or key in self._items:
            return
        while self.size + len(value) > self.budget:
            _, old = self._items.popitem(last=False)
            self.size -= len(old)
        self._items[key] = value
        self.size += len(value)

    def __len__(self) -> int:
        return len(self._items)


class Exports:
    """The app's file builds: their slots, their cache and the XLSX worker processes."""

    def __init__(self, slots: int, cache_bytes: int = CACHE_BYTES) -> None:
        self.slots = Slots(slots, "downloads")
        # a report for a date not seen yet builds every record's dates first (0.15 s a city)
        self.days = Slots(slots, "reports for a new date")
        self.cache = ByteCache(cache_bytes)
        self.built = 0
        self._building: dict[str, asyncio.Future[bytes]] = {}
        self._workers = slots
        self._pool: ProcessPoolExecutor | None = None

    async def file(self, key: str, make: Callable[[], Table], fmt: FileFormat, sheet: str) -> bytes:
        """The file for ``key`` (one snapshot, one request): from the cache, from a build
        already under way, or built now if a slot is free (else 429)."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        pending = self._building.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        with self.slots.take():
            done: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
            done.add_done_callback(_retrieve)
            self._building[key] = done
            try:
                body = await self._build(make, fmt, sheet)
            except asyncio.CancelledError:
                done.cancel()
                raise
            except Exception as e:
                done.set_exception(e)
                raise
            finally:
                del self._building[key]
            done.set_result(body)
        self.cache.put(key, body)
        self.built += 1
        return body

    async def _build(self, make: Callable[[], Table], fmt: FileFormat, sheet: str) -> bytes:
        tab = await asyncio.to_thread(make)
        if fmt == "csv":
            return await asyncio.to_thread(to_csv, tab)
        return await self._in_worker(functools.partial(to_xlsx, tab, sheet=sheet))

    async def _in_worker(self, job: Callable[[], bytes]) -> bytes:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            if self._pool is None:
                # spawned, not forked: the API's process has threads; a fork would copy
                # their locks mid-use. Niced: on a small machine the workers would otherwise
                # take the cores the API's own process answers on.
                self._pool = ProcessPoolExecutor(
                    self._workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=os.nice,
                    initargs=(WORKER_NICENESS,),
                )
            pool = self._pool
            try:
                return await loop.run_in_executor(pool, job)
            except BrokenProcessPool:  # a worker was killed: start afresh, once
                if self._pool is pool:
                    self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """At shutdown: queued builds are dropped, one under way is let finish (seconds)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _retrieve(future: asyncio.Future[bytes]) -> None:
    """A failed build nobody else waited for is not an 'exception never retrieved'."""
    if not future.cancelled():
        future.exception()
