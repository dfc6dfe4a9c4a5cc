"""The inventory's files read once: the bytes hashed for the ETag are the bytes parsed.

Reading the files to hash them and letting the loader read them again is a race: a file
replaced in between is parsed new and tagged old. So the files are read once, hashed, and
those very bytes are handed to the loader.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import edunet
from edunet.load import Files, read_files
from edunet.model import Inventory


@dataclass(frozen=True, slots=True)
class Read:
    inventory: Inventory
    etag: str  # the hash of the bytes parsed


def content_hash(path: Path, files: Files) -> str:
    h = hashlib.sha256()
    for f, raw in files.items():
        name = f.relative_to(path).as_posix() if f != path else f.name
        data = raw if isinstance(raw, bytes) else repr(raw).encode()
        h.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0")
        h.update(data)
    return h.hexdigest()[:32]


def read_inventory(path: Path) -> Read:
    files = read_files(path)
    return Read(edunet.load(path, files), content_hash(path, files))
