"""Helpers of the live monitoring test: the small city's lab and exporters, and waiting."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from support.lab_run import ROOT, LabRun, lab_and_exporters
from support.ready import wait_http

from monitors import stack

SMALL = ROOT / "tests/core/data/small.yaml"
T = TypeVar("T")


@contextmanager
def small_lab(tmp: Path) -> Iterator[LabRun]:
    """The small city's lab and both exporters, answering; 5 echo requests a second, so a 10%
    loss reads clearly above every medium's threshold within the lab's short windows."""
    with lab_and_exporters(tmp, SMALL, probe_packets=5) as lab:
        for address in (lab.snmp_exporter, lab.prober):
            wait_http(f"http://{address}/metrics", 60, proc=lab.exporters)
        yield lab


def until(what: str, check: Callable[[], T | None], timeout: float) -> tuple[T, float]:
    """Poll ``check`` every 0.5 s until it returns a value (not None); bounded by ``timeout``.
    Returns the value and the seconds it took."""
    started = time.monotonic()
    last: Any = None
    while time.monotonic() - started < timeout:
        try:
            value = check()
        except stack.StackError as e:  # not up yet, or a query error worth showing
            value, last = None, e
        if value is not None:
            return value, time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"{what} not reached in {timeout:.0f} s (last error: {last})")
