"""``/docs`` and ``/redoc`` render in a headless browser with the network closed: every
request that is not to loopback goes to a recording proxy that answers none of them."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_harness import SMALL
from support.ports import free_tcp_port
from support.processes import running
from support.ready import wait_http

from api.auth import Scope, create_token

EDUNET = [sys.executable, "-m", "edunet"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The browser's own calls home (updates, sign-in), which no flag fully silences; never a
# page's: Swagger UI and ReDoc from a CDN would ask cdn.jsdelivr.net, fonts.googleapis.com,
# cdn.redoc.ly or validator.swagger.io, and those count.
BROWSER_OWN = ("update.googleapis.com", "accounts.google.com", "clients2.google.com")

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class ClosedNetwork:
    """A proxy on loopback that records each request's first line and closes it unanswered:
    the browser's only way out, so whatever tried to leave is listed here."""

    def __init__(self) -> None:
        self.port = free_tcp_port()
        self.requests: list[str] = []
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0]
                except OSError:
                    first = b"(nothing)"
                self.requests.append(first.decode("latin-1"))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._server.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_bytes(SMALL.read_bytes())
    tokens = tmp_path / "tokens.yaml"
    create_token(tokens, [Scope.inventory_read], name="noc")
    port = free_tcp_port()
    log = tmp_path / "api.log"
    argv = [*EDUNET, "api", "serve", "-i", str(inventory), "--tokens-file", str(tokens)]
    with running([*argv, "--port", str(port)], log=log, cwd=tmp_path) as proc:
        wait_http(f"http://127.0.0.1:{port}/health", 60, proc=proc, log=log)
        yield f"http://127.0.0.1:{port}"


def _rendered(url: str, tmp: Path, proxy_port: int) -> str:
    """The page's DOM after its scripts ran (a virtual-time budget, so no fixed sleep)."""
    assert CHROMIUM is not None, "no chromium: scripts/bootstrap-system.sh (make) installs it"
    argv = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        # the browser's own calls home, so that only the page's requests remain to count
        "--disable-breakpad",
        "--disable-client-side-phishing-detection",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-component-extensions-with-background-pages",
        "--disable-domain-reliability",
        "--no-pings",
        "--metrics-recording-only",
        "--password-store=basic",
        "--use-mock-keychain",
        "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter,"
        "AutofillServerCommunication,SignInProfileCreation,ChromeSignin,AccountConsistency",
        f"--user-data-dir={tmp}",
        # every host but loopback through the closed network (loopback bypasses proxies)
        f"--proxy-server=http://127.0.0.1:{proxy_port}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        url,
    ]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_docs_and_redoc_render_with_the_network_closed(served: str, tmp_path: Path) -> None:
    network = ClosedNetwork()
    try:
        swagger = _rendered(f"{served}/docs", tmp_path / "swagger-profile", network.port)
        redoc = _rendered(f"{served}/redoc", tmp_path / "redoc-profile", network.port)
    finally:
        network.close()
    # Swagger UI: an operation block per route, the API's title rendered
    assert swagger.count('class="opblock ') >= 10, swagger[:2000]
    assert "/api/v1/sites" in swagger and "edunet API" in swagger
    # ReDoc: the title as its heading, the operations in the side menu
    assert "<h1" in redoc and "edunet API" in redoc, redoc[:2000]
    assert "Service health" in redoc and "api-content" in redoc
    left = [r for r in network.requests if not any(host in r for host in BROWSER_OWN)]
    assert left == [], f"the pages asked for more than loopback: {left}"
