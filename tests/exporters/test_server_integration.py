"""The exporter with the real poll against a real agent: snmpsim on a 127.x address,
serving a recorded 79760012-rt1 (SNMPv3, SHA/AES, context "public")."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from support.ports import free_udp_port
from support.processes import running

from edunet.model import Inventory, SnmpProfile
from edunet.reach import LAB_MAP
from edunet.secrets import SecretStore
from exporters.snmp.oids import IF_COLUMNS, MODULES, oid
from exporters.snmp.poll import poll
from exporters.snmp.server import ScrapeConfig, SelfMetrics, make_app
from exporters.snmp.session import close_session
from exporters.snmp.targets import Targets

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RT = "79760012-rt1"
ADDRESS = "127.33.3.1"  # its management address 10.33.3.1 through the lab map
ENV = {
    "EDUNET_SNMP_V3_DEFAULT_USER": "edunet-test",
    "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": "auth-key-integration",
    "EDUNET_SNMP_V3_DEFAULT_PRIV_KEY": "priv-key-integration",
    "EDUNET_SNMP_V3_DEFAULT_CONTEXT": "public",
}
PORTS = ("ether1", "ether2", "ether3", "ether4", "ether5")


def snmprec() -> str:
    """The agent's data: system, IF-MIB, a chassis in ENTITY-MIB, one LLDP neighbour."""
    rows: list[tuple[tuple[int, ...], int, str]] = [
        (oid("1.3.6.1.2.1.1.1.0"), 4, "RouterOS RB750Gr3"),
        (oid("1.3.6.1.2.1.1.2.0"), 6, "1.3.6.1.4.1.14988.1"),
        (oid("1.3.6.1.2.1.1.3.0"), 67, "8640000"),
        (oid("1.3.6.1.2.1.1.5.0"), 4, RT),
    ]
    for i, name in enumerate(PORTS, 1):
        values = {
            "ifDescr": (4, name),
            "ifType": (2, "6"),
            "ifAdminStatus": (2, "1"),
            "ifOperStatus": (2, "1" if i != 4 else "2"),
            "ifLastChange": (67, str(100 * i)),
            "ifInDiscards": (65, str(i)),
            "ifInErrors": (65, str(2 * i)),
            "ifOutDiscards": (65, "0"),
            "ifOutErrors": (65, "0"),
            "ifName": (4, name),
            "ifHCInOctets": (70, str(10**12 + i)),
            "ifHCOutOctets": (70, str(10**11 + i)),
            "ifHighSpeed": (66, "1000"),
            "ifAlias": (4, ""),
        }
        rows += [(IF_COLUMNS[c] + (i,), t, v) for c, (t, v) in values.items()]
    entity = "1.3.6.1.2.1.47.1.1.1.1"
    rows += [
        (oid(f"{entity}.2.1"), 4, "MikroTik RB750Gr3"),
        (oid(f"{entity}.5.1"), 2, "3"),
        (oid(f"{entity}.11.1"), 4, "HEX7A1B2C3"),
        (oid(f"{entity}.13.1"), 4, "RB750Gr3"),
    ]
    rows += [(oid(f"1.0.8802.1.1.2.1.3.7.1.3.{i}"), 4, n) for i, n in enumerate(PORTS, 1)]
    rows += [
        (oid("1.0.8802.1.1.2.1.4.1.1.7.0.5.1"), 4, "GigabitEthernet1/0/25"),
        (oid("1.0.8802.1.1.2.1.4.1.1.9.0.5.1"), 4, "79760012-sw1"),
    ]
    return "".join(f"{'.'.join(map(str, o))}|{t}|{v}\n" for o, t, v in sorted(rows))


@pytest.fixture(scope="module")
def agent() -> Iterator[int]:
    responder = shutil.which(
        "snmpsim-command-responder", path=str(Path(sys.executable).parent)
    ) or shutil.which("snmpsim-command-responder")
    if responder is None:
        pytest.skip("snmpsim-command-responder is not installed")
    data = Path(tempfile.mkdtemp(prefix="edunet-agent-"))
    (data / "public.snmprec").write_text(snmprec())
    port = free_udp_port(ADDRESS)
    argv = [
        responder,
        f"--data-dir={data}",
        f"--cache-dir={data / 'cache'}",
        "--v3-only",
        "--log-level=error",  # info would log the USM keys
        f"--args-from-file={data / 'keys.args'}",
    ]
    keys = data / "keys.args"  # keys in a chmod-600 file, not on a command line
    keys.touch(mode=0o600)
    keys.write_text(
        f"--v3-user={ENV['EDUNET_SNMP_V3_DEFAULT_USER']}\n"
        f"--v3-auth-key={ENV['EDUNET_SNMP_V3_DEFAULT_AUTH_KEY']}\n--v3-auth-proto=SHA\n"
        f"--v3-priv-key={ENV['EDUNET_SNMP_V3_DEFAULT_PRIV_KEY']}\n--v3-priv-proto=AES\n"
        f"--agent-udpv4-endpoint={ADDRESS}:{port}\n"
    )
    log = data / "agent.log"
    env = {**os.environ, "SNMPSIM_ALLOW_ROOT": "true"}  # CI runs as root
    try:
        with running(argv, log=log, env=env, cwd=None) as proc:
            _wait_ready(port, proc, log)
            yield port
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _wait_ready(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    from exporters.snmp.session import SnmpTarget

    credentials = SecretStore(env=ENV).snmp(_profile())
    target = SnmpTarget(RT, ADDRESS, credentials, port)

    async def ask() -> bool:
        try:
            result = await poll(target, MODULES["if_mib"], timeout_s=0.5, retries=0, budget_s=1)
            return result.ok
        finally:
            close_session()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"snmpsim exited with {proc.returncode}: {log.read_text()[-500:]}")
        if asyncio.run(ask()):
            return
        time.sleep(0.3)
    pytest.fail("snmpsim did not answer within 30 s")


