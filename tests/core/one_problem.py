"""Loading a file that holds one mistake, and getting that one problem back."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

import edunet


def only_problem(path: Path) -> edunet.Problem:
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(path)
    assert len(info.value.problems) == 1, info.value
    return info.value.problems[0]


def refused_by_validate(
    path: Path | str, cwd: Path | None = None, seconds: float = 120, memory: int | None = None
) -> str:
    """``python -m edunet validate PATH`` in its own process: exit 2, no traceback; the output.
    ``seconds`` and ``memory`` (bytes of address space) bound the process: over either, fail."""

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    proc = subprocess.run(
        [sys.executable, "-m", "edunet", "validate", str(path)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
        preexec_fn=limit,
    )
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output
    assert proc.returncode == 2, output
    return output
