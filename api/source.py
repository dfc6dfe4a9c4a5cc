"""The inventory's files read once: the bytes hashed for the ETag are the bytes parsed.

Reading the files to hash them and letting the loader read them again is a race: a file
replaced in between is parsed new and tagged old. So the bytes are read once, hashed, and
the loader parses a private copy of exactly those bytes, which no later replacement can
reach. Names in errors and in ``Inventory.sources`` are the real files', not the copy's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edunet.errors import InventoryError
from edunet.load import inventory_files
from edunet.model import Inventory

Loader = Callable[[Path], Inventory]


@dataclass(frozen=True, slots=True)
class Read:
    inventory: Inventory
    etag: str  # the hash of the bytes parsed


def read_bytes(path: Path) -> dict[Path, bytes]:
    """Every file the loader would read (a directory's YAML files, nested folders too),
    each read once."""
    return {f: f.read_bytes() for f in inventory_files(path)}


def content_hash(path: Path, files: dict[Path, bytes]) -> str:
    h = hashlib.sha256()
    for f, raw in files.items():
        name = f.relative_to(path).as_posix() if f != path else f.name
        h.update(name.encode() + b"\0" + str(len(raw)).encode() + b"\0")
        h.update(raw)
    return h.hexdigest()[:32]


def read_inventory(path: Path, loader: Loader) -> Read:
    files = read_bytes(path)
    etag = content_hash(path, files)
    with tempfile.TemporaryDirectory(prefix="edunet-api-inventory-") as tmp:
        copy = Path(tmp) / path.name
        if path.is_dir():
            for f, raw in files.items():
                target = copy / f.relative_to(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(raw)
            copy.mkdir(exist_ok=True)  # an empty folder stays an empty folder
        else:
            copy.write_bytes(next(iter(files.values())))

        def real(name: str) -> str:
            return name.replace(str(copy), str(path))

        try:
            inv = loader(copy)
        except InventoryError as e:
            raise InventoryError(
                [dataclasses.replace(p, file=real(p.file)) for p in e.problems]
            ) from None
    return Read(dataclasses.replace(inv, sources=tuple(real(s) for s in inv.sources)), etag)