def _profile() -> SnmpProfile:
    return SnmpProfile("v3-default", "v3", "sha", "aes")


def scrape(inv: Inventory, port: int, env: dict[str, str], *queries: dict[str, str]) -> list[str]:
    targets = Targets(inv, SecretStore(env=env), LAB_MAP, port=port)
    config = ScrapeConfig(inv, targets, poll)

    async def main() -> list[str]:
        app = make_app(config, SelfMetrics(process=False))
        try:
            async with TestClient[web.Request, web.Application](TestServer(app)) as client:
                out = []
                for q in queries:
                    resp = await client.get(
                        "/snmp", params=q, headers={"X-Prometheus-Scrape-Timeout-Seconds": "5"}
                    )
                    assert resp.status == 200
                    out.append(await resp.text())
                return out
        finally:
            close_session()

    return asyncio.run(main())


def test_an_if_mib_scrape_of_a_real_agent(small: Inventory, agent: int) -> None:
    [text] = scrape(small, agent, ENV, {"target": RT, "module": "if_mib"})
    assert 'edunet_snmp_up{device="79760012-rt1"' in text and "} 1.0\n" in text
    assert 'sys_name="79760012-rt1",sys_object_id="1.3.6.1.4.1.14988.1"' in text
    assert 'edunet_device_uptime_seconds{device="79760012-rt1"' in text
    up = [ln for ln in text.splitlines() if ln.startswith("edunet_interface_oper_up{")]
    assert len(up) == 5
    assert any('interface="ether4"' in ln and ln.endswith(" 0.0") for ln in up)
    assert any('interface="ether1",uplink="true",isp="VNPT"' in ln for ln in up)
    assert any(
        ln.startswith("edunet_interface_in_octets_total{") and ln.endswith(" 1.000000000001e+12")
        for ln in text.splitlines()
    )


def test_an_inventory_scrape_reconciles(small: Inventory, agent: int) -> None:
    [text] = scrape(small, agent, ENV, {"target": ADDRESS, "module": "inventory"})
    assert 'model="RB750Gr3",serial="HEX7A1B2C3"' in text
    [ok] = [ln for ln in text.splitlines() if ln.startswith("edunet_reconcile_ok{")]
    assert ok.endswith(" 1.0")
    assert "edunet_reconcile_mismatch{" not in text


def test_wrong_keys_are_an_auth_failure(small: Inventory, agent: int) -> None:
    wrong = {**ENV, "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": "not-the-key-at-all"}
    [text] = scrape(small, agent, wrong, {"target": RT})
    assert 'reason="auth"} 1.0' in text
    assert "not-the-key-at-all" not in text


def reconcile_command(port: int, secrets: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUNET_")}
    argv = [sys.executable, "-m", "edunet", "reconcile", "-i", "tests/core/data/small.yaml"]
    argv += ["--address-map", "10.0.0.0/8=127.0.0.0/8", "--snmp-port", str(port)]
    argv += ["--secrets-file", str(secrets), "--timeout", "1", *extra]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_the_reconcile_command(agent: int, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text("".join(f"{k}: {v}\n" for k, v in ENV.items()))
    secrets.chmod(0o600)
    done = reconcile_command(agent, secrets, "--device", RT, "--format", "json")
    assert done.returncode == 0, done.stderr
    [report] = json.loads(done.stdout)
    assert report["device"] == RT and report["ok"] is True and report["neighbours_seen"] == 1
    assert "1 devices: 1 match, 0 differ, 0 not polled" in done.stderr
    # the whole school: only the router answers here, so the others are not polled
    done = reconcile_command(agent, secrets, "--site", "79760012", "--format", "csv")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("\ufeff")  # CSV as the API writes it, for Excel
    lines = done.stdout.removeprefix("\ufeff").splitlines()
    assert lines[0] == "device,site,check,port,expected,found,note"
    assert {ln.split(",")[0] for ln in lines[1:]} == {
        "79760012-sw1",
        "79760012-ap1",
        "79760012-ap2",
    }
    # nothing listens there: ICMP port unreachable (network) or silence (timeout)
    assert all(",poll,,,timeout," in ln or ",poll,,,network," in ln for ln in lines[1:])
    for text in (done.stdout, done.stderr):
        assert not any(v in text for v in ENV.values() if v != "public")
