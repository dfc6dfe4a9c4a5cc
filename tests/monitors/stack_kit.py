"""Helpers of the live monitoring test: the small city's lab and exporters, waiting, and the
metric names of a PromQL expression."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.lab_run import ROOT, LabRun, lab_and_exporters

SMALL = ROOT / "tests/core/data/small.yaml"


@contextmanager
def small_lab(tmp: Path) -> Iterator[LabRun]:
    """The small city's lab and exporters; 5 echo requests a second, so a 10% loss reads
    clearly above every medium's threshold within the lab's short windows."""
    with lab_and_exporters(tmp, SMALL, probe_packets=5) as lab:
        yield lab


def wait_until(what: str, check: Callable[[], Any], timeout: float, every: float = 2) -> Any:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` after timeout."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout:.0f} s (last: {last!r})")


_KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "and",
    "or",
    "unless",
    "bool",
    "offset",
    "inf",
    "nan",
}


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression (functions and keywords left out)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # label values may hold anything
    text = re.sub(r"\{[^}]*\}", "{}", text)  # label matchers
    text = re.sub(r"\$\{?\w+\}?", "1m", text)  # dashboard variables
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for m in re.finditer(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", text):
        name, call = m.group(1), m.group(2)
        if call or name in _KEYWORDS or re.fullmatch(r"\d+[smhdwy]", name):
            continue
        if m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "."):
            continue  # the unit of a duration (5m) or a number's exponent
        names.add(name)
    return names
