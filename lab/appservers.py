"""The lab's application servers: every application on every one of its VMs' lab addresses.

One asyncio process listens on each VM's translated address and the application's port and
answers as the check kind expects: HTTPS (or HTTP) with a small page, TLS, or a bare TCP
port. Certificates come from a lab CA created on first use (``ca.pem`` in the state
directory); one application's certificate is deliberately near expiry so the expiry alert
has something to show. ``faults.json`` ("applications") turns an application to an error
status or slows it down; a TCP application with an error status stops listening.

    python -m lab.appservers -i inventory.yaml --state-dir .edunet-lab
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from edunet.load import load
from edunet.model import Application, CheckKind, Criticality, Inventory
from edunet.reach import LAB_MAP, AddressMap

__all__ = [
    "CA_FILE",
    "NEAR_EXPIRY_DAYS",
    "Endpoint",
    "command",
    "endpoints",
    "ensure_ca",
    "issue_certificate",
    "main",
    "near_expiry_application",
]

log = logging.getLogger("lab.appservers")

CA_FILE = "ca.pem"
NEAR_EXPIRY_DAYS = 10
VALID_DAYS = 397
FAULTS_POLL_S = 0.5
_HEAD_LIMIT = 16 * 1024


def command(inventory: Path, state_dir: Path, port_offset: int = 0) -> list[str]:
    """The argv the lab starts at ``up`` (and stops at ``down``)."""
    return [
        sys.executable,
        "-m",
        "lab.appservers",
        "-i",
        str(inventory),
        "--state-dir",
        str(state_dir),
        "--port-offset",
        str(port_offset),
    ]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One listener: an application on one VM."""

    application: Application
    vm: str
    address: str  # translated
    port: int
    host: str  # the URL's host: the certificate's name
    tls: bool


def endpoints(inv: Inventory, amap: AddressMap = LAB_MAP, port_offset: int = 0) -> list[Endpoint]:
    """Every application on every VM that answers users; ports moved by ``port_offset``
    where the lab cannot bind the real ones (no root)."""
    out = []
    for app in inv.applications.values():
        url = urlsplit(app.url)
        tls = app.check is CheckKind.tls or (app.check is CheckKind.http and url.scheme == "https")
        for vm in inv.serving_vms(app.code):
            address = str(amap(vm.ip.ip))
            port = app.port + port_offset
            out.append(Endpoint(app, vm.name, address, port, url.hostname or "", tls))
    return out


def near_expiry_application(inv: Inventory) -> str | None:
    """The application served with a certificate near expiry: the first low-criticality one
    on TLS, else the last on TLS."""
    on_tls = [e.application for e in endpoints(inv) if e.tls]
    low = [a for a in on_tls if a.criticality is Criticality.low]
    pick = low[0] if low else (on_tls[-1] if on_tls else None)
    return pick.code if pick else None


# --- certificates (the openssl command line: no extra Python dependency) ---------------------


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=30)


def ensure_ca(state_dir: Path) -> Path:
    """The lab CA in ``state_dir/ca.pem`` (its key beside it, chmod 600); created once."""
    ca, key = state_dir / CA_FILE, state_dir / "ca.key"
    if ca.exists() and key.exists():
        return ca
    state_dir.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(key), "-out", str(ca), "-days", "3650",
        "-subj", "/O=edunet lab/CN=edunet lab CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    key.chmod(0o600)
    return ca


def issue_certificate(state_dir: Path, host: str, days: int) -> tuple[Path, Path]:
    """A server certificate for ``host`` signed by the lab CA, valid ``days`` from now."""
    ca = ensure_ca(state_dir)
    certs = state_dir / "certs"
    certs.mkdir(exist_ok=True)
    cert, key, csr = certs / f"{host}.pem", certs / f"{host}.key", certs / f"{host}.csr"
    _openssl(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(key), "-out", str(csr), "-subj", f"/O=edunet lab/CN={host}",
    )  # fmt: skip
    key.chmod(0o600)
    with tempfile.NamedTemporaryFile("w", suffix=".ext", dir=certs, delete=False) as ext:
        ext.write(
            f"subjectAltName=DNS:{host}\nbasicConstraints=CA:FALSE\n"
            "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
        )
    try:
        _openssl(
            "x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(state_dir / "ca.key"),
            "-set_serial", str(int.from_bytes(os.urandom(8), "big")), "-days", str(days),
            "-out", str(cert), "-extfile", ext.name,
        )  # fmt: skip
    finally:
        os.unlink(ext.name)
        csr.unlink(missing_ok=True)
    return cert, key


# --- faults ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Faults:
    """``faults.json`` "applications", re-read when its mtime changes."""

    path: Path
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)
    _mtime: float | None = None

    def refresh(self) -> bool:
        """Re-read if changed; True when the applications' faults changed."""
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            mtime = None
        if mtime == self._mtime:
            return False
        self._mtime = mtime
        new: dict[str, dict[str, Any]] = {}
        if mtime is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                apps = data.get("applications") or {}
                new = {str(k): dict(v) for k, v in apps.items() if isinstance(v, dict)}
            except (OSError, ValueError, AttributeError) as exc:
                log.warning("faults file unreadable, keeping the previous faults: %s", exc)
                return False
        changed, self.applications = new != self.applications, new
        return changed

    def status(self, code: str) -> int:
        return int(self.applications.get(code, {}).get("status", 200))

    def delay_s(self, code: str) -> float:
        return float(self.applications.get(code, {}).get("delay_ms", 0)) / 1000.0


# --- serving ---------------------------------------------------------------------------------


