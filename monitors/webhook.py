"""A small Alertmanager webhook receiver: what a NOC's chat bot or ticket system would get,
printed one line per alert and kept in memory for the demo and the tests.

Alertmanager posts its webhook JSON (version 4) to ``<webhook_url>/<receiver>``; the last part
of the path names the receiver, so one listener serves every receiver of the configuration.
``GET /`` (any path; ``?receiver=NAME`` filters) answers the notifications kept, as JSON.
Standard library only.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "MAX_BODY",
    "MAX_NOTIFICATIONS",
    "Notification",
    "WebhookServer",
    "WebhookSink",
    "alert_line",
    "main",
    "serve_webhook",
]

MAX_BODY = 8 * 1024 * 1024  # a group of a few thousand alerts still fits
MAX_NOTIFICATIONS = 10_000  # a long demo keeps the newest; memory stays bounded


@dataclass(frozen=True, slots=True)
class Notification:
    """One webhook call: the receiver (from the path), when it arrived, Alertmanager's body."""

    receiver: str
    received_at: float  # unix time
    payload: dict[str, Any]

    @property
    def alerts(self) -> list[dict[str, Any]]:
        alerts = self.payload.get("alerts")
        return [a for a in alerts if isinstance(a, dict)] if isinstance(alerts, list) else []


def alert_line(receiver: str, alert: dict[str, Any]) -> str:
    """``[noc-q1] FIRING EdunetSiteUnreachable critical Phòng Giáo dục … — summary``."""
    labels = alert.get("labels") or {}
    notes = alert.get("annotations") or {}
    status = str(alert.get("status", "?")).upper()
    name = labels.get("alertname", "?")
    severity = labels.get("severity", "-")
    where = labels.get("site_name") or labels.get("site") or labels.get("application") or "-"
    summary = notes.get("summary") or notes.get("summary_en") or ""
    line = f"[{receiver}] {status} {name} {severity} {where}"
    return f"{line} — {summary}" if summary else line


class WebhookSink:
    """The notifications received so far (thread-safe), optionally echoed to a stream."""

    def __init__(self, out: TextIO | None = None, keep: int = MAX_NOTIFICATIONS) -> None:
        self._out = out
        self._notifications: deque[Notification] = deque(maxlen=keep)
        self._changed = threading.Condition()

    def add(self, receiver: str, payload: dict[str, Any]) -> Notification:
        note = Notification(receiver, time.time(), payload)
        with self._changed:
            self._notifications.append(note)
            if self._out is not None:
                for alert in note.alerts:
                    self._out.write(alert_line(receiver, alert) + "\n")
                self._out.flush()
            self._changed.notify_all()
        return note

    def notifications(self, receiver: str | None = None) -> list[Notification]:
        with self._changed:
            return [n for n in self._notifications if receiver is None or n.receiver == receiver]

    def alerts(self, receiver: str | None = None) -> list[dict[str, Any]]:
        """Every alert received, in order, each with the ``receiver`` it was sent to."""
        return [
            {**alert, "receiver": n.receiver}
            for n in self.notifications(receiver)
            for alert in n.alerts
        ]

    def wait_for(self, predicate: Callable[[list[dict[str, Any]]], bool], timeout: float) -> bool:
        """Wait until ``predicate(self.alerts())`` holds, at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if predicate(self.alerts()):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 1.0))

    def clear(self) -> None:
        with self._changed:
            self._notifications.clear()

    def to_json(self, receiver: str | None = None) -> list[dict[str, Any]]:
        return [asdict(n) for n in self.notifications(receiver)]


class WebhookServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that hands what it receives to its :class:`WebhookSink`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], sink: WebhookSink) -> None:
        super().__init__(address, _Handler)
        self.sink = sink

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: WebhookServer
    protocol_version = "HTTP/1.1"  # keep-alive, as Alertmanager's client expects

    def _answer(self, code: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        receiver = urlsplit(self.path).path.rstrip("/").rsplit("/", 1)[-1]
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._answer(413, {"error": "missing or oversized body"})
            return
        try:
            payload = json.loads(self.rfile.read(length) or b"null")
        except (UnicodeDecodeError, json.JSONDecodeError):
            self._answer(400, {"error": "body is not JSON"})
            return
        if not receiver or not isinstance(payload, dict):
            self._answer(400, {"error": "POST /<receiver> with Alertmanager's webhook JSON"})
            return
        self.server.sink.add(receiver, payload)
        self._answer(200, {"status": "ok"})

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        receiver = query.get("receiver", [None])[0]
        self._answer(200, self.server.sink.to_json(receiver))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per alert is printed by the sink; no access log


def _address(listen: str) -> tuple[str, int]:
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"listen address {listen!r}: write HOST:PORT, e.g. 127.0.0.1:9095")
    return host.strip("[]") or "127.0.0.1", int(port)


def serve_webhook(listen: str, out: TextIO | None = None) -> tuple[WebhookServer, threading.Thread]:
    """Start a receiver on ``listen`` (``HOST:PORT``; port 0 picks one) in a daemon thread.
    Stop it with ``server.shutdown(); server.server_close()``."""
    server = WebhookServer(_address(listen), WebhookSink(out))
    thread = threading.Thread(target=server.serve_forever, name="webhook", daemon=True)
    thread.start()
    return server, thread


def main(
    listen: str = "127.0.0.1:9095",
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Run the receiver in the foreground until interrupted, or until ``stop`` is set (the
    CLI's ``monitors webhook``)."""
    stream = out if out is not None else sys.stdout
    server, thread = serve_webhook(listen, stream)
    stream.write(f"webhook receiver on {server.url}/<receiver> (GET / lists what came)\n")
    stream.flush()
    try:
        while thread.is_alive() and not (stop is not None and stop.is_set()):
            thread.join(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
