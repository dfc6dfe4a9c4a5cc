"""The code of an earlier commit, for the benchmarks that measure before and after in one run."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def code_at(rev: str, into: Path, *folders: str) -> Path:
    """``folders`` as they were at ``rev``, written under ``into`` (``git archive``: nothing
    in this checkout is touched)."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, *folders],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into
