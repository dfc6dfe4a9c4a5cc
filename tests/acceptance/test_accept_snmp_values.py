"""Acceptance: for every SNMP device of the sample city, the exporter reads what net-snmp's
own ``snmpget``/``snmpbulkwalk`` read from the same lab agent at the same moment."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

import aiohttp
import pytest

from edunet.model import Device

if TYPE_CHECKING:
    from lab_kit import Exporter, Lab, Metrics

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CONCURRENCY = 12  # devices at once: one scrape, then up to three net-snmp processes each
SWEEP_BOUND_S = 900.0  # the whole sweep; over ~240 s is reported as slow
SCRAPE_TIMEOUT_S = 20.0

SYS = (1, 3, 6, 1, 2, 1, 1)
SYS_OBJECT_ID, SYS_UPTIME, SYS_NAME = (*SYS, 2, 0), (*SYS, 3, 0), (*SYS, 5, 0)
IF_ENTRY = (1, 3, 6, 1, 2, 1, 2, 2, 1)
IFX_ENTRY = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)
# exporter family -> (table, column) of the counter it exports
COUNTERS = {
    "edunet_interface_in_octets_total": (IFX_ENTRY, 6),
    "edunet_interface_out_octets_total": (IFX_ENTRY, 10),
    "edunet_interface_in_errors_total": (IF_ENTRY, 14),
    "edunet_interface_out_errors_total": (IF_ENTRY, 20),
    "edunet_interface_in_discards_total": (IF_ENTRY, 13),
    "edunet_interface_out_discards_total": (IF_ENTRY, 19),
}


@dataclass
class Reading:
    """One device: the exporter's scrape, then net-snmp's reads, with the times around them."""

    device: Device
    metrics: Metrics
    values: dict[tuple[int, ...], str]
    started: float  # before the scrape was sent
    walked: float  # after the last net-snmp read
    scrape_s: float
    walk_s: float


async def _net_snmp(kit: ModuleType, lab: Lab, device: Device, tool: str, *oids: str) -> str:
    argv = [tool, *kit.NET_SNMP_OUTPUT, "-t", "5", "-r", "2", *kit.net_snmp_auth(lab, device)]
    if tool == "snmpbulkwalk":
        argv += ["-Cr25"]
    argv += [f"{kit.lab_address(device)}:{lab.port}", *oids]
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 120)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError(f"{device.name}: {tool} overran 120 s") from None
    assert proc.returncode == 0, f"{device.name}: {tool} failed: {err.decode().strip()[:200]}"
    return out.decode("utf-8", "replace")


async def _read(
    kit: ModuleType, lab: Lab, exporter: Exporter, http: aiohttp.ClientSession, device: Device
) -> Reading:
    started = time.time()
    url = f"{exporter.base}/snmp?target={device.name}&module=if_mib"
    headers = {kit.TIMEOUT_HEADER: str(SCRAPE_TIMEOUT_S)}
    async with http.get(url, headers=headers) as response:
        body = await response.text()
        assert response.status == 200, f"{device.name}: HTTP {response.status}"
    scraped = time.time()
    sys_oids = [".".join(map(str, o)) for o in (SYS_OBJECT_ID, SYS_UPTIME, SYS_NAME)]
    outputs = await asyncio.gather(
        _net_snmp(kit, lab, device, "snmpget", *sys_oids),
        _net_snmp(kit, lab, device, "snmpbulkwalk", ".".join(map(str, IF_ENTRY))),
        _net_snmp(kit, lab, device, "snmpbulkwalk", ".".join(map(str, IFX_ENTRY))),
    )
    walked = time.time()
    values: dict[tuple[int, ...], str] = {}
    for out in outputs:
        values.update(kit.parse_net_snmp(out))
    return Reading(
        device,
        kit.Metrics.parse(body),
        values,
        started,
        walked,
        scraped - started,
        walked - scraped,
    )


def _column(values: dict[tuple[int, ...], str], entry: tuple[int, ...], col: int) -> dict[int, str]:
    prefix = (*entry, col)
    return {oid[-1]: v for oid, v in values.items() if oid[:-1] == prefix}


def _names(values: dict[tuple[int, ...], str]) -> dict[int, str]:
    """ifIndex -> the exporter's ``interface`` label: ifName, else ifDescr, made unique."""
    names, descrs = _column(values, IFX_ENTRY, 1), _column(values, IF_ENTRY, 2)
    out: dict[int, str] = {}
    seen: set[str] = set()
    for index in sorted(set(names) | set(descrs) | set(_column(values, IF_ENTRY, 8))):
        name = names.get(index) or descrs.get(index) or str(index)
        if name in seen:
            name = f"{name} (ifIndex {index})"
        seen.add(name)
        out[index] = name
    return out


