"""What the exporter asks a device for: modules of scalars (GET) and table columns (walk).

Two modules, as snmp_exporter users know them: ``if_mib`` on every scrape, ``inventory``
(ENTITY-MIB and LLDP-MIB, for reconciliation) on a slower scrape. Only these OIDs are
asked, so an agent never walks more than the exporter needs.
"""

from __future__ import annotations

from dataclasses import dataclass

Oid = tuple[int, ...]


def oid(text: str) -> Oid:
    return tuple(int(x) for x in text.strip(".").split("."))


@dataclass(frozen=True, slots=True)
class Module:
    name: str
    scalars: dict[str, Oid]  # name -> instance OID (with .0), read with one GET
    columns: dict[str, Oid]  # name -> column OID, walked with GETBULK


SYSTEM = {
    "sysDescr": oid("1.3.6.1.2.1.1.1.0"),
    "sysObjectID": oid("1.3.6.1.2.1.1.2.0"),
    "sysUpTime": oid("1.3.6.1.2.1.1.3.0"),
    "sysName": oid("1.3.6.1.2.1.1.5.0"),
}

IF_COLUMNS = {
    # IF-MIB ifTable
    "ifDescr": oid("1.3.6.1.2.1.2.2.1.2"),
    "ifType": oid("1.3.6.1.2.1.2.2.1.3"),
    "ifAdminStatus": oid("1.3.6.1.2.1.2.2.1.7"),
    "ifOperStatus": oid("1.3.6.1.2.1.2.2.1.8"),
    "ifLastChange": oid("1.3.6.1.2.1.2.2.1.9"),
    "ifInDiscards": oid("1.3.6.1.2.1.2.2.1.13"),
    "ifInErrors": oid("1.3.6.1.2.1.2.2.1.14"),
    "ifOutDiscards": oid("1.3.6.1.2.1.2.2.1.19"),
    "ifOutErrors": oid("1.3.6.1.2.1.2.2.1.20"),
    # IF-MIB ifXTable
    "ifName": oid("1.3.6.1.2.1.31.1.1.1.1"),
    "ifHCInOctets": oid("1.3.6.1.2.1.31.1.1.1.6"),
    "ifHCOutOctets": oid("1.3.6.1.2.1.31.1.1.1.10"),
    "ifHighSpeed": oid("1.3.6.1.2.1.31.1.1.1.15"),
    "ifAlias": oid("1.3.6.1.2.1.31.1.1.1.18"),
}

ENTITY_COLUMNS = {
    # ENTITY-MIB entPhysicalTable
    "entPhysicalDescr": oid("1.3.6.1.2.1.47.1.1.1.1.2"),
    "entPhysicalClass": oid("1.3.6.1.2.1.47.1.1.1.1.5"),
    "entPhysicalSerialNum": oid("1.3.6.1.2.1.47.1.1.1.1.11"),
    "entPhysicalModelName": oid("1.3.6.1.2.1.47.1.1.1.1.13"),
}

LLDP_COLUMNS = {
    # LLDP-MIB: the local port table (index localPortNum) and the remote table
    # (index timeMark.localPortNum.remIndex)
    "lldpLocPortId": oid("1.0.8802.1.1.2.1.3.7.1.3"),
    "lldpRemPortId": oid("1.0.8802.1.1.2.1.4.1.1.7"),
    "lldpRemSysName": oid("1.0.8802.1.1.2.1.4.1.1.9"),
}

MODULES = {
    "if_mib": Module("if_mib", SYSTEM, IF_COLUMNS),
    "inventory": Module("inventory", SYSTEM, {**ENTITY_COLUMNS, **LLDP_COLUMNS}),
}

# ENTITY-MIB PhysicalClass: the chassis row carries the device's model and serial
ENT_CLASS_CHASSIS = 3
