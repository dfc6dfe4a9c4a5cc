"""Run the real monitoring stack — Prometheus, Alertmanager, VictoriaMetrics, vmalert — as child
processes on loopback, for tests, the demo and the integration test.

Each start function launches one daemon with its state and log in a directory of its own and
returns a :class:`Service` (not yet waited for: call :meth:`Service.wait_ready`, or use it as a
context manager, which waits on entry and stops on exit); :class:`Stack` keeps several and
stops them together. Only the standard library is used, so the runner needs nothing beyond the
Debian packages ``prometheus``, ``prometheus-alertmanager`` and ``victoria-metrics``.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "Service",
    "Stack",
    "StackError",
    "free_port",
    "get_json",
    "query",
    "reload",
    "start_alertmanager",
    "start_prometheus",
    "start_victoria_metrics",
    "start_vmalert",
    "targets",
]

# binary names → the Debian package that ships them
_PACKAGES = {
    "prometheus": ("prometheus", ("prometheus",)),
    "alertmanager": ("prometheus-alertmanager", ("prometheus-alertmanager", "alertmanager")),
    "victoria-metrics": ("victoria-metrics", ("victoria-metrics", "victoria-metrics-prod")),
    "vmalert": ("victoria-metrics", ("vmalert", "vmalert-prod")),
}


class StackError(RuntimeError):
    """A daemon is missing, did not start in time, or its API answered with an error."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the kernel's pick; racy, but good enough)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def _binary(kind: str) -> str:
    package, names = _PACKAGES[kind]
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    raise StackError(f"{kind} not found on PATH ({' or '.join(names)}): install {package}")


@dataclass
class Service:
    """One running daemon. ``url`` is its HTTP base (``http://127.0.0.1:PORT``)."""

    name: str
    argv: list[str]
    listen: str
    data_dir: Path
    ready_path: str = "/-/ready"
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.listen}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.name}.log"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> Service:
        if self.running:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            # a session of its own: a Ctrl-C in the terminal reaches the test, which stops us
            self.process = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,
            )
        return self

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _fail(self, why: str) -> StackError:
        return StackError(f"{self.name} on {self.listen} {why}; log tail:\n{self.log_tail()}")

    def wait_ready(self, timeout: float = 30.0) -> Service:
        """Poll the readiness endpoint until it answers 200, at most ``timeout`` seconds."""
        if self.process is None:
            self.start()
        deadline = time.monotonic() + timeout
        while True:
            if not self.running:
                code = self.process.returncode if self.process else None
                raise self._fail(f"exited with status {code} before it was ready")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() >= deadline:
                raise self._fail(f"not ready after {timeout:.0f} s")
            time.sleep(0.1)

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds. Returns the exit status."""
        proc = self.process
        if proc is None:
            return None
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                proc.wait(timeout=5)
        return proc.returncode

    def __enter__(self) -> Service:
        try:
            return self.wait_ready()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_prometheus(
    config: Path,
    data_dir: Path,
    listen: str | None = None,
    extra_args: Sequence[str] = (),
) -> Service:
    """Prometheus with ``config``, its TSDB in ``data_dir``; lifecycle API on for reloads."""
    listen = listen or f"127.0.0.1:{free_port()}"
    argv = [
        _binary("prometheus"),
        f"--config.file={Path(config).resolve()}",
        f"--storage.tsdb.path={Path(data_dir).resolve() / 'tsdb'}",
        f"--web.listen-address={listen}",
        "--web.enable-lifecycle",
        "--storage.tsdb.retention.time=1d",
        *extra_args,
    ]
    return Service("prometheus", argv, listen, Path(data_dir)).start()


def start_alertmanager(
    config: Path,
    data_dir: Path,
    listen: str | None = None,
    extra_args: Sequence[str] = (),
) -> Service:
    """Alertmanager with ``config``, clustering off (one instance, no gossip port)."""
    listen = listen or f"127.0.0.1:{free_port()}"
    argv = [
        _binary("alertmanager"),
        f"--config.file={Path(config).resolve()}",
        f"--storage.path={Path(data_dir).resolve() / 'data'}",
        f"--web.listen-address={listen}",
        "--cluster.listen-address=",
        *extra_args,
    ]
    return Service("alertmanager", argv, listen, Path(data_dir)).start()


def start_victoria_metrics(
    data_dir: Path,
    listen: str | None = None,
    extra_args: Sequence[str] = (),
) -> Service:
    """Single-node VictoriaMetrics; fresh samples are visible to queries within a second."""
    listen = listen or f"127.0.0.1:{free_port()}"
    argv = [
        _binary("victoria-metrics"),
        f"-storageDataPath={Path(data_dir).resolve() / 'vmdata'}",
        f"-httpListenAddr={listen}",
        "-retentionPeriod=1d",
        # the default (1 m) hides the newest samples from queries; caches would hide them too
        "-search.latencyOffset=1s",
        "-search.disableCache",
        *extra_args,
    ]
    return Service("victoria-metrics", argv, listen, Path(data_dir), ready_path="/health").start()


def start_vmalert(
    args: Sequence[str],
    data_dir: Path,
    listen: str | None = None,
    extra_args: Sequence[str] = (),
) -> Service:
    """vmalert with ``args`` (its flags, e.g. from :func:`monitors.vmalert.vmalert_argv`, without
    ``-httpListenAddr``), listening on ``listen``; relative rule paths are resolved from
    ``data_dir``, its working directory, so pass absolute ones."""
    listen = listen or f"127.0.0.1:{free_port()}"
    argv = [_binary("vmalert"), *args, f"-httpListenAddr={listen}", *extra_args]
    return Service("vmalert", argv, listen, Path(data_dir), ready_path="/health").start()


def get_json(
    base_url: str, path: str, params: dict[str, str] | None = None, timeout: float = 10.0
) -> Any:
    """GET ``base_url + path`` and decode the JSON body; an API error raises StackError."""
    url = base_url.rstrip("/") + path
    if params:
        url += "?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", errors="replace")[:500]
        raise StackError(f"GET {url}: HTTP {e.code}: {detail}") from e
    except (urllib.error.URLError, OSError) as e:
        raise StackError(f"GET {url}: {e}") from e
    if isinstance(body, dict) and body.get("status") == "error":
        raise StackError(f"GET {url}: {body.get('errorType')}: {body.get('error')}")
    return body


def query(url: str, promql: str, time: float | None = None) -> list[dict[str, Any]]:
    """An instant query (``/api/v1/query``, served alike by Prometheus and VictoriaMetrics):
    the result vector, each item ``{"metric": {...}, "value": [ts, "v"]}``."""
    params = {"query": promql}
    if time is not None:
        params["time"] = f"{time:.3f}"
    body = get_json(url, "/api/v1/query", params)
    data = body["data"]
    if data.get("resultType") in ("scalar", "string"):  # one bare [ts, "v"]: as a vector item
        return [{"metric": {}, "value": data["result"]}]
    result: list[dict[str, Any]] = data["result"]
    return result


def targets(url: str) -> list[dict[str, Any]]:
    """Prometheus' active scrape targets (``/api/v1/targets``)."""
    body = get_json(url, "/api/v1/targets", {"state": "active"})
    active: list[dict[str, Any]] = body["data"]["activeTargets"]
    return active


