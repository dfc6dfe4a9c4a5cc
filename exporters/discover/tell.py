"""What one device tells about itself and its neighbours, read from one SNMP poll.

Asked: the system group (sysName, sysObjectID, sysLocation), IF-MIB port names and
speeds, the ENTITY-MIB chassis (model and serial), and LLDP-MIB neighbours with the
management address each advertises (lldpRemManAddrTable, indexed
timeMark.localPortNum.remIndex.addrSubtype.addrLength.addr).
"""

from __future__ import annotations

from dataclasses import dataclass

from exporters.snmp.oids import ENTITY_COLUMNS, LLDP_COLUMNS, Module, oid
from exporters.snmp.reconcile import chassis
from exporters.snmp.result import PollResult, as_text

__all__ = ["DISCOVER", "Heard", "Told", "read"]

IPV4 = 1  # IANA address family number: lldpRemManAddrSubtype ipV4

DISCOVER = Module(
    "discover",
    {
        "sysObjectID": oid("1.3.6.1.2.1.1.2.0"),
        "sysName": oid("1.3.6.1.2.1.1.5.0"),
        "sysLocation": oid("1.3.6.1.2.1.1.6.0"),
    },
    {
        "ifName": oid("1.3.6.1.2.1.31.1.1.1.1"),
        "ifHighSpeed": oid("1.3.6.1.2.1.31.1.1.1.15"),
        "ifAlias": oid("1.3.6.1.2.1.31.1.1.1.18"),
        **ENTITY_COLUMNS,
        **LLDP_COLUMNS,
        "lldpRemManAddrIfSubtype": oid("1.0.8802.1.1.2.1.4.2.1.3"),
    },
)


@dataclass(frozen=True, slots=True)
class Heard:
    """One LLDP neighbour: on our ``port``, the system ``name`` on its ``remote_port``."""

    port: str
    name: str
    remote_port: str
    address: str | None  # the IPv4 management address it advertises


@dataclass(frozen=True, slots=True)
class Told:
    address: str  # the management address it was reached at (the inventory's numbering)
    name: str  # sysName without the domain
    object_id: str
    location: str
    model: str  # ENTITY-MIB chassis model name, "" when not reported
    serial: str
    ports: tuple[str, ...]  # ifName in ifIndex order
    aliases: dict[str, str]  # port -> ifAlias, where set
    speeds: dict[str, int]  # port -> Mbit/s
    neighbours: tuple[Heard, ...]


def short_name(sys_name: str) -> str:
    """A sysName may carry the domain: ``sw1.hcm.edu.vn`` is ``sw1``."""
    return sys_name.strip().split(".")[0]


def _addresses(result: PollResult) -> dict[tuple[int, ...], str]:
    """(timeMark, localPortNum, remIndex) -> the first IPv4 management address advertised."""
    out: dict[tuple[int, ...], str] = {}
    for index in sorted(result.columns.get("lldpRemManAddrIfSubtype", {})):
        if len(index) == 9 and index[3] == IPV4 and index[4] == 4:
            out.setdefault(index[:3], ".".join(str(b) for b in index[5:]))
    return out


def read(address: str, result: PollResult) -> Told:
    """What the ``DISCOVER`` poll ``result`` of the device at ``address`` says."""
    cols = result.columns
    names = cols.get("ifName", {})
    ports = {index: as_text(v).strip() for index, v in names.items() if len(index) == 1}
    ordered = tuple(ports[i] for i in sorted(ports))
    aliases = {
        ports[i]: as_text(v).strip()
        for i, v in cols.get("ifAlias", {}).items()
        if i in ports and as_text(v).strip()
    }
    speeds = {
        ports[i]: v
        for i, v in cols.get("ifHighSpeed", {}).items()
        if i in ports and isinstance(v, int)
    }
    local = {i[0]: as_text(v).strip() for i, v in cols.get("lldpLocPortId", {}).items() if i}
    remote_ports = cols.get("lldpRemPortId", {})
    addresses = _addresses(result)
    heard = []
    for index, name in sorted(cols.get("lldpRemSysName", {}).items()):
        if len(index) != 3:
            continue
        port = local.get(index[1]) or ports.get((index[1],), "")
        heard.append(
            Heard(
                port,
                short_name(as_text(name)),
                as_text(remote_ports.get(index)).strip(),
                addresses.get(index),
            )
        )
    model, serial = chassis(result)
    return Told(
        address=address,
        name=short_name(as_text(result.scalars.get("sysName"))),
        object_id=as_text(result.scalars.get("sysObjectID")).strip("."),
        location=as_text(result.scalars.get("sysLocation")).strip(),
        model=model,
        serial=serial,
        ports=ordered,
        aliases=aliases,
        speeds=speeds,
        neighbours=tuple(heard),
    )
