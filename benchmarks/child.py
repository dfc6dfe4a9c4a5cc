"""One fresh process measured as the benchmarks measure it: wall time, CPU time (user +
system) and peak RSS from ``wait4``; a failure ends the benchmark with the output's tail."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def run_measured(
    argv: Sequence[str], what: str, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[dict[str, float], str]:
    """Run ``argv`` to its end; its figures, and its output (stdout and stderr together)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            raise
        wall = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{what} failed ({code}): {text[-2000:]}")
    figures = {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
    }
    return figures, text
