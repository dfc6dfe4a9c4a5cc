"""Answer ICMP echo requests after a delay: the latency of an impaired uplink.

Runs inside the uplink's network namespace, where the kernel's own echo replies are
turned off (``net.ipv4.icmp_echo_ignore_all=1``). Each echo request read from a raw
socket becomes an echo reply (same identifier, sequence and payload, fresh checksum)
that waits in a heap until it is due; one loop sends whatever is due and reads whatever
arrived, so a slow reply never holds back the next one.

    python -m lab.icmp_responder --delay-ms 80 --jitter-ms 5 --address 127.17.128.28
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time
from collections.abc import Sequence
from ipaddress import IPv4Address
from types import FrameType

__all__ = ["build_reply", "checksum", "main", "serve"]

ECHO_REPLY = 0
ECHO_REQUEST = 8
SOL_RAW = 255
ICMP_FILTER = 1
MAX_PENDING = 100_000  # replies waiting; beyond that a flood is dropped, not buffered
READ_BURST = 256  # requests read before the loop looks at due replies again


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of ``data``."""
    if len(data) % 2:
        data += b"\x00"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def build_reply(packet: bytes, answer_for: frozenset[IPv4Address] = frozenset()) -> bytes | None:
    """The IPv4 echo reply (header included) for an IPv4 echo request, or None when the
    packet is not an echo request we should answer (other type, fragment, bad length,
    or addressed elsewhere when ``answer_for`` is given)."""
    if len(packet) < 20 or packet[0] >> 4 != 4:
        return None
    ihl = (packet[0] & 0x0F) * 4
    total = struct.unpack_from("!H", packet, 2)[0]
    frag = struct.unpack_from("!H", packet, 6)[0]
    if ihl < 20 or total > len(packet) or total < ihl + 8 or frag & 0x3FFF:
        return None  # truncated, or a fragment: the kernel reassembles before raw delivery
    icmp = packet[ihl:total]
    if icmp[0] != ECHO_REQUEST or icmp[1] != 0:
        return None
    src, dst = packet[12:16], packet[16:20]
    if answer_for and IPv4Address(dst) not in answer_for:
        return None
    body = bytes((ECHO_REPLY, 0, 0, 0)) + icmp[4:]
    body = body[:2] + struct.pack("!H", checksum(body)) + body[4:]
    # IP_HDRINCL: the kernel fills in the total length, the identification and the
    # header checksum; the reply comes from the address that was pinged.
    header = struct.pack("!BBHHHBBH4s4s", 0x45, packet[1], 0, 0, 0, 64, 1, 0, dst, src)
    return header + body


def _open_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    # Only echo requests reach us (the filter's bits are the types to drop).
    sock.setsockopt(SOL_RAW, ICMP_FILTER, struct.pack("I", ~(1 << ECHO_REQUEST) & 0xFFFFFFFF))
    sock.setblocking(False)
    return sock


def serve(
    sock: socket.socket,
    delay_s: float,
    jitter_s: float,
    answer_for: frozenset[IPv4Address] = frozenset(),
    *,
    rng: random.Random | None = None,
) -> None:
    """Answer echo requests on ``sock`` after ``delay_s`` ± ``jitter_s`` (uniform), forever."""
    rng = rng or random.Random()
    due: list[tuple[float, int, bytes, str]] = []
    order = 0  # keeps heap entries with the same due time in arrival order
    while True:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        readable, _, _ = select.select([sock], [], [], timeout)
        if readable:
            for _ in range(READ_BURST):
                try:
                    packet, (peer, _port) = sock.recvfrom(65535)
                except BlockingIOError:
                    break
                reply = build_reply(packet, answer_for)
                if reply is None or len(due) >= MAX_PENDING:
                    continue
                wait = max(0.0, delay_s + rng.uniform(-jitter_s, jitter_s))
                heapq.heappush(due, (time.monotonic() + wait, order, reply, peer))
                order += 1
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, reply, peer = heapq.heappop(due)
            # an unreachable sender loses its reply, as on a real link
            with contextlib.suppress(OSError):
                sock.sendto(reply, (peer, 0))


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--jitter-ms", type=float, default=0.0)
    parser.add_argument(
        "--address",
        action="append",
        type=IPv4Address,
        default=[],
        help="answer only echo requests to this address (repeatable; default: all)",
    )
    parser.add_argument(
        "--ready", action="store_true", help="print 'ready' once the socket is open"
    )
    args = parser.parse_args(argv)
    if args.delay_ms < 0 or args.jitter_ms < 0:
        parser.error("--delay-ms and --jitter-ms must not be negative")
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        sock = _open_socket()
    except PermissionError:
        print("icmp_responder: a raw ICMP socket needs root (CAP_NET_RAW)", file=sys.stderr)
        return 2
    if args.ready:
        print("ready", flush=True)
        # The starter reads one line and closes its end; nothing more goes to stdout.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    serve(sock, args.delay_ms / 1000, args.jitter_ms / 1000, frozenset(args.address))
    return 0


if __name__ == "__main__":
    sys.exit(main())
