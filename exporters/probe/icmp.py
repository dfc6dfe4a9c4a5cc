"""The ICMP engine: one socket, one receive loop, echo requests spread evenly over time.

Every target gets ``packets`` echo requests per ``interval_s``; the sends of all targets are
interleaved on one timeline (slot ``j`` goes to target ``j % n`` at ``t0 + j * spacing``), so
the load is smooth and no target sees a burst. Replies are matched by identifier and
sequence number and timed with the kernel's receive timestamp (SO_TIMESTAMPNS), so a busy
event loop delays the bookkeeping, not the measurement.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import socket
import struct
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Protocol

__all__ = [
    "ECHO_REPLY",
    "ECHO_REQUEST",
    "Echo",
    "EchoSink",
    "EngineStats",
    "IcmpProber",
    "build_echo",
    "checksum",
    "open_icmp_socket",
    "parse_echo",
]

ECHO_REPLY = 0
ECHO_REQUEST = 8
_UNREACHABLE, _TIME_EXCEEDED = 3, 11
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # not exported by every Python build
_SOL_RAW, _ICMP_FILTER = 255, 1
_HEADER = struct.Struct("!BBHHH")
_COOKIE = struct.Struct("!II")  # target index, engine cookie: rejects stray replies
_TIMESPEC = struct.Struct("@qq")
_instances = itertools.count()


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of ``data``."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    return _fold(total)


def _fold(total: int) -> int:
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def build_echo(ident: int, seq: int, payload: bytes) -> bytes:
    """An ICMP echo request with its checksum filled in."""
    header = _HEADER.pack(ECHO_REQUEST, 0, 0, ident, seq)
    return _HEADER.pack(ECHO_REQUEST, 0, checksum(header + payload), ident, seq) + payload


@dataclass(frozen=True, slots=True)
class Echo:
    type: int
    code: int
    ident: int
    seq: int
    payload: bytes


def parse_echo(packet: bytes, *, ip_header: bool) -> Echo | None:
    """Parse an ICMP message (after the IPv4 header when ``ip_header``); None if too short
    or the checksum is wrong."""
    if ip_header:
        if len(packet) < 20:
            return None
        packet = packet[(packet[0] & 0x0F) * 4 :]
    if len(packet) < _HEADER.size or checksum(packet) != 0:
        return None
    kind, code, _, ident, seq = _HEADER.unpack_from(packet)
    return Echo(kind, code, ident, seq, packet[_HEADER.size :])


class EchoSink(Protocol):
    """Where the engine reports each target's packets (by target index)."""

    def on_sent(self, target: int) -> None: ...
    def on_reply(self, target: int, rtt_s: float) -> None: ...
    def on_lost(self, target: int) -> None: ...


@dataclass(slots=True)
class EngineStats:
    socket_kind: str = ""  # "raw" or "dgram"
    sent: int = 0
    received: int = 0
    send_errors: int = 0
    stray: int = 0  # replies that matched nothing (late, foreign, duplicated)
    skipped: int = 0  # slots dropped after a stall instead of sent in a burst
    loop_lag_s: float = 0.0  # how late the sender woke, last time
    loop_lag_max_s: float = 0.0


def open_icmp_socket() -> tuple[socket.socket, str]:
    """A raw ICMP socket (root) or an unprivileged ICMP datagram socket (ping_group_range)."""
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        kind = "raw"
        # only echo replies and errors reach us, not the echo requests we see on loopback
        allowed = (1 << ECHO_REPLY) | (1 << _UNREACHABLE) | (1 << _TIME_EXCEEDED)
        sock.setsockopt(_SOL_RAW, _ICMP_FILTER, struct.pack("I", ~allowed & 0xFFFFFFFF))
    except PermissionError:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
        kind = "dgram"
    sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.setblocking(False)
    return sock, kind


