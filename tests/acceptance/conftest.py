"""Fixtures of the acceptance tests; the helpers they use are in lab_kit.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lab_kit
import pytest
import yaml
from lab_kit import (
    FIGURES,
    INVENTORY,
    Exporter,
    Lab,
    agents_state,
    alive,
    edunet_cmd,
    figure,
    free_udp_port,
    lab_address,
    snmp_devices,
    start_exporter,
)

import edunet
from lab import agents
from lab.netfaults import NetFaults


@pytest.fixture(scope="session")
def kit() -> types.ModuleType:
    """The helpers, for the test modules."""
    return lab_kit


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("acceptance figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The sample city's lab, up for one test module on a free high port, down at the end."""
    for tool in ("snmpbulkwalk", "snmpget"):
        if shutil.which(tool) is None:
            pytest.skip(f"net-snmp's {tool} is not installed")
    inv = edunet.load(INVENTORY)
    port = free_udp_port([lab_address(d) for d in snmp_devices(inv)])
    sd = tmp_path_factory.mktemp("lab") / "state"
    started = time.monotonic()
    done = edunet_cmd(
        "lab", "up", "-i", str(INVENTORY), "--state-dir", str(sd), "--port", str(port), timeout=300
    )
    up_s = time.monotonic() - started
    state = agents_state(sd)
    pids = [(p["pid"], p["argv"]) for p in state.get("processes", [])]
    try:
        assert done.returncode == 0, f"lab up failed: {done.stderr.strip()}"
        secrets_file = Path(state["secrets_file"])
        secrets = {str(k): str(v) for k, v in yaml.safe_load(secrets_file.read_text()).items()}
        the_lab = Lab(sd, port, inv, secrets_file, secrets, pids, up_s)
        figure("lab", f"up in {up_s:.1f} s (SNMP port {port}, {state['endpoints']} endpoints)")
        yield the_lab
        the_lab.note_network_faults()
        namespaces, responders = the_lab.namespaces, the_lab.responders
    finally:
        down = edunet_cmd("lab", "down", "--state-dir", str(sd), timeout=120)
    assert down.returncode == 0, down.stderr
    left = [pid for pid, argv in pids if agents.process_alive(pid, argv)]
    left += [pid for pid in responders if alive(pid)]
    assert left == [], f"lab processes left after down: {left}"
    if os.geteuid() == 0:
        listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        present = {line.split()[0] for line in listed.splitlines() if line.strip()}
        assert namespaces & present == set(), f"namespaces left: {namespaces & present}"
        assert NetFaults(sd).active() == []


@pytest.fixture(scope="module")
def exporter(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exporter]:
    exp = start_exporter(lab, tmp_path_factory.mktemp("exporter") / "snmp.log")
    try:
        yield exp
    finally:
        exp.stop()