def compare(r: Reading) -> list[str]:
    """Every difference between the exporter and net-snmp for one device (empty: equal)."""
    name, m, v = r.device.name, r.metrics, r.values
    elapsed = r.walked - r.started
    bad: list[str] = []
    if m.one("edunet_snmp_up") != 1.0:
        return [f"{name}: edunet_snmp_up 0 ({m.all('edunet_snmp_error')})"]
    info = m.labels("edunet_device_info")
    if info["sys_name"] != v.get(SYS_NAME):
        bad.append(f"{name}: sysName {info['sys_name']!r} != {v.get(SYS_NAME)!r}")
    if info["sys_object_id"] != v.get(SYS_OBJECT_ID, "").lstrip("."):
        bad.append(f"{name}: sysObjectID {info['sys_object_id']} != {v.get(SYS_OBJECT_ID)}")
    uptime_walk = int(v[SYS_UPTIME]) / 100
    uptime_exp = m.one("edunet_device_uptime_seconds")
    if not 0 <= uptime_walk - uptime_exp <= elapsed + 0.02:
        bad.append(f"{name}: uptime {uptime_exp} then {uptime_walk} within {elapsed:.2f} s")
    names = _names(v)
    oper, admin = _column(v, IF_ENTRY, 8), _column(v, IF_ENTRY, 7)
    speeds, last_change = _column(v, IFX_ENTRY, 15), _column(v, IF_ENTRY, 9)
    boot_walk = r.walked - uptime_walk  # within ``elapsed`` of the agent's boot time
    exp_oper = m.by_interface("edunet_interface_oper_up")
    if set(exp_oper) != set(names.values()):
        bad.append(f"{name}: interfaces {sorted(exp_oper)} != {sorted(names.values())}")
        return bad
    exp_admin = m.by_interface("edunet_interface_admin_up")
    exp_speed = m.by_interface("edunet_interface_speed_bps")
    exp_change = m.by_interface("edunet_interface_last_change_seconds")
    exp_counters = {fam: m.by_interface(fam) for fam in COUNTERS}
    for index, port in names.items():
        where = f"{name} {port}"
        if exp_oper[port] != float(oper[index] == "1"):
            bad.append(f"{where}: oper_up {exp_oper[port]} but ifOperStatus {oper[index]}")
        if exp_admin.get(port) != float(admin[index] == "1"):
            bad.append(f"{where}: admin_up {exp_admin.get(port)} but {admin[index]}")
        speed = int(speeds[index]) * 1e6
        if exp_speed.get(port) != speed:
            bad.append(f"{where}: speed {exp_speed.get(port)} != {speed}")
        change = boot_walk + int(last_change[index]) / 100
        if abs(exp_change.get(port, math.nan) - change) > elapsed + 1.5:
            bad.append(f"{where}: last change {exp_change.get(port)} vs {change:.1f}")
        for fam, (entry, col) in COUNTERS.items():
            walk = int(_column(v, entry, col)[index])
            exp = exp_counters[fam].get(port, math.nan)
            # octets at most at line rate; errors and discards at most one per minimal frame
            rate = speed / 8 if "octets" in fam else speed / 8 / 64
            growth = walk - exp
            floor = -max(1.0, exp * 2.0**-52)  # a counter past 2**53 loses its last bits
            if not floor <= growth <= rate * elapsed + 1:
                bad.append(f"{where}: {fam} {exp:.0f} then {walk} in {elapsed:.2f} s")
    return bad


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def test_every_device_reads_as_net_snmp_reads_it(
    kit: ModuleType, lab: Lab, exporter: Exporter
) -> None:
    devices = kit.snmp_devices(lab.inv)
    assert len(devices) == 1443

    async def sweep() -> tuple[list[Reading], list[str]]:
        gate = asyncio.Semaphore(CONCURRENCY)
        timeout = aiohttp.ClientTimeout(total=SCRAPE_TIMEOUT_S + 10)
        async with aiohttp.ClientSession(timeout=timeout) as http:

            async def one(d: Device) -> Reading | str:
                async with gate:
                    try:
                        return await _read(kit, lab, exporter, http, d)
                    except (AssertionError, aiohttp.ClientError, TimeoutError) as e:
                        return f"{d.name}: {type(e).__name__}: {e}"

            results = await asyncio.gather(*(one(d) for d in devices))
        return [r for r in results if isinstance(r, Reading)], [
            r for r in results if isinstance(r, str)
        ]

    started = time.monotonic()
    readings, failures = asyncio.run(asyncio.wait_for(sweep(), SWEEP_BOUND_S))
    took = time.monotonic() - started
    differences = [line for r in readings for line in compare(r)]
    ports = sum(len(r.metrics.all("edunet_interface_oper_up")) for r in readings)
    v2c = sum(1 for r in readings if r.device.snmp is not None and r.device.snmp.version == "v2c")
    scrape = [r.scrape_s for r in readings]
    walk = [r.walk_s for r in readings]
    kit.figure(
        "values",
        f"{len(readings)} devices ({v2c} v2c, {len(readings) - v2c} v3 authPriv), {ports} ports "
        f"in {took:.1f} s at {CONCURRENCY} devices at once; scrape median {_p(scrape, 0.5):.2f} s"
        f" p95 {_p(scrape, 0.95):.2f} s; net-snmp reads median {_p(walk, 0.5):.2f} s p95 "
        f"{_p(walk, 0.95):.2f} s; {len(failures)} failed, {len(differences)} differences"
        + (" (over 240 s: slow)" if took > 240 else ""),
    )
    assert failures == [], "\n".join(failures[:20])
    assert differences == [], f"{len(differences)} differences:\n" + "\n".join(differences[:30])
    assert len(readings) == len(devices)
