"""The lab's own agents for the small city, shared by the discovery tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.lab_agents import Agents, start_agents, stop_agents

SMALL = Path(__file__).parent.parent.parent / "core" / "data" / "small.yaml"


@pytest.fixture(scope="session")
def small_agents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agents]:
    work = tmp_path_factory.mktemp("discover-agents")
    running, pids = start_agents(SMALL, work)
    try:
        yield running
    finally:
        stop_agents(pids)
