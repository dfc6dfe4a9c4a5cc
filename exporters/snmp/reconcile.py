"""Declared vs discovered: what a device reports (ENTITY-MIB chassis, LLDP neighbours)
against what the inventory says it is and how it is cabled.

Read from one :class:`PollResult` of the ``inventory`` module. Checked:

- ``model``: the chassis' entPhysicalModelName vs the device's hardware model;
- ``serial``: the chassis' serial vs the device's hardware record (skipped without one);
- ``neighbour_missing``: a declared lan/core link whose far end is not seen on its port;
- ``neighbour_port``: the far device is seen, but on another local or remote port;
- ``neighbour_unexpected``: a neighbour no link declares (an ISP's box on an uplink port is
  expected to be unknown and is not reported).

Uplinks to an upstream site are allowed but not required to show in LLDP, at either end: a
carrier's network usually sits between the two routers.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from edunet.model import Device, Inventory
from exporters.snmp.oids import ENT_CLASS_CHASSIS, MODULES
from exporters.snmp.result import PollError, PollResult, as_text

if TYPE_CHECKING:
    from exporters.snmp.targets import PollFn, Targets

__all__ = [
    "DeviceReport",
    "Expected",
    "Kind",
    "Mismatch",
    "Neighbour",
    "chassis",
    "declared",
    "discovered",
    "poll_and_reconcile",
    "reconcile",
]

REQUIRED_KINDS = ("lan", "core")  # cabling inside or between our own sites


class Kind(StrEnum):
    serial = "serial"
    model = "model"
    neighbour_missing = "neighbour_missing"
    neighbour_unexpected = "neighbour_unexpected"
    neighbour_port = "neighbour_port"


@dataclass(frozen=True, slots=True)
class Mismatch:
    kind: Kind
    port: str  # the device's own port ("" for chassis checks)
    expected: str
    found: str
    note: str = ""  # e.g. whose serial the device reports; not a metric label


@dataclass(slots=True)
class DeviceReport:
    device: str
    site: str
    polled: bool  # False: the poll failed and nothing could be compared
    error: PollError | None = None
    detail: str = ""
    chassis_reported: bool = False
    neighbours_seen: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.polled and not self.mismatches


@dataclass(frozen=True, slots=True)
class Neighbour:
    port: str  # our port
    name: str  # the neighbour's system name, as reported
    remote_port: str


@dataclass(frozen=True, slots=True)
class Expected:
    port: str  # our port
    device: str  # the device at the far end
    remote_port: str | None  # None where the inventory does not say
    required: bool  # lan/core: must be seen; uplinks: may be seen


def chassis(result: PollResult) -> tuple[str, str]:
    """The chassis row's model and serial (ENTITY-MIB), ``("", "")`` when not reported."""
    classes = result.columns.get("entPhysicalClass", {})
    for index in sorted(classes):
        if classes[index] == ENT_CLASS_CHASSIS:
            model = as_text(result.columns.get("entPhysicalModelName", {}).get(index)).strip()
            serial = as_text(result.columns.get("entPhysicalSerialNum", {}).get(index)).strip()
            return model, serial
    return "", ""


def discovered(result: PollResult, device: Device) -> list[Neighbour]:
    """LLDP neighbours; our port from lldpLocPortId, else the model's n-th interface."""
    loc = result.columns.get("lldpLocPortId", {})
    ports = result.columns.get("lldpRemPortId", {})
    out = []
    for index, name in sorted(result.columns.get("lldpRemSysName", {}).items()):
        if len(index) < 3:
            continue
        local_num = index[1]  # index: timeMark.localPortNum.remIndex
        port = as_text(loc.get((local_num,))).strip()
        if not port and 0 < local_num <= len(device.model.interfaces):
            port = device.model.interfaces[local_num - 1]
        out.append(Neighbour(port, as_text(name).strip(), as_text(ports.get(index)).strip()))
    return out


def declared(inv: Inventory, device: Device) -> list[Expected]:
    """The neighbours the inventory's links promise on the device's ports."""
    out = []
    for link in inv.site_links(device.site):
        for near, far in ((link.a, link.b), (link.b, link.a)):
            if near.device != device.name or near.port is None or far.device is None:
                continue
            out.append(Expected(near.port, far.device, far.port, link.kind in REQUIRED_KINDS))
    return out


_PORT = re.compile(r"^([A-Za-z-]*)(.*)$")


def same_port(a: str, b: str) -> bool:
    """``Gi1/0/25`` is ``GigabitEthernet1/0/25``: same numbers, one name a prefix of the other."""
    if a.lower() == b.lower():
        return True
    ma, mb = _PORT.match(a.strip()), _PORT.match(b.strip())
    if ma is None or mb is None or ma.group(2) != mb.group(2) or not ma.group(2):
        return False
    na, nb = ma.group(1).lower(), mb.group(1).lower()
    return bool(na and nb) and (na.startswith(nb) or nb.startswith(na))


