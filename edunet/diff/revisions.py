"""An inventory as a git revision holds it, read from git's object store: the working
tree is never touched, and no file is written. The bytes go to the loader as a file
would (:func:`edunet.load.read_files`), named ``REV:path`` so that a problem reads
``HEAD~1:inventory.yaml:12:3: error: …``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from edunet.load import Files


class RevisionError(Exception):
    """Not a git repository, not a revision, or no inventory at that path in it."""


def _git(*args: str, cwd: Path | None = None, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(said[-1] if said else f"git {args[0]} failed")
    return done.stdout


def in_repository(rev: str, inventory: Path) -> tuple[str, Files]:
    """The inventory file, or directory of YAML files, at ``inventory`` (relative to the
    current directory, as for a file in the working tree) in revision ``rev``: its label
    and its files' bytes, in the order the loader reads a directory."""
    try:
        top = Path(_git("rev-parse", "--show-toplevel").decode().strip())
    except RevisionError:
        raise RevisionError(
            f"{rev} is neither a file, a directory nor a git revision (not in a git repository)"
        ) from None
    try:
        _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", cwd=top)
    except RevisionError:
        raise RevisionError(f"{rev} is neither a file, a directory nor a git revision") from None
    here = Path(os.path.realpath(Path.cwd() / inventory))
    try:
        rel = here.relative_to(os.path.realpath(top)).as_posix()
    except ValueError:
        raise RevisionError(f"{inventory} is outside the repository at {top}") from None
    listing = _git("ls-tree", "-r", "-z", "--full-tree", rev, "--", rel, cwd=top)
    blobs: dict[str, str] = {}
    for entry in filter(None, listing.split(b"\0")):
        meta, _, name = entry.decode().partition("\t")
        kind, sha = meta.split()[1:3]
        if kind != "blob":
            continue
        if name == rel or (name.startswith(rel + "/") and name.endswith((".yaml", ".yml"))):
            blobs[name] = sha
    if not blobs:
        raise RevisionError(f"{rev} has no inventory at {rel}")
    wanted = "".join(f"{sha}\n" for sha in blobs.values()).encode()
    batch = _git("cat-file", "--batch", cwd=top, data=wanted)
    contents: list[bytes] = []
    pos = 0
    for _ in blobs:  # "<sha> blob <size>\n<bytes>\n", one after another
        eol = batch.index(b"\n", pos)
        size = int(batch[pos:eol].split()[2])
        contents.append(batch[eol + 1 : eol + 1 + size])
        pos = eol + 1 + size + 1
    named = {Path(name): raw for name, raw in zip(blobs, contents, strict=True)}
    files: Files = {Path(f"{rev}:{p.as_posix()}"): named[p] for p in sorted(named)}
    return f"{rev}:{rel}", files
