"""Free ports on loopback, for servers a test or benchmark starts."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterable

LOOPBACK = "127.0.0.1"


def free_tcp_port(address: str = LOOPBACK) -> int:
    """A TCP port the kernel calls free on ``address`` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((address, 0))
        return int(s.getsockname()[1])


def free_udp_port(address: str = LOOPBACK, above: int = 10000) -> int:
    """A free UDP port on ``address`` above ``above`` (agents must not get a privileged one)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((address, 0))
            port = int(s.getsockname()[1])
        if port > above:
            return port
    raise RuntimeError(f"no free UDP port above {above} on {address}")


def is_free(address: str, port: int, kind: socket.SocketKind = socket.SOCK_STREAM) -> bool:
    """Whether ``port`` can be bound on ``address`` (TCP: a socket in TIME_WAIT does not count)."""
    with socket.socket(socket.AF_INET, kind) as s:
        if kind == socket.SOCK_STREAM:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def free_port_on(
    addresses: Iterable[str],
    kind: socket.SocketKind = socket.SOCK_STREAM,
    low: int = 20000,
    high: int = 60000,
) -> int:
    """One port free on every address of ``addresses`` (a lab listens on one port per device
    address, and another lab may be running beside it)."""
    wanted = list(addresses)
    for _ in range(50):
        port = random.randint(low, high)
        if all(is_free(a, port, kind) for a in wanted):
            return port
    raise RuntimeError(f"no port free on all of {len(wanted)} addresses")
