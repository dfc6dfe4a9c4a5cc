"""Shared bits of the lab SSH tests: the login, netmiko sessions, bounded waits (free ports
are in ``support.ports``)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

LOGIN_ENV = {
    "EDUNET_SSH_NETOPS_USER": "netops-test",
    "EDUNET_SSH_NETOPS_PASSWORD": "pw-test-1",
    "EDUNET_SSH_NETOPS_ENABLE": "en-test-1",
}


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
