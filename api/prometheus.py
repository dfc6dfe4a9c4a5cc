"""A small client for Prometheus' HTTP API: instant queries, bounded by a timeout.

Routes ask for a ``PromQuery`` (a protocol), so tests hand in a fake. Every failure
becomes a ``PrometheusError`` whose message names what went wrong but never the URL,
which may carry credentials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

DEFAULT_TIMEOUT_S = 2.0


class PrometheusError(Exception):
    """Prometheus did not give an answer; ``message`` is safe to show a caller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Sample:
    """One series of an instant vector: its labels and its value at the query time."""

    labels: dict[str, str]
    value: float


class PromQuery(Protocol):
    async def query(self, promql: str) -> list[Sample]: ...


class PrometheusClient:
    """``GET /api/v1/query`` against one Prometheus; one short-lived connection per query."""

    def __init__(
        self,
        base_url: str,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/api/v1/query"
        self._timeout_s = timeout_s
        self._transport = transport

    async def query(self, promql: str) -> list[Sample]:
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout_s, transport=self._transport
            ) as client:
                response = await client.get(self._url, params={"query": promql})
        except httpx.TimeoutException:
            raise PrometheusError(
                f"Prometheus did not answer within {self._timeout_s:g} s"
            ) from None
        except httpx.HTTPError as e:
            raise PrometheusError(f"Prometheus is unreachable ({type(e).__name__})") from None
        return parse_vector(response)


def parse_vector(response: httpx.Response) -> list[Sample]:
    """The samples of an instant-vector answer; anything else is a ``PrometheusError``."""
    try:
        body: Any = response.json()
    except ValueError:
        raise PrometheusError(
            f"Prometheus answered HTTP {response.status_code} without JSON"
        ) from None
    if not isinstance(body, dict) or body.get("status") != "success":
        error = body.get("error", "") if isinstance(body, dict) else ""
        raise PrometheusError(
            f"Prometheus answered HTTP {response.status_code}: {str(error)[:200] or 'error'}"
        )
    data = body.get("data") or {}
    if data.get("resultType") != "vector":
        raise PrometheusError(f"Prometheus answered a {data.get('resultType')!r}, not a vector")
    samples: list[Sample] = []
    for row in data.get("result") or []:
        try:
            value = float(row["value"][1])
            labels = {str(k): str(v) for k, v in row["metric"].items()}
        except (KeyError, IndexError, TypeError, ValueError):
            raise PrometheusError("Prometheus answered a malformed sample") from None
        if math.isfinite(value):  # NaN (0/0) is no measurement
            samples.append(Sample(labels, value))
    return samples
