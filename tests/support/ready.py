"""Waiting, bounded, until a started server answers: a TCP port, an HTTP URL, an SNMP agent,
a line in a log. Each gives up early when the process that should answer has exited."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
Process = subprocess.Popen[bytes] | subprocess.Popen[str]


class NotReady(RuntimeError):
    """What was awaited did not happen in time, or its process exited first."""


def until(
    what: str,
    check: Callable[[], T | None],
    timeout: float,
    *,
    proc: Process | None = None,
    log: Path | None = None,
    interval: float = 0.2,
) -> T:
    """Call ``check`` every ``interval`` seconds until it returns something other than None
    (or False); an OSError counts as not yet. Raise NotReady after ``timeout`` seconds, or as
    soon as ``proc`` has exited; the message ends with the last lines of ``log``."""
    deadline = time.monotonic() + timeout
    last: OSError | None = None
    while True:
        if proc is not None and proc.poll() is not None:
            raise NotReady(f"{what}: exited with {proc.returncode} first{_tail(log)}")
        try:
            value = check()
        except OSError as e:
            value, last = None, e
        if value is not None and value is not False:
            return value
        if time.monotonic() >= deadline:
            error = f" (last error: {last})" if last else ""
            raise NotReady(f"{what}: not within {timeout:g} s{error}{_tail(log)}")
        time.sleep(interval)


def _tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    return "; its log ends:\n" + log.read_text(errors="replace")[-2000:]


def tcp_open(host: str, port: int) -> bool:
    with socket.create_connection((host, port), timeout=1):
        return True


def wait_tcp(
    host: str,
    port: int,
    timeout: float = 30,
    *,
    proc: Process | None = None,
    log: Path | None = None,
) -> None:
    """Until something accepts a connection on ``host:port``."""
    until(f"{host}:{port} accepting", lambda: tcp_open(host, port), timeout, proc=proc, log=log)


def http_get(
    url: str, timeout: float = 5, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    """Status and body of a GET; an HTTP error status is an answer, not an exception."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def wait_http(
    url: str,
    timeout: float = 30,
    *,
    proc: Process | None = None,
    log: Path | None = None,
    status: int | None = 200,
) -> str:
    """Until ``url`` answers with ``status`` (any status if None); the body of that answer."""

    def answer() -> str | None:
        code, body = http_get(url, timeout=2)
        return body if status is None or code == status else None

    return until(f"{url} answering", answer, timeout, proc=proc, log=log)


def snmp_answers(address: str, port: int, community: str) -> bool:
    """Whether net-snmp's snmpget reads sysName.0 over v2c from ``address:port``."""
    done = subprocess.run(
        [
            *("snmpget", "-v2c", "-c", community, "-t", "0.3", "-r", "0", "-Oqv"),
            *(f"udp:{address}:{port}", "1.3.6.1.2.1.1.5.0"),
        ],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def wait_snmp(
    address: str, port: int, community: str, timeout: float = 20, *, proc: Process | None = None
) -> None:
    """Until the SNMP agent at ``address:port`` answers a v2c GET with ``community``."""
    what = f"SNMP agent at {address}:{port}"
    until(what, lambda: snmp_answers(address, port, community), timeout, proc=proc)


def wait_log(
    log: Path, pattern: str, timeout: float = 30, *, proc: Process | None = None
) -> re.Match[str]:
    """Until a line matching ``pattern`` (a regular expression) is in ``log``; that match."""

    def found() -> re.Match[str] | None:
        text = log.read_text(errors="replace") if log.exists() else ""
        return re.search(pattern, text, re.MULTILINE)

    return until(f"{pattern!r} in {log.name}", found, timeout, proc=proc, log=log)
