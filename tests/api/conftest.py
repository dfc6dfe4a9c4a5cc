"""Fixtures for the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_harness import Api, make_api
from fastapi.testclient import TestClient


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    app, settings, tokens = make_api(tmp_path)
    with TestClient(app) as client:
        yield Api(app, client, settings, tokens)
