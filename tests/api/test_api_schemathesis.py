"""Schemathesis against the app's own OpenAPI: every generated request, with an admin
token, must get an answer its schema documents (status, content type, body)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_harness import make_api
from hypothesis import HealthCheck, settings

# Built at import: schemathesis' lazy fixture loader does not run under this pytest.
_DIR = Path(tempfile.mkdtemp(prefix="edunet-api-schemathesis-"))
_APP, _, _TOKENS = make_api(_DIR)
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Iterator[None]:
    yield
    shutil.rmtree(_DIR, ignore_errors=True)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi(case: Any) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {_TOKENS['admin']}"})