def same_device(reported: str, name: str) -> bool:
    """A sysName may carry the domain: ``sw1.hcm.edu.vn`` is ``sw1``."""
    return reported.lower().split(".")[0] == name.lower()


def _serial_owner(inv: Inventory, serial: str) -> str:
    for record in inv.hardware():
        if record.serial == serial:
            if record.device is not None:
                return f"serial of {record.device}"
            return f"serial of a {record.status.value} unit at {record.site}"
    return "serial not in the inventory"


def reconcile(inv: Inventory, device: Device, result: PollResult) -> DeviceReport:
    """Compare one ``inventory`` poll with the inventory."""
    report = DeviceReport(device.name, device.site, result.ok, result.error, result.detail)
    if not result.ok:
        return report
    model, serial = chassis(result)
    report.chassis_reported = bool(model or serial)
    if model and model.lower() != device.model.model.lower():
        report.mismatches.append(Mismatch(Kind.model, "", device.model.model, model))
    record = device.hardware
    if serial and record is not None and serial != record.serial:
        note = _serial_owner(inv, serial)
        report.mismatches.append(Mismatch(Kind.serial, "", record.serial, serial, note))
    seen = discovered(result, device)
    report.neighbours_seen = len(seen)
    report.mismatches.extend(_neighbours(inv, device, declared(inv, device), seen))
    return report


def _neighbours(
    inv: Inventory, device: Device, expected: list[Expected], seen: list[Neighbour]
) -> Iterable[Mismatch]:
    matched: set[int] = set()
    free = [(i, n) for i, n in enumerate(seen)]  # not yet matched to a declared link

    def take(i: int) -> Neighbour:
        matched.add(i)
        return seen[i]

    declared_at = {(e.port, e.device) for e in expected}
    for e in expected:
        far = f"{e.device}:{e.remote_port}" if e.remote_port else e.device
        here = [
            i
            for i, n in free
            if i not in matched and same_port(n.port, e.port) and same_device(n.name, e.device)
        ]
        if here:
            n = take(here[0])
            if e.remote_port and n.remote_port and not same_port(n.remote_port, e.remote_port):
                found = f"{n.port} -> {n.name}:{n.remote_port}"
                yield Mismatch(Kind.neighbour_port, e.port, f"{e.port} -> {far}", found)
            continue
        # the far device on another of our ports, where no link declares it: re-cabled
        elsewhere = [
            i
            for i, n in free
            if i not in matched
            and same_device(n.name, e.device)
            and not any(same_port(n.port, p) and d == e.device for p, d in declared_at)
        ]
        if elsewhere:
            n = take(elsewhere[0])
            found = f"{n.port} -> {n.name}:{n.remote_port}" if n.remote_port else n.port
            yield Mismatch(Kind.neighbour_port, e.port, f"{e.port} -> {far}", found)
        elif e.required:
            others = ", ".join(n.name for n in seen if same_port(n.port, e.port))
            yield Mismatch(Kind.neighbour_missing, e.port, far, others)
    uplinks = set(inv.uplink_ports(device.name))
    # the routers of the sites this device serves: their uplinks name no port at this end
    served = [
        link.a.device
        for link in inv.site_links(device.site)
        if link.kind == "uplink" and link.b.device == device.name and link.a.device
    ]
    for i, n in enumerate(seen):
        if i in matched or any(same_device(n.name, d) for d in served):
            continue
        known = any(same_device(n.name, d) for d in inv.devices)
        if not known and any(same_port(n.port, p) for p in uplinks):
            continue  # the ISP's equipment on an Internet or carrier uplink
        found = f"{n.name}:{n.remote_port}" if n.remote_port else n.name
        yield Mismatch(Kind.neighbour_unexpected, n.port, "", found)


async def poll_and_reconcile(
    inv: Inventory,
    devices: Iterable[Device],
    targets: Targets,
    poll: PollFn,
    *,
    concurrency: int = 32,
    timeout_s: float = 5.0,
    retries: int = 1,
) -> list[DeviceReport]:
    """Poll each device's ``inventory`` module (at most ``concurrency`` at once) and compare."""
    module = MODULES["inventory"]
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(device: Device) -> DeviceReport:
        found = targets.resolve(device.name)
        if found.target is None:
            return reconcile(inv, device, found.failed(module.name))
        async with gate:
            result = await poll(found.target, module, timeout_s=timeout_s, retries=retries)
        return reconcile(inv, device, result)

    return list(await asyncio.gather(*(one(d) for d in devices)))
