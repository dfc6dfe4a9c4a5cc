"""The logins the benchmarks and tests give the lab's simulated switches: lab-only values,
never a real device's (the switches accept whatever their environment says)."""

from __future__ import annotations

import secrets

import pytest

from support.ports import free_tcp_port

BENCH_LOGIN = {
    "EDUNET_SSH_NETOPS_USER": "netops",
    "EDUNET_SSH_NETOPS_PASSWORD": "bench-password",
    "EDUNET_SSH_NETOPS_ENABLE": "bench-enable",
}


def fresh_login(monkeypatch: pytest.MonkeyPatch, **extra: str) -> tuple[dict[str, str], int]:
    """A random login for a test's simulated switches, on a free port, set in the environment
    (and no secrets file, so nothing else is read); returns the login and the port."""
    login = {
        "EDUNET_SSH_NETOPS_USER": "netops",
        "EDUNET_SSH_NETOPS_PASSWORD": "pw-" + secrets.token_hex(8),
        "EDUNET_SSH_NETOPS_ENABLE": "en-" + secrets.token_hex(8),
    }
    port = free_tcp_port()
    for name, value in {**login, "EDUNET_SSH_PORT": str(port), **extra}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("EDUNET_SECRETS_FILE", raising=False)
    return login, port
