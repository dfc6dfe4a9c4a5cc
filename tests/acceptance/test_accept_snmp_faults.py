"""Acceptance: SNMPv3 authPriv end to end, a wrong key reported as ``auth`` by a process
that keeps serving, and the lab's injected faults as the exporter shows them."""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
import yaml

if TYPE_CHECKING:
    from lab_kit import Exporter, Lab, Metrics

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# v3 devices of the sample city with a hardware record and 28-52 ports; one per fault, so that
# no fault sees another's leftovers
DOWN, REBOOT, SERIAL, FLAP = "so-gddt-sw1", "so-gddt-sw2", "so-gddt-sw3", "so-gddt-cs1"
V2C = "79762002-rt1"  # on the v2c profile
FAULT_READ_S = 1.2  # the agents look at faults.json at most every 0.5 s

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="network faults need root")


@pytest.fixture(autouse=True)
def no_faults_left(lab: Lab) -> Iterator[None]:
    yield
    lab.clear_all()


def test_v3_authpriv_and_v2c_end_to_end(kit: ModuleType, lab: Lab, exporter: Exporter) -> None:
    for device in (DOWN, V2C):
        d = lab.inv.devices[device]
        assert d.snmp is not None
        m = exporter.scrape(device)
        assert m.one("edunet_snmp_up") == 1.0, m.all("edunet_snmp_error")
        assert m.labels("edunet_device_info")["sys_name"] == device
        assert len(m.all("edunet_interface_oper_up")) == d.model.ports
    kit.figure("auth", f"{DOWN} (v3 authPriv, context public) and {V2C} (v2c) answer up 1")


def test_wrong_auth_key_is_auth_and_the_exporter_keeps_serving(
    kit: ModuleType, lab: Lab, tmp_path: Path
) -> None:
    wrong = dict(lab.secrets)
    key = "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY"
    wrong[key] = secrets.token_hex(16)
    assert wrong[key] != lab.secrets[key]
    copy = tmp_path / "secrets.yaml"
    copy.touch(mode=0o600)
    copy.write_text(yaml.safe_dump(wrong), encoding="utf-8")
    exp = kit.start_exporter(lab, tmp_path / "snmp.log", secrets_file=copy)
    try:
        started = time.monotonic()
        m = exp.scrape(DOWN)
        took = time.monotonic() - started
        assert m.one("edunet_snmp_up") == 0.0
        assert m.one("edunet_snmp_error", reason="auth") == 1.0
        # the same process: its own metrics, a v2c device (its community is right), and v3 again
        status, body = exp.get("/metrics")
        assert status == 200
        own = kit.Metrics.parse(body)
        assert own.one("edunet_exporter_snmp_scrapes_total", module="if_mib", outcome="auth") >= 1
        assert exp.scrape(V2C).one("edunet_snmp_up") == 1.0
        again = exp.scrape(DOWN)
        assert again.one("edunet_snmp_error", reason="auth") == 1.0
        assert exp.proc.poll() is None
    finally:
        exp.stop()
    kit.figure("auth", f"wrong auth key: up 0, reason auth in {took:.2f} s; process kept serving")


@needs_root
def test_device_down_then_back(kit: ModuleType, lab: Lab, exporter: Exporter) -> None:
    assert exporter.scrape(DOWN).one("edunet_snmp_up") == 1.0
    lab.fault("down", DOWN)
    try:
        started = time.monotonic()
        m = exporter.scrape(DOWN, scrape_timeout=5)
        took = time.monotonic() - started
        assert m.one("edunet_snmp_up") == 0.0
        assert m.one("edunet_snmp_error", reason="timeout") == 1.0
    finally:
        lab.fault("clear", f"down:{DOWN}")
    assert exporter.scrape(DOWN).one("edunet_snmp_up") == 1.0
    kit.figure("faults", f"down: up 0 (timeout) after {took:.1f} s of a 5 s scrape; 1 after clear")


def _boot(m: Metrics) -> tuple[float, float]:
    return m.one("edunet_device_uptime_seconds"), m.one("edunet_device_boot_time_seconds")


def test_reboot_resets_uptime_and_steps_boot_time(
    kit: ModuleType, lab: Lab, exporter: Exporter
) -> None:
    uptime, boot = _boot(exporter.scrape(REBOOT))
    assert uptime > 60
    asked = time.time()
    lab.fault("reboot", REBOOT)
    rebooted = time.time()
    time.sleep(FAULT_READ_S)
    after_uptime, after_boot = _boot(exporter.scrape(REBOOT))
    assert 0 <= after_uptime <= time.time() - asked + 1
    assert asked - 1 <= after_boot <= rebooted + 1  # whole seconds
    assert after_boot - boot >= uptime - 5  # stepped forward by about the old uptime
    kit.figure(
        "faults",
        f"reboot: uptime {uptime:.0f} s -> {after_uptime:.1f} s, boot time stepped "
        f"{after_boot - boot:.0f} s",
    )


def test_swapped_serial_is_a_serial_mismatch(kit: ModuleType, lab: Lab, exporter: Exporter) -> None:
    before = exporter.scrape(SERIAL, module="inventory")
    assert before.one("edunet_reconcile_ok") == 1.0
    lab.fault("serial", SERIAL, "SWAPTEST42")
    time.sleep(FAULT_READ_S)
    m = exporter.scrape(SERIAL, module="inventory")
    assert m.one("edunet_reconcile_ok") == 0.0
    [(labels, value)] = m.all("edunet_reconcile_mismatch", kind="serial")
    assert value == 1.0 and labels["found"] == "SWAPTEST42"
    hw = lab.inv.devices[SERIAL].hardware
    assert hw is not None and labels["expected"] == hw.serial
    done = kit.edunet_cmd(
        "reconcile", "-i", str(kit.INVENTORY), "--address-map", kit.ADDRESS_MAP,
        "--device", SERIAL, "--format", "json", "--snmp-port", str(lab.port),
        "--secrets-file", str(lab.secrets_file),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    [report] = json.loads(done.stdout)
    assert report["polled"] and not report["ok"]
    kinds = {(x["kind"], x["found"]) for x in report["mismatches"]}
    assert ("serial", "SWAPTEST42") in kinds, report
    kit.figure("faults", "serial: mismatch on module inventory and in reconcile (exit 1)")


def test_flapping_port_changes_between_scrapes(
    kit: ModuleType, lab: Lab, exporter: Exporter
) -> None:
    first = exporter.scrape(FLAP).by_interface("edunet_interface_oper_up")
    port = next(p for p, up in sorted(first.items()) if up == 1.0)
    lab.fault("flap", FLAP, port)
    seen: list[float] = []
    deadline = time.monotonic() + 45  # the port is up 10 s, down 10 s
    while time.monotonic() < deadline and len(set(seen)) < 2:
        seen.append(exporter.scrape(FLAP).by_interface("edunet_interface_oper_up")[port])
        time.sleep(2)
    assert set(seen) == {0.0, 1.0}, seen
    kit.figure("faults", f"flap: {FLAP} {port} oper_up over scrapes {seen}")
