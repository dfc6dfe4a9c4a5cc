"""Ansible's JSON output read as plain data (tests and benchmarks)."""

from __future__ import annotations

from typing import Any


def plain(value: Any) -> Any:
    """ansible-core 2.19 prints untrusted strings as {"__ansible_unsafe": "..."}."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