def reload(service: Service, timeout: float = 10.0) -> None:
    """Make Prometheus or Alertmanager re-read its configuration (``POST /-/reload``)."""
    if service.ready_path != "/-/ready":
        raise StackError(f"{service.name} has no configuration to reload")
    req = urllib.request.Request(service.url + "/-/reload", data=b"", method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", errors="replace")[:500]
        raise StackError(f"{service.name} reload failed: HTTP {e.code}: {detail}") from e
    except (urllib.error.URLError, OSError) as e:
        raise StackError(f"{service.name} reload failed: {e}") from e


class Stack:
    """Several daemons under one directory, each ready when returned, all stopped together
    (``with Stack(dir) as st: prom = st.prometheus(cfg)``)."""

    def __init__(self, base: Path, ready_timeout: float = 30.0) -> None:
        self.base = Path(base)
        self.ready_timeout = ready_timeout
        self.services: list[Service] = []

    def _dir(self, name: str) -> Path:
        path = self.base / f"{name}-{len(self.services)}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _ready(self, service: Service) -> Service:
        self.services.append(service)
        return service.wait_ready(self.ready_timeout)

    def prometheus(
        self, config: Path, listen: str | None = None, extra_args: Sequence[str] = ()
    ) -> Service:
        return self._ready(start_prometheus(config, self._dir("prometheus"), listen, extra_args))

    def alertmanager(
        self, config: Path, listen: str | None = None, extra_args: Sequence[str] = ()
    ) -> Service:
        path = self._dir("alertmanager")
        return self._ready(start_alertmanager(config, path, listen, extra_args))

    def victoria_metrics(
        self, listen: str | None = None, extra_args: Sequence[str] = ()
    ) -> Service:
        path = self._dir("victoria-metrics")
        return self._ready(start_victoria_metrics(path, listen, extra_args))

    def vmalert(
        self, args: Sequence[str], listen: str | None = None, extra_args: Sequence[str] = ()
    ) -> Service:
        return self._ready(start_vmalert(args, self._dir("vmalert"), listen, extra_args))

    def stop(self) -> None:
        """Stop every daemon, the last started first."""
        for service in reversed(self.services):
            service.stop()

    def __enter__(self) -> Stack:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
