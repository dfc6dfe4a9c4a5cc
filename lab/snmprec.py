"""A device's SNMP data as snmpsim ``.snmprec`` records, from the inventory.

Only what the exporter and discovery ask for (system group, IF-MIB subset, ENTITY chassis
row, LLDP neighbours and their management addresses) is written, so a walk costs the agents
as little as possible. Values that move with time or faults (uptime, counters, oper status,
serial) are records of the ``edunet_live`` variation module; their parameters are written
once here and parsed once by the agent.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from edunet.model import Device, DeviceRole, Inventory, Link
from lab.traffic import boot_phase

__all__ = [
    "LIVE",
    "Port",
    "device_ports",
    "device_records",
    "lab_devices",
    "lldp_neighbours",
    "lldp_port",
    "port_links",
    "port_speed_mbps",
]

LIVE = "edunet_live"  # the variation module's name (lab/variation/edunet_live.py)

SYS = "1.3.6.1.2.1.1"
IF = "1.3.6.1.2.1.2.2.1"
IFX = "1.3.6.1.2.1.31.1.1.1"
ENT = "1.3.6.1.2.1.47.1.1.1.1"
LLDP_LOC = "1.0.8802.1.1.2.1.3.7.1"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
LLDP_REM_MAN = "1.0.8802.1.1.2.1.4.2.1"  # lldpRemManAddrTable

# an uplink between two of the city's routers over a carrier's layer-2 circuit (Metro
# Ethernet, a leased line) or a bare fibre passes LLDP from one router to the other; FTTH and
# 4G are the ISP's routed access and carry none (nor does an uplink to the Internet)
LLDP_MEDIA = ("metronet", "leased_line", "fiber")

# snmprec type tags
INTEGER, OCTETS, OID, COUNTER32, GAUGE32, TICKS, COUNTER64 = 2, 4, 6, 65, 66, 67, 70

FALLBACK_OBJECT_ID = "1.3.6.1.4.1.8072.3.2.10"  # net-snmp's Linux agent: plausible for hosts

_SPEEDS = (  # prefix of a port name (lower case) -> Mbit/s; first match wins
    ("hundredgig", 100_000),
    ("fortygig", 40_000),
    ("twentyfivegig", 25_000),
    ("tengig", 10_000),
    ("te", 10_000),
    ("sfp-sfpplus", 10_000),
    ("sfp+", 10_000),
    ("fastethernet", 100),
    ("fa", 100),
)


@dataclass(frozen=True, slots=True)
class Port:
    index: int  # ifIndex: position in the model's interfaces, from 1
    name: str
    speed_mbps: int
    alias: str
    up: bool
    uplink: bool  # carries the site's uplink (busier, mostly inbound)
    linked: bool  # the far end is known (a link of the inventory)
    peak_mbps: float  # the port's busiest rate, each way, on a school day


def lab_devices(inv: Inventory) -> list[Device]:
    """The devices the lab serves over SNMP, in inventory order."""
    return [d for d in inv.devices.values() if d.platform.snmp and d.snmp is not None]


def port_speed_mbps(name: str) -> int:
    low = name.lower()
    for prefix, speed in _SPEEDS:
        if low.startswith(prefix):
            return speed
    return 1000


def _seed(*parts: str) -> int:
    return zlib.crc32("\x1f".join(parts).encode())


PortLinks = dict[str, dict[str, Link]]  # device -> port -> the link on that port


def port_links(inv: Inventory) -> PortLinks:
    """Every link end that names a device and a port, indexed once for the whole city."""
    out: PortLinks = {}
    for link in inv.links.values():
        for end in (link.a, link.b):
            if end.device is not None and end.port is not None:
                out.setdefault(end.device, {})[end.port] = link
    return out


def device_ports(
    inv: Inventory, device: Device, links_by_port: PortLinks | None = None
) -> list[Port]:
    uplinks = inv.uplink_ports(device.name)
    index = port_links(inv) if links_by_port is None else links_by_port
    links = index.get(device.name, {})
    access_up_pct = 85 if device.role is DeviceRole.access_point else 55
    out: list[Port] = []
    for i, name in enumerate(device.model.interfaces):
        speed = port_speed_mbps(name)
        seed = _seed(device.name, name)
        link = uplinks.get(name) or links.get(name)
        if name in uplinks:
            up_link = uplinks[name]
            circuit = up_link.circuit_id or up_link.id
            alias = f"uplink {up_link.isp or 'ISP'} {circuit}"
            # a site uplink runs near its contracted rate at the busiest hour
            peak = min(speed, up_link.bandwidth_mbps) * 0.7
            out.append(Port(i + 1, name, speed, alias, True, True, True, peak))
            continue
        if link is not None:
            far = link.b if link.a.device == device.name else link.a
            alias = f"{far.label}" if far.device else f"{link.kind} {link.id}"
            peak = min(speed, link.bandwidth_mbps) * (0.25 + (seed % 30) / 100)
            out.append(Port(i + 1, name, speed, alias, True, False, True, peak))
            continue
        up = seed % 100 < access_up_pct
        peak = min(speed, 1000) * (0.01 + (seed % 8) / 100) if up else 0.0
        out.append(Port(i + 1, name, speed, "", up, False, False, peak))
    return out


def lldp_port(inv: Inventory, device: str, links_by_port: PortLinks) -> str:
    """The port where ``device`` hears the routers of the sites it serves over a carrier: its
    last port no link uses (where the carrier hands off), else its last port."""
    interfaces = inv.devices[device].model.interfaces
    used = links_by_port.get(device, {})
    free = [p for p in interfaces if p not in used]
    return free[-1] if free else interfaces[-1]


def _carries_lldp(link: Link) -> bool:
    if link.kind in ("lan", "core"):
        return True
    return link.kind == "uplink" and str(link.medium) in LLDP_MEDIA


def lldp_neighbours(
    inv: Inventory, device: str, links_by_port: PortLinks | None = None
) -> list[tuple[int, str, str]]:
    """(local ifIndex, neighbour device, neighbour port) for the device's LAN and core links
    and its uplinks over a carrier's layer 2 (see :data:`LLDP_MEDIA`), on both ends."""
    index = {name: i + 1 for i, name in enumerate(inv.devices[device].model.interfaces)}
    links_by_port = port_links(inv) if links_by_port is None else links_by_port
    by_port = links_by_port.get(device, {})
    links = [link for link in by_port.values() if _carries_lldp(link)]
    # the upstream end of an uplink names no port: the uplinks of the sites it serves
    links += [
        link
        for link in inv.site_links(inv.devices[device].site)
        if link.kind == "uplink" and link.b.device == device and link.b.port is None
        and _carries_lldp(link)
    ]  # fmt: skip
    out = []
    for link in links:
        ends = [(link.a, link.b), (link.b, link.a)]
        for near, far in ends:
            if near.device != device or far.device is None:
                continue
            if near.port is None:
                if link.kind != "uplink":
                    continue
                near_port = lldp_port(inv, device, links_by_port)
            else:
                near_port = near.port
            if near_port not in index:
                continue
            if far.port is not None:
                far_port = far.port
            elif link.kind == "uplink":
                far_port = lldp_port(inv, far.device, links_by_port)
            else:
                # LLDP always names the far port; where the inventory does not record it,
                # the simulated neighbour reports its last port, which reconciliation accepts
                far_port = inv.devices[far.device].model.interfaces[-1]
            out.append((index[near_port], far.device, far_port))
    return sorted(set(out))


