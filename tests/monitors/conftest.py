"""Fixtures of the monitors tests: the sample city, free ports, and the real monitoring daemons
(Prometheus, Alertmanager, VictoriaMetrics) started on loopback and always stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.ports import free_tcp_port

import edunet
from edunet.model import Inventory
from monitors import stack

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def city() -> Inventory:
    """The sample city (inventory.yaml), loaded once."""
    return edunet.load(ROOT / "inventory.yaml")


@pytest.fixture
def free_port() -> Callable[[], int]:
    """A function returning a free TCP port on 127.0.0.1."""
    return free_tcp_port


@pytest.fixture
def services(tmp_path: Path) -> Iterator[stack.Stack]:
    """``services.prometheus(config)``, ``.alertmanager(config)``, ``.victoria_metrics()``:
    each started on loopback and ready when returned; all stopped after the test."""
    with stack.Stack(tmp_path / "stack") as running:
        yield running
