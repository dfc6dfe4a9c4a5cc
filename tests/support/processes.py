"""Child processes of a test or benchmark: started one way, and always stopped within a bound."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
EDUNET = [sys.executable, "-m", "edunet"]

Output = Path | int | IO[bytes] | None


def spawn(
    argv: Sequence[str],
    *,
    log: Output = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = ROOT,
    new_session: bool = False,
) -> subprocess.Popen[bytes]:
    """Start ``argv``; stdout and stderr both go to ``log``: a file appended to, an open file,
    ``subprocess.DEVNULL``, or (None) where ours go. ``new_session`` lets ``stop`` reach its
    children."""
    if isinstance(log, Path):
        with open(log, "ab") as out:
            return spawn(argv, log=out, env=env, cwd=cwd, new_session=new_session)
    return subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=None if log is None else subprocess.STDOUT,
        start_new_session=new_session,
    )


def stop(
    proc: subprocess.Popen[bytes] | subprocess.Popen[str],
    timeout: float = 10.0,
    *,
    group: bool = False,
    sig: signal.Signals = signal.SIGTERM,
) -> int:
    """``sig`` (SIGTERM), at most ``timeout`` seconds for it to exit, then SIGKILL. With
    ``group``, to its whole process group (started with ``new_session``). Its exit code."""
    if proc.poll() is None:
        _signal(proc, sig, group)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal(proc, signal.SIGKILL, group)
            proc.wait(5)
    elif group:  # the leader is gone; its children may not be
        _signal(proc, sig, group)
    return proc.returncode


def _signal(
    proc: subprocess.Popen[bytes] | subprocess.Popen[str], sig: signal.Signals, group: bool
) -> None:
    try:
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    except ProcessLookupError:
        pass


@contextmanager
def running(
    argv: Sequence[str],
    *,
    log: Output = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = ROOT,
    new_session: bool = False,
    stop_timeout: float = 10.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """``with running(argv) as proc: …``: started, and stopped on the way out whatever happened."""
    proc = spawn(argv, log=log, env=env, cwd=cwd, new_session=new_session)
    try:
        yield proc
    finally:
        stop(proc, stop_timeout, group=new_session)


def edunet(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``edunet ARGS`` as a child process, from the repository root, output captured."""
    return subprocess.run(
        [*EDUNET, *args],
        cwd=ROOT,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
