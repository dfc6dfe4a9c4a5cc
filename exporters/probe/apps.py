"""Application checks: TCP connect, TLS handshake and certificate expiry, HTTP status.

Each check connects to one application VM (translated address) on the application's port,
with SNI and Host set to the URL's host, so the VM is tested directly rather than whatever a
DNS name or a load balancer would pick. A dead application is a result, never an exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Sequence
from pathlib import Path

from edunet.model import CheckKind
from exporters.probe.metrics import AppResult
from exporters.probe.targets import AppTarget

__all__ = ["AppChecker", "check_app", "client_tls_context"]

_MAX_HEAD = 16 * 1024  # enough for any status line and headers we care about


def client_tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """Verify certificates against ``ca_file`` (the lab's CA) or the system's trust store."""
    ctx = ssl.create_default_context(cafile=str(ca_file) if ca_file is not None else None)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


async def check_app(target: AppTarget, tls: ssl.SSLContext, timeout_s: float) -> AppResult:
    """Run one check within ``timeout_s``; failures come back as ``up=False`` with a reason."""
    start = time.perf_counter()
    writer: asyncio.StreamWriter | None = None
    expiry: float | None = None
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(
                str(target.address),
                target.port,
                ssl=tls if target.tls else None,
                server_hostname=target.server_name if target.tls else None,
            )
            if target.tls:
                expiry = _expiry_s(writer)
            if target.check is not CheckKind.http:
                return AppResult(True, time.perf_counter() - start, tls_expiry_s=expiry)
            status = await _http_status(reader, writer, target)
    except TimeoutError:
        return AppResult(False, None, tls_expiry_s=expiry, error="timeout")
    except ssl.SSLCertVerificationError as exc:
        return AppResult(False, None, error=f"certificate: {exc.verify_message}")
    except (OSError, ssl.SSLError, ValueError, EOFError) as exc:
        return AppResult(False, None, tls_expiry_s=expiry, error=_reason(exc))
    finally:
        if writer is not None:
            writer.transport.abort()  # no close_notify dance: the check is over
    latency = time.perf_counter() - start
    return AppResult(200 <= status < 400, latency, status, expiry)


async def _http_status(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, target: AppTarget
) -> int:
    host = target.server_name or str(target.address)
    request = (
        f"GET {target.path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: edunet-prober\r\n"
        "Accept: */*\r\nConnection: close\r\n\r\n"
    )
    writer.write(request.encode("ascii"))
    await writer.drain()
    line = await reader.readline()
    if not line:
        raise EOFError("connection closed before the status line")
    parts = line.decode("latin-1").split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError("not an HTTP response")
    return int(parts[1])


def _expiry_s(writer: asyncio.StreamWriter) -> float | None:
    sslobj = writer.get_extra_info("ssl_object")
    if not isinstance(sslobj, ssl.SSLObject):
        return None
    cert = sslobj.getpeercert()
    not_after = cert.get("notAfter") if cert else None
    if not isinstance(not_after, str):
        return None
    return ssl.cert_time_to_seconds(not_after) - time.time()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, ConnectionResetError):
        return "reset"
    if isinstance(exc, ssl.SSLError):
        return f"tls: {exc.reason or exc}"
    return f"{type(exc).__name__}: {exc}"[:200]


class AppChecker:
    """Check every target each ``interval_s``, at most ``concurrency`` at a time."""

    def __init__(
        self,
        targets: Sequence[AppTarget],
        *,
        ca_file: Path | None = None,
        interval_s: float = 15.0,
        timeout_s: float = 5.0,
        concurrency: int = 32,
    ) -> None:
        self.targets = list(targets)
        self.results: list[AppResult | None] = [None] * len(self.targets)
        self.tls = client_tls_context(ca_file)
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self._limit = asyncio.Semaphore(concurrency)
        self.rounds = 0

    async def check_all(self) -> None:
        async def one(i: int) -> None:
            async with self._limit:
                self.results[i] = await check_app(self.targets[i], self.tls, self.timeout_s)

        await asyncio.gather(*(one(i) for i in range(len(self.targets))))
        self.rounds += 1

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.monotonic()
            await self.check_all()
            wait = max(0.0, self.interval_s - (time.monotonic() - started))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
