"""A small commented city in a temporary folder, for each test to edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from edunet import sample

SCHOOLS = 24


@pytest.fixture(scope="session")
def city_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("city") / "inventory.yaml"
    sample.write(path, schools=SCHOOLS, seed=16)
    return path.read_text(encoding="utf-8")


@pytest.fixture
def city(tmp_path: Path, city_text: str) -> Path:
    path = tmp_path / "inventory.yaml"
    path.write_text(city_text, encoding="utf-8")
    return path
