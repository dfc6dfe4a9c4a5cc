"""When the SNMP fast paths engage: the exact pysnmp pin, and EDUNET_SNMP_FASTPATH=0."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from pysnmp.entity.engine import SnmpEngine
from pysnmp.proto.mpmod import rfc2576

from exporters.snmp import fastpath
from exporters.snmp.fastpath.models import FastV2cModel, request_pdu

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.levelno, record.getMessage()))


@pytest.fixture
def logged(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, str]]]:
    """What the fast paths log, from a clean slate (each reason is said once a process)."""
    monkeypatch.setattr(fastpath, "_logged", set())
    monkeypatch.delenv(fastpath.SWITCH, raising=False)
    handler = Lines()
    fastpath.log.addHandler(handler)
    level = fastpath.log.level
    fastpath.log.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        fastpath.log.removeHandler(handler)
        fastpath.log.setLevel(level)


def _v2c_model(engine: SnmpEngine) -> object:
    return engine.message_processing_subsystems[FastV2cModel.MESSAGE_PROCESSING_MODEL_ID]


def test_the_pin_is_pyproject_s_and_installed() -> None:
    extras = tomllib.loads(PYPROJECT.read_text())["project"]["optional-dependencies"]
    pins = [d for deps in extras.values() for d in deps if re.match(r"pysnmp\b", d)]
    assert pins == [f"pysnmp=={fastpath.PYSNMP_VERSION}"]
    assert metadata.version("pysnmp") == fastpath.PYSNMP_VERSION


def test_on_the_pinned_release_they_engage(logged: list[tuple[int, str]]) -> None:
    engine = SnmpEngine()
    assert fastpath.why_off() is None
    assert fastpath.install(engine) is request_pdu
    assert type(_v2c_model(engine)) is FastV2cModel
    assert logged == []


@pytest.mark.parametrize("value", ["0", "false", "off"])
def test_the_switch_turns_them_off(
    value: str, logged: list[tuple[int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fastpath.SWITCH, value)
    engine = SnmpEngine()
    assert fastpath.install(engine) is None
    assert fastpath.install(SnmpEngine()) is None
    assert type(_v2c_model(engine)) is rfc2576.SnmpV2cMessageProcessingModel
    [(level, line)] = logged  # said once, however many engines
    assert level == logging.INFO and f"{fastpath.SWITCH}={value}" in line


def test_another_pysnmp_release_takes_the_plain_path(
    logged: list[tuple[int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fastpath, "_installed_pysnmp", lambda: "7.2.0")
    engine = SnmpEngine()
    assert fastpath.install(engine) is None
    assert fastpath.install(SnmpEngine()) is None
    assert type(_v2c_model(engine)) is rfc2576.SnmpV2cMessageProcessingModel
    [(level, line)] = logged
    assert level == logging.WARNING
    assert "pysnmp 7.2.0 is installed" in line and fastpath.PYSNMP_VERSION in line
