from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from hostkit import HostKit


@pytest.fixture
def linux_hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[int], HostKit]]:
    """`kit = linux_hosts(5)`: five SSH-reachable namespace hosts, removed after the test."""
    if os.geteuid() != 0:
        pytest.skip("namespace hosts need root (network and mount namespaces, overlayfs)")
    kits: list[HostKit] = []

    def start(count: int) -> HostKit:
        kit = HostKit(tmp_path_factory.mktemp("linux_hosts"))
        kits.append(kit)
        kit.start(count)
        return kit

    try:
        yield start
    finally:
        for kit in kits:
            kit.stop()