class IcmpProber:
    """Probe ``addresses`` (already translated) forever; report to ``sink`` by index."""

    def __init__(
        self,
        addresses: Sequence[IPv4Address],
        sink: EchoSink,
        *,
        interval_s: float = 1.0,
        packets: int = 1,
        timeout_s: float = 1.0,
        payload_size: int = 56,
        min_tick_s: float = 0.002,
    ) -> None:
        if not addresses:
            raise ValueError("nothing to probe")
        if interval_s <= 0 or packets < 1 or timeout_s <= 0:
            raise ValueError("interval, packets and timeout must be positive")
        self.addresses = [(str(a), 0) for a in addresses]
        self.sink = sink
        self.interval_s = interval_s
        self.packets = packets
        self.timeout_s = timeout_s
        self.spacing_s = interval_s / (len(addresses) * packets)
        self.min_tick_s = min_tick_s
        self.stats = EngineStats()
        self.ident = (os.getpid() + 7919 * next(_instances)) & 0xFFFF
        self._cookie = int.from_bytes(os.urandom(4), "big")
        pad = b"\0" * max(0, payload_size - _COOKIE.size)
        self._payloads = [_COOKIE.pack(i, self._cookie) + pad for i in range(len(addresses))]
        self._seq = 0
        self._pending: dict[int, tuple[int, int]] = {}  # seq -> (target, send time ns)
        self._deadlines: deque[tuple[float, int, int]] = deque()  # (deadline, seq, send ns)
        self._sock: socket.socket | None = None

    # --- sending -----------------------------------------------------------------------

    def _send(self, target: int) -> None:
        assert self._sock is not None
        seq = self._seq = (self._seq + 1) & 0xFFFF
        old = self._pending.pop(seq, None)
        if old is not None:  # the sequence space wrapped while it was in flight
            self.sink.on_lost(old[0])
        packet = build_echo(self.ident, seq, self._payloads[target])
        sent_ns = time.time_ns()  # the kernel stamps the reply on the same (real-time) clock
        self.sink.on_sent(target)
        self.stats.sent += 1
        try:
            self._sock.sendto(packet, self.addresses[target])
        except OSError:
            # a refused send (firewall, no route) is a lost probe, not a crash
            self.stats.send_errors += 1
            self.sink.on_lost(target)
            return
        self._pending[seq] = (target, sent_ns)
        self._deadlines.append((time.monotonic() + self.timeout_s, seq, sent_ns))

    def _expire(self, now: float) -> None:
        deadlines, pending = self._deadlines, self._pending
        while deadlines and deadlines[0][0] <= now:
            _, seq, sent_ns = deadlines.popleft()
            entry = pending.get(seq)
            if entry is not None and entry[1] == sent_ns:
                del pending[seq]
                self.sink.on_lost(entry[0])

    # --- receiving ---------------------------------------------------------------------

    def _on_readable(self) -> None:
        sock = self._sock
        assert sock is not None
        ip_header = self.stats.socket_kind == "raw"
        for _ in range(4096):  # bounded: let the sender run even under a flood
            try:
                data, ancdata, _, _ = sock.recvmsg(2048, 64)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            rx_ns = _kernel_time_ns(ancdata)
            self._on_packet(data, ip_header, rx_ns)

    def _on_packet(self, data: bytes, ip_header: bool, rx_ns: int) -> None:
        echo = parse_echo(data, ip_header=ip_header)
        if echo is None or echo.type != ECHO_REPLY:
            return
        if echo.ident != self.ident and self.stats.socket_kind == "raw":
            return  # another program's ping
        entry = self._pending.get(echo.seq)
        if entry is None or len(echo.payload) < _COOKIE.size:
            self.stats.stray += 1
            return
        target, cookie = _COOKIE.unpack_from(echo.payload)
        if cookie != self._cookie or target != entry[0]:
            self.stats.stray += 1
            return
        del self._pending[echo.seq]
        self.stats.received += 1
        self.sink.on_reply(target, max(0, rx_ns - entry[1]) / 1e9)

    # --- the loop ------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Send and receive until ``stop`` is set; the socket is closed on the way out."""
        loop = asyncio.get_running_loop()
        sock, kind = open_icmp_socket()
        if kind == "dgram":
            sock.bind(("0.0.0.0", 0))
            self.ident = sock.getsockname()[1]  # the kernel rewrites the identifier to this
        self._sock, self.stats.socket_kind = sock, kind
        loop.add_reader(sock.fileno(), self._on_readable)
        n = len(self.addresses)
        try:
            t0 = time.monotonic()
            slot = 0
            while not stop.is_set():
                now = time.monotonic()
                due = int((now - t0) / self.spacing_s) + 1
                if due - slot > n:  # a stall: skip the backlog rather than burst it out
                    self.stats.skipped += due - slot - n
                    slot = due - n
                for j in range(slot, due):
                    self._send(j % n)
                slot = due
                self._expire(now)
                wake = t0 + slot * self.spacing_s
                delay = max(wake - time.monotonic(), self.min_tick_s)
                if delay > 0.05:  # long gaps (few targets): wake at once on stop
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), delay)
                else:
                    await asyncio.sleep(delay)
                lag = max(0.0, time.monotonic() - (now + delay))
                self.stats.loop_lag_s = lag
                self.stats.loop_lag_max_s = max(self.stats.loop_lag_max_s, lag)
        finally:
            loop.remove_reader(sock.fileno())
            sock.close()
            self._sock = None


def _kernel_time_ns(ancdata: list[tuple[int, int, bytes]]) -> int:
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = _TIMESPEC.unpack_from(data)
            return int(sec * 1_000_000_000 + nsec)
    return time.time_ns()  # no stamp: the late clock is still better than nothing