def _text(value: str) -> tuple[str, str]:
    """An OCTET STRING value: plain when safe ASCII, else hex of its UTF-8 bytes."""
    if value.isascii() and value.isprintable() and "|" not in value and "\\" not in value:
        return str(OCTETS), value
    return f"{OCTETS}x", value.encode().hex()


_SEPARATOR = re.compile(r"[,=|\n]")


def _live(tag: int, **params: object) -> tuple[str, str]:
    text = [str(v) for v in params.values()]
    for v in text:
        if _SEPARATOR.search(v):
            raise ValueError(f"live record parameter {v!r} holds a separator")
    return f"{tag}:{LIVE}", ",".join(f"{k}={v}" for k, v in zip(params, text, strict=True))


def _sys_descr(device: Device) -> str:
    m = device.model
    text = m.description or f"{m.vendor} {m.model}"
    return f"{m.vendor} {m.model}, {text} ({device.platform.name})"


def device_records(
    inv: Inventory, device: Device, links_by_port: PortLinks | None = None
) -> list[str]:
    """Every snmprec line of one device, sorted by OID as snmpsim requires.

    Pass ``port_links(inv)`` when writing many devices: it is the expensive part."""
    links_by_port = port_links(inv) if links_by_port is None else links_by_port
    site = inv.sites[device.site]
    d = device.name
    rows: list[tuple[str, tuple[str, str]]] = [
        (f"{SYS}.1.0", _text(_sys_descr(device))),
        (f"{SYS}.2.0", (str(OID), device.model.sys_object_id or FALLBACK_OBJECT_ID)),
        (f"{SYS}.3.0", _live(TICKS, f="up", d=d, ph=boot_phase(d))),
        (f"{SYS}.4.0", _text(f"noc@{inv.city.domain}")),
        (f"{SYS}.5.0", _text(d)),
        (f"{SYS}.6.0", _text(f"{site.name}, {site.address}")),
    ]
    phase = boot_phase(d)
    for p in device_ports(inv, device, links_by_port):
        i, s = p.index, _seed(d, p.name)
        oper = 1 if p.up else 2
        # uplinks bring the Internet in; access ports send it on to the pupils
        bps_in = p.peak_mbps * 1e6 / 8 * (1.0 if p.uplink else 0.35)
        bps_out = p.peak_mbps * 1e6 / 8 * (0.3 if p.uplink else 1.0)
        errs = (s % 5) * 0.5 if p.up else 0.0
        rows += [
            (f"{IF}.2.{i}", _text(p.name)),
            (f"{IF}.3.{i}", (str(INTEGER), "6")),  # ethernetCsmacd
            (f"{IF}.7.{i}", (str(INTEGER), "1")),
            (f"{IF}.8.{i}", _live(INTEGER, f="oper", d=d, p=p.name, v=oper)),
            (f"{IF}.9.{i}", _live(TICKS, f="chg", d=d, p=p.name, v=3000 + 17 * i, ph=phase)),
            (f"{IF}.13.{i}", _live(COUNTER32, f="err", d=d, p=p.name, r=errs * 3, s=s + 13)),
            (f"{IF}.14.{i}", _live(COUNTER32, f="err", d=d, p=p.name, r=errs, s=s + 14)),
            (f"{IF}.19.{i}", _live(COUNTER32, f="err", d=d, p=p.name, r=errs * 2, s=s + 19)),
            (f"{IF}.20.{i}", _live(COUNTER32, f="err", d=d, p=p.name, r=errs / 4, s=s + 20)),
            (f"{IFX}.1.{i}", _text(p.name)),
            (f"{IFX}.6.{i}", _live(COUNTER64, f="oct", k=round(bps_in), s=s + 6)),
            (f"{IFX}.10.{i}", _live(COUNTER64, f="oct", k=round(bps_out), s=s + 10)),
            (f"{IFX}.15.{i}", (str(GAUGE32), str(p.speed_mbps))),
            (f"{IFX}.18.{i}", _text(p.alias)),
            (f"{LLDP_LOC}.3.{i}", _text(p.name)),
        ]
    serial = device.hardware.serial if device.hardware else ""
    m = device.model
    rows += [
        (f"{ENT}.2.1", _text(f"{m.vendor} {m.model} chassis")),
        (f"{ENT}.5.1", (str(INTEGER), "3")),  # chassis
        (f"{ENT}.11.1", _live(OCTETS, f="ser", d=d, v=serial)),
        (f"{ENT}.13.1", _text(m.model)),
    ]
    for rem, (local, far_dev, far_port) in enumerate(
        lldp_neighbours(inv, d, links_by_port), start=1
    ):
        idx = f"0.{local}.{rem}"  # timeMark 0: learnt before the agent's clock began
        rows += [
            (f"{LLDP_REM}.7.{idx}", _text(far_port)),
            (f"{LLDP_REM}.9.{idx}", _text(far_dev)),
        ]
        # its management address (IPv4: subtype 1, four octets), as LLDP-MIB indexes
        # lldpRemManAddrTable; of its columns only lldpRemManAddrIfSubtype, which discovery
        # walks (the address is in the index)
        man = f"{idx}.1.4.{inv.devices[far_dev].mgmt_ip}"
        rows.append((f"{LLDP_REM_MAN}.3.{man}", (str(INTEGER), "2")))  # ifIndex
    rows.sort(key=lambda r: tuple(map(int, r[0].split("."))))
    return [f"{oid}|{tag}|{value}" for oid, (tag, value) in rows]
