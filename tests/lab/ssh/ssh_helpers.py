"""Shared bits of the lab SSH tests: free ports, netmiko sessions, bounded waits."""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable
from typing import Any

LOGIN_ENV = {
    "EDUNET_SSH_NETOPS_USER": "netops-test",
    "EDUNET_SSH_NETOPS_PASSWORD": "pw-test-1",
    "EDUNET_SSH_NETOPS_ENABLE": "en-test-1",
}


def tcp_free(address: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def free_port(addresses: list[str], low: int = 20000, high: int = 50000) -> int:
    for _ in range(50):
        port = random.randint(low, high)
        if all(tcp_free(a, port) for a in addresses):
            return port
    raise RuntimeError("no free TCP port found")


def refused(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True


def wait_for(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def connect(host: str, port: int, user: str, password: str, secret: str) -> Any:
    from netmiko import ConnectHandler

    return ConnectHandler(
        device_type="cisco_ios",
        host=host,
        port=port,
        username=user,
        password=password,
        secret=secret,
        fast_cli=True,
        timeout=20,
        conn_timeout=10,
        auth_timeout=10,
    )
