"""What the last ``edunet render`` wrote, so that a render whose inputs have not changed since
needs neither to load the inventory nor to render anything.

The record is keyed by a content hash of everything a render reads: the inventory's bytes, the
options, the output root, the header's source name and the renderers' own code. It holds the
SHA-256 of every file the render wrote (or found up to date). A later render or ``--check``
with the same key is done once every one of those files still has its hash on disk and no
other generated file stands in an owned directory; anything else renders as before. The
record lives in the user's cache folder, never beside the output, so the output is the same
bytes with or without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from edunet.generated import RenderOptions, is_generated

if TYPE_CHECKING:
    from edunet.load import Files

__all__ = ["RenderRecord", "cache_dir", "code_hash", "render_key"]

_CODE_SUFFIXES = (".py", ".j2", ".jinja", ".jinja2")
_VERSION = 1  # the record's layout


def cache_dir() -> Path:
    """``$EDUNET_CACHE_DIR``, else ``$XDG_CACHE_HOME/edunet``, else ``~/.cache/edunet``."""
    if os.environ.get("EDUNET_CACHE_DIR"):
        return Path(os.environ["EDUNET_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "edunet"


def code_hash(folders: Iterable[Path]) -> str:
    """The code and templates under ``folders``: a change to a renderer is a new key."""
    h = hashlib.sha256(f"{sys.version}|{platform.python_implementation()}".encode())
    for folder in sorted(set(folders)):
        for path in sorted(folder.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(folder.parent)).encode())
                h.update(hashlib.sha256(path.read_bytes()).digest())
    for name in ("yaml", "jinja2"):  # the libraries whose output the files are
        module = sys.modules.get(name)
        h.update(f"{name}={getattr(module, '__version__', '')}".encode())
    return h.hexdigest()


def render_key(
    *, part: str, options: RenderOptions, out: Path, source: str, files: Files, code: str
) -> str:
    """One render's inputs as a hash; ``files`` are the inventory's bytes as read."""
    h = hashlib.sha256()
    head = {
        "v": _VERSION,
        "part": part,
        "options": asdict(options),
        "out": str(out.resolve()),
        "source": source,
        "code": code,
    }
    h.update(json.dumps(head, sort_keys=True).encode())
    for path, raw in sorted(files.items()):
        if isinstance(raw, OSError):  # unreadable: no key, the load reports it
            return ""
        h.update(str(path.resolve()).encode() + b"\0")
        h.update(hashlib.sha256(raw).digest())
    return h.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class RenderRecord:
    """The record of one output root and part: the key and each file's hash."""

    path: Path  # the record's own file in the cache folder

    @classmethod
    def of(cls, out: Path, part: str) -> RenderRecord:
        name = _digest(f"{out.resolve()}|{part}".encode())[:32]
        return cls(cache_dir() / "render" / f"{name}.json")

    def up_to_date(self, key: str, out: Path, owned_dirs: Iterable[str]) -> int | None:
        """How many files the last render with ``key`` made, if every one is on disk as it
        was written and nothing else generated stands in ``owned_dirs``; else None."""
        if not key:
            return None
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        hashes = record.get("files")
        if not isinstance(hashes, dict):
            return None
        for rel, digest in hashes.items():
            try:
                if _digest((out / rel).read_bytes()) != digest:
                    return None
            except OSError:
                return None
        for d in owned_dirs:  # a stale generated file is for the full render to remove
            base = out / d
            if not base.is_dir():
                continue
            for p in base.rglob("*"):
                rel = p.relative_to(out).as_posix()
                if rel not in hashes and p.is_file() and _generated_file(p):
                    return None
        return len(hashes)

    def save(self, key: str, files: Mapping[str, str]) -> None:
        """Remember ``files`` as rendered with ``key``; a cache that cannot be written is
        only a slower next render."""
        if not key:
            return
        record = {"key": key, "files": {rel: _digest(t.encode()) for rel, t in files.items()}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)


def _generated_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return is_generated(fh.read(1024))
    except OSError:
        return False
