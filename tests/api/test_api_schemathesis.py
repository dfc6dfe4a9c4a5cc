"""Schemathesis against the app's own OpenAPI: every generated request, with an admin
token, must get an answer its schema documents (status, content type, body).

The token goes through schemathesis' auth provider, not a header override: a negative case
that drops the Authorization header must reach the app without it (and get its 401)."""

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

# The second test reads what the first saw: both are slow, or neither runs.
pytestmark = pytest.mark.slow

# Built at import: schemathesis' lazy fixture loader does not run under this pytest.
_DIR = Path(tempfile.mkdtemp(prefix="edunet-api-schemathesis-"))
_APP, _, _TOKENS = make_api(_DIR)
_ANSWERED: set[str] = set()  # operations that answered 2xx at least once
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@schema.auth()
class _AdminToken:
    def get(self, case: Any, ctx: Any) -> str:
        return _TOKENS["admin"]

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Iterator[None]:
    yield
    shutil.rmtree(_DIR, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is a finding, not noise
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi(case: Any) -> None:
    response = case.call_and_validate()
    if 200 <= response.status_code < 300:
        _ANSWERED.add(case.operation.label)


def test_every_operation_was_answered_with_its_data() -> None:
    """Without this, a token that never reached the app would pass: 401 is documented."""
    expected = {op.ok().label for op in schema.get_all_operations()}
    assert expected - _ANSWERED == set()
