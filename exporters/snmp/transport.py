"""pysnmp's UDP transport for the shared socket, with what Linux does with ICMP errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from pysnmp.carrier.asyncio.dgram import udp

__all__ = ["Address", "Session", "UdpTransport", "peer"]

Address = tuple[str, int]


class Session(Protocol):
    """What the transport calls back: see ``exporters.snmp.session``."""

    def socket_error(self, exc: OSError, sending: Address | None = None) -> bool: ...

    def tune_socket(self) -> None: ...

    @property
    def direct(self) -> Direct | None: ...


class Direct(Protocol):
    """The direct path (``exporters.snmp.fastpath.direct``): answers it takes are its own."""

    def receive(self, datagram: bytes, address: Any) -> bool: ...


class UdpTransport(udp.UdpAsyncioTransport):  # type: ignore[misc]
    """pysnmp's UDP transport plus the ICMP errors of the shared socket.

    Linux hands an ICMP error (an address's port unreachable) to the next operation on the
    socket. A sendto that meets one sends nothing: every message, pysnmp's own (a request
    after SNMPv3 engine discovery) as ours, is sent once more then. A read that meets one
    leaves the datagrams queued: the session reads them at once, or a
    stream of errors (a sweep of empty addresses) would hold every answer back."""

    session: Session | None = None
    _sending = False
    _failed: OSError | None = None

    def send_message(self, message: Any, address: Any) -> None:
        self._send(lambda: super(UdpTransport, self).send_message(message, address), address)

    def send_datagram(self, wire: bytes, address: Address) -> None:
        """A message the direct path built, on the same socket, with the same second chance."""
        socket_transport = self.transport
        if socket_transport is not None:
            self._send(lambda: socket_transport.sendto(wire, address), address)

    def _send(self, send: Callable[[], None], address: Any) -> None:
        for _ in range(2):
            self._sending, self._failed = True, None
            try:
                send()
            finally:
                self._sending = False
            failed = self._failed
            if failed is None or self.session is None:
                return
            if not self.session.socket_error(failed, peer(address)):
                return  # the error was this send's own (no route): nothing to send again

    def connection_made(self, transport: asyncio.DatagramTransport) -> None:
        # what was sent before the socket existed goes out as every other message does
        queued: list[tuple[Any, Any]] = list(self._writeQ)
        self._writeQ: list[tuple[Any, Any]] = []
        super().connection_made(transport)
        if self.session is not None:
            self.session.tune_socket()
        for message, address in queued:
            self.send_message(message, address)

    def datagram_received(self, datagram: bytes, address: Any) -> None:
        direct = self.session.direct if self.session is not None else None
        if direct is None or not direct.receive(datagram, address):
            super().datagram_received(datagram, address)

    def error_received(self, exc: OSError) -> None:
        if self._sending:
            self._failed = exc
        elif self.session is not None:
            self.session.socket_error(exc)


def peer(address: Any) -> Address | None:
    """A pysnmp transport address as (host, port); None when it is not one."""
    try:
        host, port = tuple(address)[:2]
    except (TypeError, ValueError):
        return None
    return str(host), int(port)
