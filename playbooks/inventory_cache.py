"""The Ansible inventory kept between the ``ansible-playbook`` runs of one rollout.

Keyed by the city's content: the bytes of every inventory file, the plugin's options and
the code that builds it. A changed inventory gets a new key, so it is never served from a
stale copy. Under ``<cache dir>/<content key>/``:

- ``inventory-<options key>.json``: groups and host variables, as the plugin publishes them;
- ``device_config/<host>.json``: one configurable device's intended configuration, written
  when it is first built (``edunet apply`` writes those of its planned devices up front).

A run of ``edunet apply`` keeps its cache in its own folder; nothing here is shared between
runs unless the caller points several at one folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from edunet import atomic
from edunet.load import Files

__all__ = ["CACHE_FORMAT", "InventoryCache", "content_key", "options_key"]

CACHE_FORMAT = "1"


def _code_stamp() -> bytes:
    """Size and modification time of every module that shapes the output: an edited
    builder (a checkout, an upgrade) never reads an older build."""
    import edunet
    import playbooks

    h = hashlib.sha256()
    for package in (edunet, playbooks):
        assert package.__file__ is not None  # regular packages, never namespaces
        root = Path(package.__file__).resolve().parent
        for path in sorted(root.rglob("*.py")):
            st = path.stat()
            h.update(f"{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.digest()


def content_key(files: Files) -> str:
    """The city's key: every inventory file's name and bytes (as ``edunet.load.read_files``
    read them), the cache format and the code."""
    h = hashlib.sha256(CACHE_FORMAT.encode() + _code_stamp())
    for path in sorted(files):
        raw = files[path]
        h.update(path.name.encode() + b"\0")
        h.update(raw if isinstance(raw, bytes) else repr(raw).encode())
        h.update(b"\0")
    return h.hexdigest()[:32]


def options_key(options: Mapping[str, Any]) -> str:
    """What else shapes the published inventory: address map, SSH port, lab, VM addresses."""
    text = json.dumps(options, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _safe(host: str) -> str:
    """A host name as a file name (device names are plain, but never trust a path)."""
    return host.replace("/", "_").replace("\0", "_").lstrip(".") or "_"


class InventoryCache:
    """One city's cached pieces under ``root/<content key>``."""

    def __init__(self, root: Path, content: str) -> None:
        self.folder = root / content

    def _read(self, path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # absent, or half a file from another writer
            return None

    def _write(self, path: Path, data: Any) -> None:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic.write_text(path, text, 0o600)

    def inventory(self, options: str) -> dict[str, Any] | None:
        data = self._read(self.folder / f"inventory-{options}.json")
        return data if isinstance(data, dict) else None

    def save_inventory(self, options: str, data: Mapping[str, Any]) -> None:
        self._write(self.folder / f"inventory-{options}.json", data)

    def device_config(self, host: str) -> dict[str, Any] | None:
        data = self._read(self.folder / "device_config" / f"{_safe(host)}.json")
        return data if isinstance(data, dict) else None

    def save_device_config(self, host: str, config: Mapping[str, Any]) -> None:
        self._write(self.folder / "device_config" / f"{_safe(host)}.json", config)
