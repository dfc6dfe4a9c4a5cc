"""The code of an older commit for the "before" side of a benchmark: ``git archive`` into a
scratch folder, nothing in this checkout touched."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tree_at(rev: str, into: Path, parts: tuple[str, ...]) -> Path:
    """``parts`` (folders or files of the repository) as they were at ``rev``, under ``into``."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, *parts],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into
