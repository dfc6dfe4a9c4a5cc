from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from edunet import load
from edunet.model import Inventory

DATA = Path(__file__).parent / "core" / "data"
ROOT = Path(__file__).parent.parent

# The shared harness (tests/support/) is imported as `support`, by tests and benchmarks alike.
_TESTS = str(Path(__file__).parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

# The venv's commands (ansible-playbook, ansible-inventory, ansible-lint …) sit beside this
# interpreter; `make test` runs .venv/bin/pytest without activating the venv.
_TOOLS = str(Path(sys.executable).parent)
if _TOOLS not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join(p for p in (_TOOLS, os.environ.get("PATH")) if p)


@pytest.fixture(scope="session", autouse=True)
def _no_windows_of_this_checkout(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A maintenance windows file left in the checkout (``edunet maintenance add`` tried here)
    would refuse the tests' pushes and commits: the tests see none unless they record one."""
    os.environ["EDUNET_MAINTENANCE_FILE"] = str(
        tmp_path_factory.mktemp("windows") / "maintenance-windows.yaml"
    )
    os.environ.pop("EDUNET_MAINTENANCE_REQUIRED", None)
    # render records go to the session's own folder, not the user's cache
    os.environ["EDUNET_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def small() -> Inventory:
    return load(DATA / "small.yaml")


@pytest.fixture(scope="session")
def sample_city() -> Inventory:
    """The committed sample city (inventory.yaml)."""
    return load(ROOT / "inventory.yaml")


# Modules that are slow already while collected (schemathesis draws its cases then, about a
# minute on two cores) and whose every test is marked slow: skipped unread when slow tests are.
_SLOW_TO_COLLECT = {Path(__file__).parent / "api" / "test_api_schemathesis.py"}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path in _SLOW_TO_COLLECT and "not slow" in (config.option.markexpr or ""):
        return True
    return None


@pytest.fixture(autouse=True)
def _audit_log_aside(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changes a test makes through edunet write their audit lines here, not into the
    checkout's runs folder; a test that reads them sets its own EDUNET_AUDIT_LOG."""
    monkeypatch.setenv("EDUNET_AUDIT_LOG", str(tmp_path_factory.getbasetemp() / "audit.jsonl"))
    monkeypatch.delenv("EDUNET_ROLES", raising=False)
    monkeypatch.delenv("EDUNET_OPERATOR", raising=False)
