"""A bounded pool of worker threads, one job per device, each with its own deadline.

Failures are rows, never exceptions: a device that refuses, rejects a line or hangs past
its deadline is reported and the others carry on. A job that overruns its deadline is
abandoned (a thread cannot be killed; its own socket timeouts end it later) and a fresh
worker takes its place, so one hung device never shrinks the pool.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from playbooks.devices.session import Unreachable

V = TypeVar("V")
T = TypeVar("T")


class Status(StrEnum):
    ok = "ok"  # done, nothing changed
    changed = "changed"
    failed = "failed"
    unreachable = "unreachable"


@dataclass(frozen=True, slots=True)
class Outcome(Generic[V]):
    """What a job returns: its status, a short detail for the report, and its data."""

    status: Status
    value: V | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Row(Generic[V]):
    device: str
    status: Status
    error: str
    seconds: float
    value: V | None = None

    @property
    def succeeded(self) -> bool:
        return self.status in (Status.ok, Status.changed)


def run_pool(
    items: Sequence[T],
    job: Callable[[T], Outcome[V]],
    *,
    name: Callable[[T], str],
    workers: int = 10,
    deadline: float = 60.0,
    on_row: Callable[[Row[V]], None] | None = None,
) -> list[Row[V]]:
    """Run ``job`` on every item with at most ``workers`` running at once (plus replacements
    for abandoned ones); rows come back in the order of ``items``."""
    if not items:
        return []
    workers = max(1, min(workers, len(items)))
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(len(items)):
        todo.put(i)
    done: queue.SimpleQueue[tuple[int, Row[V]]] = queue.SimpleQueue()
    started: dict[int, float] = {}
    abandoned: set[int] = set()
    lock = threading.Lock()

    def worker() -> None:
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            t0 = time.monotonic()
            with lock:
                started[i] = t0
            done.put((i, _run_one(items[i], job, name, t0)))
            with lock:
                if i in abandoned:  # a replacement took this worker's place
                    return

    def spawn() -> None:
        threading.Thread(target=worker, name="device-job", daemon=True).start()

    for _ in range(workers):
        spawn()

    rows: dict[int, Row[V]] = {}
    while len(rows) < len(items):
        now = time.monotonic()
        with lock:
            running = {i: t for i, t in started.items() if i not in rows}
        next_due = min((t + deadline for t in running.values()), default=now + deadline)
        try:
            i, row = done.get(timeout=max(0.01, min(next_due - now, 1.0)))
        except queue.Empty:
            now = time.monotonic()
            for i, t in running.items():
                if now - t >= deadline and i not in rows:
                    with lock:
                        abandoned.add(i)
                    error = f"no answer within {deadline:g} s"
                    rows[i] = Row(name(items[i]), Status.failed, error, round(now - t, 3))
                    if on_row:
                        on_row(rows[i])
                    spawn()  # the abandoned worker's slot
            continue
        if i in rows:  # finished after it was given up on: the deadline row stands
            continue
        rows[i] = row
        if on_row:
            on_row(row)
    return [rows[i] for i in range(len(items))]


def _run_one(
    item: T, job: Callable[[T], Outcome[V]], name: Callable[[T], str], t0: float
) -> Row[V]:
    try:
        out = job(item)
    except Unreachable as e:
        return Row(name(item), Status.unreachable, str(e), round(time.monotonic() - t0, 3))
    except Exception as e:  # a job's failure is a row, never a crash of the run
        text = str(e) or type(e).__name__
        return Row(name(item), Status.failed, text[:500], round(time.monotonic() - t0, 3))
    return Row(name(item), out.status, out.detail, round(time.monotonic() - t0, 3), out.value)
