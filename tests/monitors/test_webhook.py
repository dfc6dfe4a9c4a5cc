"""The webhook receiver alone: Alertmanager-style notifications in, one line per alert out,
everything kept and served back as JSON."""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from support.ports import free_tcp_port as free_port

from monitors.webhook import WebhookServer, WebhookSink, alert_line, main, serve_webhook

# the shape Alertmanager 0.25 posts (version 4), trimmed to what matters
PAYLOAD: dict[str, Any] = {
    "receiver": "noc-q1",
    "status": "firing",
    "alerts": [
        {
            "status": "firing",
            "labels": {
                "alertname": "EdunetSiteUnreachable",
                "severity": "critical",
                "site": "PGD-Q1",
                "site_name": "Phòng Giáo dục và Đào tạo Quận 1",
                "district_code": "760",
                "site_kind": "district_office",
                "schools_cut_off": "2",
            },
            "annotations": {
                "summary": "Mất kết nối Phòng Giáo dục và Đào tạo Quận 1 — cắt kết nối 2 trường",
                "summary_en": "PGD-Q1 unreachable — cuts off 2 schools",
            },
            "startsAt": "2025-01-06T07:00:00.000Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://127.0.0.1:9090/graph",
            "fingerprint": "3b1f0a0c2d4e5f60",
        },
        {
            "status": "resolved",
            "labels": {"alertname": "EdunetAppDown", "severity": "critical", "application": "qlgd"},
            "annotations": {"summary_en": "application qlgd is down"},
            "startsAt": "2025-01-06T06:00:00.000Z",
            "endsAt": "2025-01-06T06:30:00.000Z",
            "fingerprint": "aa00bb11cc22dd33",
        },
    ],
    "groupLabels": {"alertname": "EdunetSiteUnreachable"},
    "commonLabels": {"severity": "critical"},
    "commonAnnotations": {},
    "externalURL": "http://127.0.0.1:9093",
    "version": "4",
    "groupKey": '{}/{district_code="760"}:{alertname="EdunetSiteUnreachable"}',
    "truncatedAlerts": 0,
}


@pytest.fixture
def receiver() -> Iterator[tuple[WebhookServer, io.StringIO]]:
    out = io.StringIO()
    server, thread = serve_webhook("127.0.0.1:0", out)
    try:
        yield server, out
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _post(url: str, body: bytes) -> tuple[int, Any]:
    req = urllib.request.Request(url, data=body, method="POST")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as resp:
        assert resp.status == 200
        return json.loads(resp.read().decode("utf-8"))


def test_alert_line_is_one_human_line() -> None:
    line = alert_line("noc-q1", PAYLOAD["alerts"][0])
    assert line == (
        "[noc-q1] FIRING EdunetSiteUnreachable critical Phòng Giáo dục và Đào tạo Quận 1"
        " — Mất kết nối Phòng Giáo dục và Đào tạo Quận 1 — cắt kết nối 2 trường"
    )
    # no site: the application; no Vietnamese summary: the English one
    assert alert_line("datacenter", PAYLOAD["alerts"][1]) == (
        "[datacenter] RESOLVED EdunetAppDown critical qlgd — application qlgd is down"
    )
    assert alert_line("city-noc", {}) == "[city-noc] ? ? - -"


def test_post_is_printed_stored_and_served(receiver: tuple[WebhookServer, io.StringIO]) -> None:
    server, out = receiver
    body = json.dumps(PAYLOAD, ensure_ascii=False).encode("utf-8")
    assert _post(f"{server.url}/alerts/noc-q1", body) == (200, {"status": "ok"})
    assert _post(f"{server.url}/alerts/city-noc/", body)[0] == 200
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("[noc-q1] FIRING EdunetSiteUnreachable critical Phòng")
    assert lines[1].startswith("[noc-q1] RESOLVED EdunetAppDown")
    assert lines[2].startswith("[city-noc] FIRING")

    sink = server.sink
    assert [n.receiver for n in sink.notifications()] == ["noc-q1", "city-noc"]
    assert [a["labels"]["alertname"] for a in sink.alerts("noc-q1")] == [
        "EdunetSiteUnreachable",
        "EdunetAppDown",
    ]
    assert {a["receiver"] for a in sink.alerts()} == {"noc-q1", "city-noc"}

    served = _get(server.url + "/")
    assert [n["receiver"] for n in served] == ["noc-q1", "city-noc"]
    assert served[0]["payload"] == PAYLOAD  # Vietnamese survives the round trip
    only = _get(server.url + "/?receiver=city-noc")
    assert [n["receiver"] for n in only] == ["city-noc"]


def test_bad_requests_are_refused(receiver: tuple[WebhookServer, io.StringIO]) -> None:
    server, out = receiver
    assert _post(f"{server.url}/noc-q1", b"{not json")[0] == 400
    assert _post(f"{server.url}/noc-q1", b"[1, 2]")[0] == 400
    assert _post(f"{server.url}/", b"{}")[0] == 400  # no receiver in the path
    assert server.sink.notifications() == []
    assert out.getvalue() == ""


def test_wait_for_is_bounded_and_wakes_on_arrival() -> None:
    sink = WebhookSink()
    t0 = time.monotonic()
    assert sink.wait_for(lambda seen: bool(seen), timeout=0.3) is False
    assert 0.25 <= time.monotonic() - t0 < 2

    timer = threading.Timer(0.2, sink.add, args=("noc-q1", PAYLOAD))
    timer.start()
    try:
        t0 = time.monotonic()
        assert sink.wait_for(lambda seen: len(seen) == 2, timeout=5) is True
        assert time.monotonic() - t0 < 1.5  # woken by the arrival, not by the timeout
    finally:
        timer.join()


def test_memory_is_bounded() -> None:
    sink = WebhookSink(keep=3)
    for i in range(5):
        sink.add(f"noc-{i}", {"alerts": []})
    assert [n.receiver for n in sink.notifications()] == ["noc-2", "noc-3", "noc-4"]
    sink.clear()
    assert sink.alerts() == []


def test_listen_address_is_checked() -> None:
    with pytest.raises(ValueError, match="HOST:PORT"):
        serve_webhook("9095")


def test_main_serves_until_stopped() -> None:
    out = io.StringIO()
    stop = threading.Event()
    port = free_port()
    runner = threading.Thread(target=main, args=(f"127.0.0.1:{port}", out, stop), daemon=True)
    runner.start()
    try:
        deadline = time.monotonic() + 5
        while "webhook receiver on" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        body = json.dumps(PAYLOAD).encode()
        assert _post(f"http://127.0.0.1:{port}/alerts/noc-q1", body)[0] == 200
        assert "[noc-q1] FIRING EdunetSiteUnreachable" in out.getvalue()
    finally:
        stop.set()
        runner.join(5)
    assert not runner.is_alive()
