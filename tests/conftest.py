from __future__ import annotations

from pathlib import Path

import pytest

from edunet import load
from edunet.model import Inventory

DATA = Path(__file__).parent / "core" / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def small() -> Inventory:
    return load(DATA / "small.yaml")


@pytest.fixture(scope="session")
def sample_city() -> Inventory:
    """The committed sample city (inventory.yaml)."""
    return load(ROOT / "inventory.yaml")
