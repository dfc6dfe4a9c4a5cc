"""The README's lab walkthrough, run line by line as a user would: the lab, the exporters,
faults, reconciliation, and nothing left behind."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from support.processes import spawn, stop

ROOT = Path(__file__).parent.parent
BLOCK = next(
    b
    for b in re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    if "edunet lab up" in b
)
LINES = [line.split("  #")[0].strip() for line in BLOCK.splitlines() if line.strip()]

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _busy(port: int, kind: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _run(line: str, env: dict[str, str], lab: Path) -> subprocess.CompletedProcess[str]:
    line = line.replace(".edunet-lab/", f"{lab}/")
    return subprocess.run(
        ["bash", "-c", line], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _until(line: str, env: dict[str, str], lab: Path, seconds: float) -> str:
    """A curl line: the exporters take a moment to answer, and the prober a few rounds."""
    deadline = time.monotonic() + seconds
    while True:
        r = _run(line, env, lab)
        if r.returncode == 0 and r.stdout.strip():
            return r.stdout
        assert time.monotonic() < deadline, f"{line!r} never answered: {r.stderr}"
        time.sleep(1)


def test_readme_lab_walkthrough(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the walkthrough injects a network fault, which needs root")
    for port, kind in (
        (161, socket.SOCK_DGRAM),
        (9116, socket.SOCK_STREAM),
        (9374, socket.SOCK_STREAM),
    ):
        assert not _busy(port, kind), f"port {port} is in use: stop the running demo first"
    lab = tmp_path / "lab"
    env = {
        **os.environ,
        "EDUNET_LAB_DIR": str(lab),
        "PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}",
    }
    exporters: subprocess.Popen[bytes] | None = None
    try:
        for line in LINES:
            if line.startswith("eval "):  # eval "$(edunet lab env)": export lines
                r = _run(line.removeprefix("eval ").strip('"$()'), env, lab)
                assert r.returncode == 0, r.stderr
                for export in r.stdout.splitlines():
                    key, _, value = export.removeprefix("export ").partition("=")
                    env[key] = shlex.split(value)[0] if value else ""
            elif line.endswith("&"):
                argv = shlex.split(line.rstrip("&").replace(".edunet-lab/", f"{lab}/"))
                exporters = spawn(argv, env=env, new_session=True)
            elif line.startswith("curl"):
                out = _until(line, env, lab, 60)
                assert "edunet_" in out
            else:
                r = _run(line, env, lab)
                ok = (0, 1) if line.startswith("edunet reconcile") else (0,)
                assert r.returncode in ok, f"{line!r} exited {r.returncode}: {r.stderr}"
                if line.startswith("edunet reconcile"):
                    assert r.returncode == 1 and "serial" in r.stdout  # the swapped chassis
    finally:
        if exporters is not None:
            stop(exporters, 15, group=True)
        subprocess.run(["bash", "-c", "edunet lab down"], cwd=ROOT, env=env, timeout=60)
    left = subprocess.run(["pgrep", "-f", str(lab)], capture_output=True, text=True).stdout
    assert left == "", f"processes left behind: {left}"
    assert (
        shutil.which("ip") is None
        or "edunet-lab-"
        not in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    )
