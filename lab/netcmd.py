"""Run ``ip``, ``nft`` and ``sysctl`` for the lab's network faults, with errors that say
which command failed and what it printed."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from functools import cache

__all__ = ["NetFaultError", "run", "tool", "tools_missing"]

# root's tools live in sbin, which an ordinary PATH may lack
_SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")
TOOLS = {"ip": "ip (iproute2)", "nft": "nft", "sysctl": "sysctl"}
TIMEOUT_S = 20.0


class NetFaultError(RuntimeError):
    """A network fault could not be put in place or taken away."""


@cache
def tool(name: str) -> str | None:
    """The full path of ``ip``, ``nft`` or ``sysctl``, or None when not installed."""
    found = shutil.which(name)
    if found:
        return found
    for folder in _SBIN:
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    return None


def tools_missing() -> list[str]:
    """The tools the network faults need and cannot find, in words."""
    return [words for name, words in TOOLS.items() if tool(name) is None]


def run(
    argv: Sequence[str],
    *,
    netns: str | None = None,
    stdin: str | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a tool (``argv[0]`` is its short name), inside ``netns`` when given.

    Raises :class:`NetFaultError` naming the command and its stderr when it fails and
    ``check`` is true."""
    path = tool(argv[0])
    if path is None:
        raise NetFaultError(f"{TOOLS.get(argv[0], argv[0])} not found")
    cmd = [path, *argv[1:]]
    if netns is not None:
        ip = tool("ip")
        if ip is None:
            raise NetFaultError("ip (iproute2) not found")
        cmd = [ip, "netns", "exec", netns, *cmd]
    shown = " ".join(cmd[:1] and [os.path.basename(cmd[0]), *cmd[1:]])
    try:
        done = subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise NetFaultError(f"`{shown}` did not finish within {TIMEOUT_S:.0f} s") from exc
    if check and done.returncode != 0:
        detail = done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}"
        raise NetFaultError(f"`{shown}` failed: {detail}")
    return done
