"""The lab's state directory: where its files are, and state.json (what runs, where).

Everything that more than one lab process reads goes through here, so the layout is
written down once. Files other processes read are replaced atomically (temp + rename).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from edunet import atomic

__all__ = [
    "LAB_DIR_ENV",
    "default_state_dir",
    "faults_path",
    "read_state",
    "remove_state",
    "secrets_path",
    "write_state",
]

LAB_DIR_ENV = "EDUNET_LAB_DIR"


def default_state_dir() -> Path:
    return Path(os.environ.get(LAB_DIR_ENV) or ".edunet-lab")


def state_path(state_dir: Path) -> Path:
    return state_dir / "state.json"


def faults_path(state_dir: Path) -> Path:
    return state_dir / "faults.json"


def secrets_path(state_dir: Path) -> Path:
    return state_dir / "secrets.yaml"


# --- state.json ----------------------------------------------------------------------------


def read_state(state_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(state_path(state_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return data if isinstance(data, dict) else None


def write_state(state_dir: Path, state: Mapping[str, Any]) -> None:
    atomic.write_text(state_path(state_dir), json.dumps(state, ensure_ascii=False, indent=2) + "\n")


def remove_state(state_dir: Path) -> None:
    state_path(state_dir).unlink(missing_ok=True)


# --- faults.json ---------------------------------------------------------------------------


# --- secrets.yaml --------------------------------------------------------------------------


# --- lab addresses -------------------------------------------------------------------------
