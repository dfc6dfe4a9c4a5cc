"""What one connection may cost the server: time to send its headers, their size, the body.

uvicorn bounds the size of a request's headers (``h11_max_incomplete_event_size``) and the
idle time between requests (``timeout_keep_alive``), but not the time a client takes to
send its headers: a client dripping one byte a second holds its connection for ever.
:class:`HeaderTimeoutProtocol` closes a connection whose request line and headers are not
all in within :data:`HEADER_TIMEOUT_S` of its first byte (or of connecting).

:class:`BodyLimitMiddleware` bounds the request body by the bytes that actually arrive,
so a chunked body (which has no Content-Length) is held to the same limit as any other.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.problems import problem

log = logging.getLogger("edunet.api.http")

HEADER_TIMEOUT_S = 10.0  # the request line and every header, from the first byte
KEEP_ALIVE_S = 5.0  # an idle connection between two requests
MAX_HEADER_BYTES = 16 * 1024  # the request line and headers together
PROTOCOL = "api.http_limits:HeaderTimeoutProtocol"  # for uvicorn's ``http=``


def uvicorn_limits() -> dict[str, Any]:
    """The keyword arguments of ``uvicorn.run`` that set these limits."""
    return {
        "http": PROTOCOL,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "timeout_keep_alive": KEEP_ALIVE_S,
    }


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on reading each request's headers."""

    header_timeout_s = HEADER_TIMEOUT_S
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a client that connects and says nothing is also held to the deadline

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if data and self._header_timer is None:
                self._arm()  # the first bytes of the next request: its clock starts
        else:
            self._disarm()  # the headers are in

    def on_response_complete(self) -> None:
        self._disarm()  # between requests the keep-alive timeout applies
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        log.warning("closed %s: no complete request headers in %g s", client, self.header_timeout_s)
        self.transport.close()


def _declared_length(scope: Scope) -> tuple[int | None, bool]:
    """(Content-Length, or -1 if unreadable; whether the body is chunked)."""
    length: int | None = None
    chunked = False
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = -1
        elif name == b"transfer-encoding":
            chunked = True
    return length, chunked


class BodyLimitMiddleware:
    """Refuses a request whose body is over ``max_bytes`` with 413, whatever its method and
    however it is sent. A body is read (up to the limit) before the route runs and given
    to it as it came; the answer to a refused one closes the connection, so the rest of an
    oversized upload is never read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length, chunked = _declared_length(scope)
        if length is not None and (length < 0 or length > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        if not chunked and not length:
            await self.app(scope, receive, send)  # no body: nothing to count
            return
        received: list[Message] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                received.append(message)  # the client left: let the route see it
                break
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            received.append(message)
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return received.pop(0) if received else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = problem(
            413,
            f"the request body is limited to {self.max_bytes} bytes",
            headers={"Connection": "close"},
        )
        await answer(scope, receive, send)
