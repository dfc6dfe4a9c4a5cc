"""snmp_exporter's snmp.yml (the 0.21 format Debian ships) for exactly one module's OIDs.

Shaped as its generator writes the ``if_mib`` module of the example generator.yml: ifAlias,
ifDescr and ifName are not metrics of their own but lookups on ifIndex, so every interface
sample carries ``ifIndex``, ``ifAlias``, ``ifDescr`` and ``ifName``.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from exporters.snmp.oids import Module

# How snmp_exporter should turn each object into a metric (strings become labels).
_TYPES = {
    "sysDescr": "DisplayString",
    "sysObjectID": "DisplayString",
    "sysName": "DisplayString",
    "ifInDiscards": "counter",
    "ifInErrors": "counter",
    "ifOutDiscards": "counter",
    "ifOutErrors": "counter",
    "ifHCInOctets": "counter",
    "ifHCOutOctets": "counter",
}


# the generator's if_mib lookups, in its order (generator.yml: lookups on ifIndex, then ignored)
LOOKUPS = ("ifAlias", "ifDescr", "ifName")


def _dotted(oid: tuple[int, ...]) -> str:
    return ".".join(map(str, oid))


def snmp_yml(
    module: Module,
    community: str,
    *,
    v3: tuple[str, str, str] | None = None,
    max_repetitions: int = 25,
) -> str:
    """Module ``<name>`` over v2c ``community``; with ``v3`` = (user, auth key, priv key)
    also ``<name>_v3`` over SNMPv3 authPriv (SHA, AES)."""
    metrics: list[dict[str, Any]] = []
    for name, oid in module.scalars.items():
        metrics.append({"name": name, "oid": _dotted(oid[:-1]), "type": _TYPES.get(name, "gauge")})
    lookups = [
        {"labels": ["ifIndex"], "labelname": name, "oid": _dotted(module.columns[name])}
        | {"type": "DisplayString"}
        for name in LOOKUPS
        if name in module.columns
    ]
    for name, oid in module.columns.items():
        if name in LOOKUPS:
            continue
        metric: dict[str, Any] = {
            "name": name,
            "oid": _dotted(oid),
            "type": _TYPES.get(name, "gauge"),
            "indexes": [{"labelname": "ifIndex", "type": "gauge"}],
        }
        if lookups:
            metric["lookups"] = copy.deepcopy(lookups)  # no YAML anchors: as the generator writes
        metrics.append(metric)
    base = {
        "get": [_dotted(oid) for oid in module.scalars.values()],
        "walk": [_dotted(oid) for oid in module.columns.values()],
        "metrics": metrics,
        "max_repetitions": max_repetitions,
        "retries": 1,
        "timeout": "2s",
    }
    config = {module.name: {**base, "version": 2, "auth": {"community": community}}}
    if v3:
        user, auth, priv = v3
        security = {"username": user, "security_level": "authPriv", "password": auth}
        security |= {"auth_protocol": "SHA", "priv_protocol": "AES", "priv_password": priv}
        config[f"{module.name}_v3"] = {**base, "version": 3, "auth": security}
    return yaml.safe_dump(config, sort_keys=False)