class AppServers:
    def __init__(
        self, inv: Inventory, state_dir: Path, amap: AddressMap = LAB_MAP, port_offset: int = 0
    ) -> None:
        self.endpoints = endpoints(inv, amap, port_offset)
        self.faults = Faults(state_dir / "faults.json")
        self.state_dir = state_dir
        self.near_expiry = near_expiry_application(inv)
        self.listeners: dict[int, tuple[socket.socket, asyncio.Task[None]]] = {}  # by endpoint
        self.contexts: dict[str, ssl.SSLContext] = {}
        self._connections: set[asyncio.Task[None]] = set()

    def make_certificates(self) -> None:
        for e in self.endpoints:
            if e.tls and e.host not in self.contexts:
                near = e.application.code == self.near_expiry
                cert, key = issue_certificate(
                    self.state_dir, e.host, NEAR_EXPIRY_DAYS if near else VALID_DAYS
                )
                ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                ctx.load_cert_chain(cert, key)
                self.contexts[e.host] = ctx

    # Accepting by hand, not asyncio.start_server: a connection is held as a bare socket
    # while a fault delays it, and only then gets its (TLS) transport, so no byte of the
    # client's hello can be read by a plain stream before the handshake starts.

    def _listen(self, i: int) -> None:
        e = self.endpoints[i]
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((e.address, e.port))
            sock.listen(128)
            sock.setblocking(False)
        except OSError as exc:
            sock.close()
            log.error("%s on %s: cannot listen on %s:%s: %s", e.application.code, e.vm,
                      e.address, e.port, exc)  # fmt: skip
            return
        self.listeners[i] = (sock, asyncio.create_task(self._accept(e, sock)))

    def _close(self, i: int) -> None:
        sock, task = self.listeners.pop(i)
        task.cancel()
        sock.close()

    async def _accept(self, e: Endpoint, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            conn, _ = await loop.sock_accept(sock)
            task = asyncio.create_task(self._serve(e, conn))
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)

    async def _serve(self, e: Endpoint, conn: socket.socket) -> None:
        code, check = e.application.code, e.application.check
        loop = asyncio.get_running_loop()
        writer: asyncio.StreamWriter | None = None
        try:
            async with asyncio.timeout(30):
                status, delay = self.faults.status(code), self.faults.delay_s(code)
                if check is CheckKind.tls and status >= 500:
                    return  # a broken TLS service: the handshake never happens
                if check is not CheckKind.http:
                    await asyncio.sleep(delay)  # slow to accept: before handshake or banner
                reader = asyncio.StreamReader(limit=_HEAD_LIMIT)
                protocol = asyncio.StreamReaderProtocol(reader)
                transport, _ = await loop.connect_accepted_socket(
                    lambda: protocol, conn, ssl=self.contexts[e.host] if e.tls else None
                )
                writer = asyncio.StreamWriter(transport, protocol, reader, loop)
                if check is CheckKind.tcp:
                    writer.write(f"edunet lab {code} {e.vm}\r\n".encode())
                    await writer.drain()
                    return
                await reader.readuntil(b"\r\n\r\n")
                if check is CheckKind.http:
                    await asyncio.sleep(delay)  # slow to answer
                writer.write(_response(e, status))
                await writer.drain()
        except (OSError, ssl.SSLError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                TimeoutError):  # fmt: skip
            pass  # a client that went away is not the server's problem
        finally:
            if writer is not None:
                writer.transport.abort()
            else:
                conn.close()

    def _apply_tcp_faults(self) -> None:
        """A TCP application with an error status refuses connections; cleared, it listens."""
        for i, e in enumerate(self.endpoints):
            if e.application.check is not CheckKind.tcp:
                continue
            down = self.faults.status(e.application.code) >= 500
            if down and i in self.listeners:
                self._close(i)
            elif not down and i not in self.listeners:
                self._listen(i)

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.to_thread(self.make_certificates)
        self.faults.refresh()
        for i, e in enumerate(self.endpoints):
            if (
                e.application.check is not CheckKind.tcp
                or self.faults.status(e.application.code) < 500
            ):
                self._listen(i)
        log.info("listening on %d of %d endpoints", len(self.listeners), len(self.endpoints))
        try:
            while not stop.is_set():
                if self.faults.refresh():
                    log.info("application faults: %s", self.faults.applications or "none")
                    self._apply_tcp_faults()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), FAULTS_POLL_S)
        finally:
            for i in list(self.listeners):
                self._close(i)
            for task in list(self._connections):
                task.cancel()


def _response(e: Endpoint, status: int) -> bytes:
    reason = {200: "OK", 500: "Internal Server Error", 502: "Bad Gateway",
              503: "Service Unavailable", 504: "Gateway Timeout"}.get(status, "Status")  # fmt: skip
    body = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{e.application.name}'
        f"</title></head><body><h1>{e.application.name}</h1><p>{e.vm} ({status})</p></body></html>"
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nServer: edunet-lab\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.appservers", description=__doc__)
    parser.add_argument("-i", "--inventory", type=Path, required=True)
    parser.add_argument(
        "--state-dir", type=Path, default=Path(os.environ.get("EDUNET_LAB_DIR", ".edunet-lab"))
    )
    parser.add_argument("--address-map", default=str(LAB_MAP), help="FROM=TO,... prefixes")
    parser.add_argument("--port-offset", type=int, default=0, help="added to every port")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s appservers %(message)s")
    servers = AppServers(
        load(args.inventory), args.state_dir, AddressMap.parse(args.address_map), args.port_offset
    )

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await servers.run(stop)

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
