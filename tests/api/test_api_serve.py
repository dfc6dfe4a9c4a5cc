"""``edunet api serve`` for real: uvicorn on loopback, the README's query, SIGHUP reload,
a broken inventory kept out, and an access log that never carries the token."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.ports import free_tcp_port
from support.processes import running, stop
from support.ready import wait_http

from api.auth import Scope, create_token

ROOT = Path(__file__).parent.parent.parent
EDUNET = [sys.executable, "-m", "edunet"]

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _until(check: object, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, Path, Path, subprocess.Popen[bytes]]]:
    inventory = tmp_path / "inventory.yaml"
    shutil.copy(ROOT / "inventory.yaml", inventory)
    tokens = tmp_path / "tokens.yaml"
    token = create_token(tokens, [Scope.inventory_read, Scope.topology_read], name="portal")
    port = free_tcp_port()
    log = tmp_path / "api.log"
    env = os.environ | {"EDUNET_API_RELOAD_INTERVAL_S": "0"}  # reload on SIGHUP only
    argv = [*EDUNET, "api", "serve", "-i", str(inventory), "--tokens-file", str(tokens)]
    base = f"http://127.0.0.1:{port}"
    with running([*argv, "--port", str(port)], log=log, cwd=tmp_path, env=env) as proc:
        wait_http(f"{base}/health", 60, proc=proc, log=log, status=None)
        yield base, token, inventory, log, proc


def test_serve_answers_reloads_on_sighup_and_keeps_the_last_good(
    served: tuple[str, str, Path, Path, subprocess.Popen[bytes]],
) -> None:
    base, token, inventory, log, proc = served
    h = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=h, timeout=10) as c:
        impact = c.get("/api/v1/topology/impact/PGD-Q1")
        assert impact.status_code == 200, impact.text
        assert impact.json()["schools_cut"] > 0
        assert c.get("/api/v1/procurement/summary").status_code == 403  # no such scope
        assert httpx.get(f"{base}/api/v1/sites", timeout=10).status_code == 401
        first = c.get("/health").json()

        # a valid change, then SIGHUP: the new snapshot serves
        text = inventory.read_text(encoding="utf-8")
        inventory.write_text(text + "\n# touched\n", encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        _until(lambda: c.get("/health").json()["reloads"] == first["reloads"] + 1)
        second = c.get("/health").json()
        assert second["etag"] != first["etag"] and second["status"] == "ok"

        # a broken one: the last good keeps serving, and health says why
        inventory.write_text(text.replace("kind: datacenter", "kind: spaceport", 1), "utf-8")
        proc.send_signal(signal.SIGHUP)
        _until(lambda: c.get("/health").json()["status"] == "degraded")
        health = c.get("/health").json()
        assert health["etag"] == second["etag"] and "spaceport" in health["last_reload_error"]
        assert c.get("/api/v1/topology/impact/PGD-Q1").json() == impact.json()
        assert "edunet_api_reload_failing 1.0" in c.get("/metrics").text
    assert proc.poll() is None
    secret = token.split("_", 2)[2]
    assert secret not in log.read_text(encoding="utf-8", errors="replace")


def test_serve_writes_one_json_access_line_per_request_to_stderr(tmp_path: Path) -> None:
    """As docs/api.md promises: logger ``edunet.api.access``, one JSON object a line, with
    the token's id and never the token."""
    inventory = tmp_path / "inventory.yaml"
    shutil.copy(ROOT / "inventory.yaml", inventory)
    tokens = tmp_path / "tokens.yaml"
    token = create_token(tokens, [Scope.inventory_read], name="portal")
    token_id, secret = token.split("_", 2)[1:]
    port = free_tcp_port()
    base = f"http://127.0.0.1:{port}"
    argv = [*EDUNET, "api", "serve", "-i", str(inventory), "--tokens-file", str(tokens)]
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(
            [*argv, "--port", str(port)], cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=o, stderr=e
        )
    try:
        wait_http(f"{base}/health", 60, proc=proc, log=err, status=None)
        h = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{base}/api/v1/sites/TTDL", headers=h, timeout=10).status_code == 200
        assert httpx.get(f"{base}/api/v1/sites", timeout=10).status_code == 401

        def lines() -> list[dict[str, object]]:
            text = err.read_text(encoding="utf-8", errors="replace")
            return [json.loads(x) for x in text.splitlines() if x.startswith("{")]

        _until(lambda: any(r.get("status") == 401 for r in lines()))
    finally:
        stop(proc, 10)
    logged = {(r["route"], r["status"]): r for r in lines()}
    ok = logged[("/api/v1/sites/{code}", 200)]
    assert ok["method"] == "GET" and ok["path"] == "/api/v1/sites/TTDL"
    assert ok["token"] == token_id and ok["client"] == "127.0.0.1"
    assert logged[("/api/v1/sites", 401)]["token"] is None
    assert secret not in err.read_text(encoding="utf-8") + out.read_text(encoding="utf-8")
    assert "{" not in out.read_text(encoding="utf-8")  # stdout stays free of the log
