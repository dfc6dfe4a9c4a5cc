"""Prometheus' (or VictoriaMetrics') HTTP query API, read in few, city-wide queries.

A range query is cut into pieces of at most ``MAX_POINTS`` steps (Prometheus refuses more
than 11,000 points a series); each piece covers every site at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Prometheus", "QueryError", "Sample", "Samples"]

MAX_POINTS = 10_000
TIMEOUT_S = 120.0

Labels = dict[str, str]


class QueryError(RuntimeError):
    """The server refused a query or could not be reached."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One series of an instant query: its labels and its value."""

    labels: Labels
    value: float


@dataclass(frozen=True, slots=True)
class Samples:
    """One series of a range query: its labels and the (unix seconds, value) points."""

    labels: Labels
    points: list[tuple[float, float]]


class Prometheus:
    """A client of one server's ``/api/v1/query`` and ``/api/v1/query_range``."""

    def __init__(self, url: str, timeout_s: float = TIMEOUT_S) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(timeout=timeout_s)
        self.queries = 0  # how many requests the report made (the benchmark counts them)

    def close(self) -> None:
        self._http.close()

    def _get(self, path: str, params: dict[str, str]) -> Any:
        self.queries += 1
        try:
            reply = self._http.post(f"{self.url}{path}", data=params)
        except httpx.HTTPError as e:
            raise QueryError(f"{self.url}: {e}") from e
        try:
            body = reply.json()
        except ValueError as e:
            raise QueryError(f"{self.url}{path}: HTTP {reply.status_code}, not JSON") from e
        if body.get("status") != "success":
            raise QueryError(f"{params.get('query', '')}: {body.get('error', reply.text)}")
        return body["data"]["result"]

    def instant(self, query: str, at: float) -> list[Sample]:
        result = self._get("/api/v1/query", {"query": query, "time": f"{at:.3f}"})
        return [Sample(r["metric"], float(r["value"][1])) for r in result]

    def range(self, query: str, start: float, end: float, step: float) -> list[Samples]:
        """Every series of ``query`` from ``start`` to ``end`` inclusive, pieces joined."""
        joined: dict[tuple[tuple[str, str], ...], Samples] = {}
        for lo, hi in _pieces(start, end, step):
            params = {
                "query": query,
                "start": f"{lo:.3f}",
                "end": f"{hi:.3f}",
                "step": f"{step:g}",
            }
            for r in self._get("/api/v1/query_range", params):
                key = tuple(sorted(r["metric"].items()))
                series = joined.setdefault(key, Samples(r["metric"], []))
                series.points.extend((float(t), float(v)) for t, v in r["values"])
        return list(joined.values())


def _pieces(start: float, end: float, step: float) -> Iterator[tuple[float, float]]:
    lo = start
    while lo <= end:
        hi = min(end, lo + (MAX_POINTS - 1) * step)
        yield lo, hi
        lo = hi + step
