"""``/api/v1/status/sites``: live status from Prometheus, or a plain "not live" and why.

The fake answers like Prometheus' recording rules would; the integration test runs the
real ``prometheus`` with constant recording rules, so the series exist from the first
evaluation without any scrape.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_harness import make_api
from fastapi import FastAPI
from fastapi.testclient import TestClient
from promql_names import metric_names
from support.ports import free_tcp_port
from support.processes import running

from api.main import API_PREFIX
from api.prometheus import PrometheusClient, PrometheusError, Sample
from api.routes import status
from monitors import contract
from monitors.contract import SITE_PROBE_LOSS, SITE_PROBE_RTT, SITE_UP

URL = "/api/v1/status/sites"


def _with_status(app: FastAPI) -> FastAPI:
    # until create_app includes the router itself
    if not any(getattr(r, "path", "") == URL for r in app.routes):
        app.include_router(status.router, prefix=API_PREFIX)
    return app


class FakePrometheus:
    def __init__(self, series: dict[str, list[Sample]], error: str | None = None) -> None:
        self.series, self.error = series, error
        self.queries: list[str] = []

    async def query(self, promql: str) -> list[Sample]:
        self.queries.append(promql)
        if self.error:
            raise PrometheusError(self.error)
        return self.series.get(promql, [])


def _link(site: str, isp: str, medium: str, value: float) -> Sample:
    return Sample({"site": site, "isp": isp, "medium": medium}, value)


SERIES = {
    SITE_UP.name: [Sample({"site": "79760012"}, 1.0), Sample({"site": "79760031"}, 0.0)],
    SITE_PROBE_LOSS.name: [
        _link("79760031", "VNPT", "metronet", 1.0),
        _link("79760031", "Viettel", "ftth", 0.25),
        _link("79760012", "VNPT", "fiber", 0.0),
    ],
    SITE_PROBE_RTT.name: [_link("79760012", "VNPT", "fiber", 0.0042)],
}


def _client(tmp: Path, fake: FakePrometheus | None, **settings: object) -> TestClient:
    app, _, tokens = make_api(tmp, **settings)
    _with_status(app)
    if fake is not None:
        app.dependency_overrides[status.get_prometheus] = lambda: fake
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {tokens['inventory:read']}"
    return client


def _by_code(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in body["items"]}


def test_live_status_from_the_recording_rules(tmp_path: Path) -> None:
    fake = FakePrometheus(SERIES)
    body = _client(tmp_path, fake).get(URL, params={"district": "760"}).json()
    assert body["live"] is True and "reason" not in body
    rows = _by_code(body)
    assert rows["79760012"]["up"] is True
    assert rows["79760012"]["uplinks"] == [
        {"isp": "VNPT", "medium": "fiber", "loss_ratio": 0.0, "rtt_ms": 4.2}
    ]
    assert rows["79760031"]["up"] is False
    assert [u["isp"] for u in rows["79760031"]["uplinks"]] == ["VNPT", "Viettel"]
    assert "rtt_ms" not in rows["79760031"]["uplinks"][0]  # no sample, no number
    # PGD-Q1 has no samples at all: no status field, never "up"
    assert set(rows["PGD-Q1"]) == {"code", "name", "kind", "district"}
    assert sorted(fake.queries) == sorted(
        s.name for s in (SITE_UP, SITE_PROBE_LOSS, SITE_PROBE_RTT)
    )


def test_the_route_reads_only_series_of_the_metric_contract(tmp_path: Path) -> None:
    fake = FakePrometheus(SERIES)
    assert _client(tmp_path, fake).get(URL).status_code == 200
    read = {n for q in fake.queries for n in metric_names(q)}
    assert read and all(n.startswith("edunet") for n in read), read
    assert read <= contract.names(), sorted(read - contract.names())


def test_without_prometheus_the_answer_says_so(tmp_path: Path) -> None:
    body = _client(tmp_path, None).get(URL).json()
    assert body["live"] is False and body["reason"] == "no Prometheus configured"
    assert body["items"] and all("up" not in r and "uplinks" not in r for r in body["items"])


def test_a_failing_prometheus_is_reported_not_papered_over(tmp_path: Path) -> None:
    fake = FakePrometheus(SERIES, error="Prometheus did not answer within 2 s")
    body = _client(tmp_path, fake).get(URL).json()
    assert body["live"] is False and body["reason"] == "Prometheus did not answer within 2 s"
    assert all("up" not in r for r in body["items"])


def test_unreachable_prometheus_from_settings(tmp_path: Path) -> None:
    port = free_tcp_port()  # a port nobody listens on
    client = _client(tmp_path, None, prometheus_url=f"http://user:pw@127.0.0.1:{port}")
    body = client.get(URL).json()
    assert body["live"] is False and "unreachable" in body["reason"]
    assert "pw" not in client.get(URL).text  # the URL's credentials never show


def test_filters_paging_and_auth(tmp_path: Path) -> None:
    client = _client(tmp_path, FakePrometheus(SERIES))
    body = client.get(URL, params={"kind": "school", "limit": 2}).json()
    assert body["total"] == 3 and len(body["items"]) == 2 and body["next_offset"] == 2
    assert client.get(URL, params={"site": "79785007"}).json()["total"] == 1
    assert client.get(URL, params={"limit": 0}).status_code == 422
    assert client.get(URL, params={"distrct": "760"}).status_code == 422
    assert client.get(URL, headers={"Authorization": ""}).status_code == 401


def _answer(status_code: int, body: Any) -> httpx.MockTransport:
    return httpx.MockTransport(lambda _req: httpx.Response(status_code, json=body))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_client_parses_vectors_and_refuses_the_rest() -> None:
    ok = {
        "status": "success",
        "data": {
            "resultType": "vector",
            "result": [
                {"metric": {"site": "a"}, "value": [1.0, "1"]},
                {"metric": {"site": "b"}, "value": [1.0, "NaN"]},
            ],
        },
    }
    got = await PrometheusClient("http://prom", transport=_answer(200, ok)).query("x")
    assert got == [Sample({"site": "a"}, 1.0)]
    bad = {"status": "error", "errorType": "bad_data", "error": "parse error"}
    with pytest.raises(PrometheusError, match="HTTP 400: parse error"):
        await PrometheusClient("http://prom", transport=_answer(400, bad)).query("x(")
    matrix = {"status": "success", "data": {"resultType": "matrix", "result": []}}
    with pytest.raises(PrometheusError, match="not a vector"):
        await PrometheusClient("http://prom", transport=_answer(200, matrix)).query("x[1m]")


RULES = """
groups:
  - name: constants
    interval: 1s
    rules:
      - {record: "edunet:site_up", expr: "vector(1)", labels: {site: "79760012"}}
      - {record: "edunet:site_up", expr: "vector(0)", labels: {site: "79760031"}}
      - record: "edunet:site_probe_loss:ratio"
        expr: "vector(0.5)"
        labels: {site: "79760031", isp: VNPT, medium: metronet}
      - record: "edunet:site_probe_rtt:seconds"
        expr: "vector(0.003)"
        labels: {site: "79760012", isp: VNPT, medium: fiber}
