"""A month of the sample city's history with a known truth, in a real VictoriaMetrics, shared
by the report's tests (it takes a minute or two to build)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import month_backfill as backfill
import pytest
from month_history import Truth, plant, series
from support.processes import ROOT

from edunet.load import load
from edunet.model import Inventory
from reports.period import Month


@dataclass(frozen=True)
class History:
    inv: Inventory
    truth: Truth
    url: str


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    inv = load(ROOT / "inventory.yaml")
    month = Month.last_full(datetime.now(UTC))
    truth = plant(inv, month)
    work = tmp_path_factory.mktemp("history")
    vm = backfill.start(work / "vm")
    try:
        backfill.load(vm, series(inv, truth))
        backfill.replay(vm, inv, month.start - timedelta(minutes=10), month.end, work)
        yield History(inv, truth, vm.url)
    finally:
        vm.stop()


def month_dir(tmp: Path) -> Path:
    out = tmp / "report"
    out.mkdir()
    return out
