"""The SNMP exporter with its fast paths and with ``EDUNET_SNMP_FASTPATH=0``: the same metrics.

One snmpsim agent answers two devices of the small city on loopback: 79760012-rt1 over
SNMPv3 (SHA/AES) and 79760031-rt1 over SNMPv2c. ``edunet exporters run snmp`` is started
twice, fast paths on and off, and each scrape of both devices, both modules, must give the
same series with the same values, apart from the series that measure time.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.ports import free_port_on, free_tcp_port
from support.snmp_agents import (
    if_mib_records,
    snmpsim_binary,
    start_snmpsim,
    stop,
    wait_for_agent,
    write_snmprec,
)

from exporters.snmp.fastpath import SWITCH

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SMALL = Path(__file__).parents[1] / "core" / "data" / "small.yaml"
V3_DEVICE, V3_AGENT = "79760012-rt1", "127.33.3.1"  # 10.33.3.1 through the lab map
V2C_DEVICE, V2C_AGENT = "79760031-rt1", "127.33.7.193"  # a site given a v2c profile here
USER, AUTH, PRIV = "edunet-compare", "auth-key-compare-1", "priv-key-compare-1"
SECRETS = {
    "EDUNET_SNMP_V3_DEFAULT_USER": USER,
    "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": AUTH,
    "EDUNET_SNMP_V3_DEFAULT_PRIV_KEY": PRIV,
    "EDUNET_SNMP_V3_DEFAULT_CONTEXT": "public",
    "EDUNET_SNMP_LAB_V2C_COMMUNITY": "public",
}
# series that measure time: the poll's duration, and now minus an uptime
TIMING = (
    "edunet_snmp_poll_duration_seconds",
    "edunet_device_boot_time_seconds",
    "edunet_interface_last_change_seconds",
)


def _inventory(path: Path) -> Path:
    """The small city with one school polled over SNMPv2c."""
    text = SMALL.read_text(encoding="utf-8")
    profiles = "    v3-default: {version: v3, auth: sha, priv: aes}\n"
    school = '{code: "79760031", '
    assert profiles in text and school in text
    text = text.replace(profiles, profiles + "    lab-v2c: {version: v2c}\n")
    text = text.replace(school, school + "snmp: lab-v2c, ")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    if snmpsim_binary() is None or shutil.which("snmpget") is None:
        pytest.skip("snmpsim and net-snmp's tools are needed")
    data = tmp_path_factory.mktemp("snmpsim-compare")
    write_snmprec(data / "public.snmprec", if_mib_records(24))
    port = free_port_on([V3_AGENT, V2C_AGENT], socket.SOCK_DGRAM)
    endpoints = [f"{V3_AGENT}:{port}", f"{V2C_AGENT}:{port}"]
    process = start_snmpsim(data, endpoints, v3_user=USER, auth_key=AUTH, priv_key=PRIV)
    try:
        for address in (V3_AGENT, V2C_AGENT):
            wait_for_agent(address, port, "public")
        yield _inventory(data / "city.yaml"), port
    finally:
        stop(process)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=15) as resp:
        return str(resp.read().decode())


def _series(page: str) -> dict[str, str]:
    """{series: value} of an exposition page, the timing series left out."""
    out = {}
    for line in page.splitlines():
        if line and not line.startswith("#") and not line.startswith(TIMING):
            series, _, value = line.rpartition(" ")
            out[series] = value
    return out


def _scrapes(inventory: Path, snmp_port: int, fast: bool) -> tuple[dict[str, dict[str, str]], str]:
    """Each device and module scraped from a fresh exporter; and the exporter's log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUNET_")} | SECRETS
    if not fast:
        env[SWITCH] = "0"
    listen = free_tcp_port()
    argv = [sys.executable, "-m", "edunet", "exporters", "run", "snmp", "-i", str(inventory)]
    argv += ["--listen-snmp", f"127.0.0.1:{listen}", "--snmp-port", str(snmp_port)]
    argv += ["--address-map", "10.0.0.0/8=127.0.0.0/8", "--shutdown-timeout", "2"]
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{listen}"
    pages: dict[str, dict[str, str]] = {}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"{base}/-/healthy")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the exporter did not start: {proc.communicate()[1][-800:]}")
                time.sleep(0.2)
        for device in (V3_DEVICE, V2C_DEVICE):
            for module in ("if_mib", "inventory"):
                page = _get(f"{base}/snmp?target={device}&module={module}")
                pages[f"{device} {module}"] = _series(page)
    finally:
        proc.terminate()
        try:
            _, log = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, log = proc.communicate(timeout=5)
    return pages, log


def test_fast_and_plain_paths_scrape_the_same_metrics(agent: tuple[Path, int]) -> None:
    inventory, port = agent
    fast, fast_log = _scrapes(inventory, port, fast=True)
    plain, plain_log = _scrapes(inventory, port, fast=False)
    assert "SNMP fast paths off" not in fast_log
    assert f"SNMP fast paths off ({SWITCH}=0" in plain_log
    for scrape, series in fast.items():
        up = [v for s, v in series.items() if s.startswith("edunet_snmp_up{")]
        assert up == ["1.0"], (scrape, up)
        assert len(series) > (40 if "if_mib" in scrape else 5), scrape
        assert series == plain[scrape], scrape