"""


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("the prometheus binary is not installed")
    (tmp_path / "rules.yml").write_text(RULES)
    (tmp_path / "prometheus.yml").write_text(
        "global: {evaluation_interval: 1s}\nrule_files: [rules.yml]\n"
    )
    port = free_tcp_port()
    argv = [
        binary,
        f"--config.file={tmp_path / 'prometheus.yml'}",
        f"--storage.tsdb.path={tmp_path / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    with running(argv, log=subprocess.DEVNULL, cwd=None):
        yield f"http://127.0.0.1:{port}"


@pytest.mark.integration
def test_live_status_from_a_real_prometheus(tmp_path: Path, prometheus: str) -> None:
    deadline = time.monotonic() + 15
    while True:  # until the rules have been evaluated once; bounded by the deadline
        try:
            r = httpx.get(f"{prometheus}/api/v1/query", params={"query": "edunet:site_up"})
            if r.status_code == 200 and len(r.json()["data"]["result"]) == 2:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "prometheus did not evaluate the rules in 15 s"
        time.sleep(0.2)
    (tmp_path / "api").mkdir()
    client = _client(tmp_path / "api", None, prometheus_url=prometheus)
    body = client.get(URL, params={"district": "760"}).json()
    assert body["live"] is True
    rows = _by_code(body)
    assert rows["79760012"]["up"] is True
    assert rows["79760012"]["uplinks"] == [{"isp": "VNPT", "medium": "fiber", "rtt_ms": 3.0}]
    assert rows["79760031"]["up"] is False
    assert rows["79760031"]["uplinks"] == [{"isp": "VNPT", "medium": "metronet", "loss_ratio": 0.5}]
    assert "up" not in rows["PGD-Q1"]
