"""The bounded pool: order, failures as rows, per-device deadline, bounded concurrency."""

from __future__ import annotations

import threading
import time

from playbooks.devices.pool import Outcome, Status, run_pool
from playbooks.devices.session import Unreachable


def test_rows_in_order_and_failures_are_rows() -> None:
    def job(n: int) -> Outcome[int]:
        if n == 2:
            raise RuntimeError("rejected: frobnicate")
        if n == 3:
            raise Unreachable("connection refused")
        return Outcome(Status.changed if n % 2 else Status.ok, n * 10)

    rows = run_pool(list(range(6)), job, name=str, workers=3)
    assert [r.device for r in rows] == ["0", "1", "2", "3", "4", "5"]
    assert [r.status for r in rows] == [
        Status.ok,
        Status.changed,
        Status.failed,
        Status.unreachable,
        Status.ok,
        Status.changed,
    ]
    assert rows[2].error == "rejected: frobnicate" and rows[3].error == "connection refused"
    assert rows[5].value == 50 and rows[2].value is None
    assert all(r.seconds >= 0 for r in rows)


def test_a_hung_device_is_given_up_on_and_the_others_finish() -> None:
    release = threading.Event()

    def job(n: int) -> Outcome[None]:
        if n == 0:
            release.wait(10)  # hangs past its deadline
        else:
            time.sleep(0.05)
        return Outcome(Status.ok)

    t0 = time.monotonic()
    rows = run_pool(list(range(8)), job, name=str, workers=2, deadline=0.5)
    wall = time.monotonic() - t0
    release.set()
    assert rows[0].status is Status.failed and "within 0.5 s" in rows[0].error
    assert all(r.status is Status.ok for r in rows[1:])
    assert wall < 3.0  # the hung job did not hold the run


def test_never_more_than_workers_at_once() -> None:
    lock = threading.Lock()
    active = peak = 0

    def job(n: int) -> Outcome[None]:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.02)
        with lock:
            active -= 1
        return Outcome(Status.ok)

    rows = run_pool(list(range(30)), job, name=str, workers=4)
    assert len(rows) == 30 and peak <= 4 and peak >= 2


def test_empty_and_on_row_callback() -> None:
    assert run_pool([], lambda n: Outcome(Status.ok), name=str) == []
    seen: list[str] = []
    run_pool([1, 2], lambda n: Outcome(Status.ok), name=str, on_row=lambda r: seen.append(r.device))
    assert sorted(seen) == ["1", "2"]
