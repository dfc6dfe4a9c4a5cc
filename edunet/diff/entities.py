"""What each kind of thing in the inventory is, field by field, for comparing two snapshots.

Every entity becomes a flat mapping of field → value (dotted names for what it holds:
``hardware.serial``, ``a.port``, ``vlan staff.prefix``). References to other entities are
their key (a device's model is the model's name), and derived values that only repeat
another field (a device's district, a VLAN's gateway, a link end's /31) are left out, so a
change shows once, where it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from edunet.model import (
    Application,
    City,
    Device,
    District,
    Endpoint,
    HardwareModel,
    HardwareRecord,
    Inventory,
    Link,
    Services,
    Site,
    SnmpProfile,
    SshProfile,
    Vm,
)

Fields = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of entity: where the inventory keeps them and how one reads as fields."""

    name: str  # "device": what a change names
    section: Callable[[Inventory], Mapping[str, Any]]
    fields: Callable[[Any], Fields]
    addresses: Callable[[str], bool]  # which fields hold an address or a prefix


def plain(value: Any) -> Any:
    """A value as JSON and people read it: enums by value, addresses and dates as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _record(prefix: str, r: HardwareRecord | None) -> Fields:
    if r is None:
        return {}
    return {
        f"{prefix}.serial": r.serial,
        f"{prefix}.asset_tag": r.asset_tag,
        f"{prefix}.model": r.model,
        f"{prefix}.purchased": r.purchased,
        f"{prefix}.supplier": r.supplier,
        f"{prefix}.contract": r.contract,
        f"{prefix}.warranty_end": r.warranty_end,
        f"{prefix}.cost_vnd": r.cost_vnd,
        f"{prefix}.status": r.status,
    }


def site_fields(s: Site) -> Fields:
    out: Fields = {
        "kind": s.kind,
        "name": s.name,
        "district": s.district,
        "address": s.address,
        "level": s.level,
        "pupils": s.pupils,
        "profile": s.profile,
        "area": s.area,
        "slot": s.slot,
        "gateway": s.gateway,
        "upstream": s.upstream,
        "isolated": s.isolated,
        "endpoints.workstations": s.endpoints.workstations,
        "endpoints.laptops": s.endpoints.laptops,
        "endpoints.cameras": s.endpoints.cameras,
        "endpoints.printers": s.endpoints.printers,
        "endpoints.workstation_model": s.endpoints.workstation_model,
    }
    for v in s.vlans:
        out[f"vlan {v.name}.id"] = v.id
        out[f"vlan {v.name}.prefix"] = v.prefix
        out[f"vlan {v.name}.dhcp"] = v.dhcp
    for r in s.spares:
        out.update(_record(f"spare {r.serial}", r))
    return out


def device_fields(d: Device) -> Fields:
    return {
        "site": d.site,
        "role": d.role,
        "model": d.model.model,
        "mgmt_ip": d.mgmt_ip,
        "mgmt_prefix": d.mgmt_prefix,
        "loopback": d.loopback,
        "snmp": d.snmp.name if d.snmp else None,
        "ssh": d.ssh.name if d.ssh else None,
        **_record("hardware", d.hardware),
    }


def _end(prefix: str, e: Endpoint) -> Fields:
    return {f"{prefix}.device": e.device, f"{prefix}.port": e.port, f"{prefix}.site": e.site}


def link_fields(link: Link) -> Fields:
    return {
        "kind": link.kind,
        **_end("a", link.a),
        **_end("b", link.b),
        "medium": link.medium,
        "bandwidth_mbps": link.bandwidth_mbps,
        "isp": link.isp,
        "sla.availability_pct": link.sla.availability_pct if link.sla else None,
        "sla.restore_hours": link.sla.restore_hours if link.sla else None,
        "p2p": link.p2p,
        "circuit_id": link.circuit_id,
    }


def _attrs(obj: Any, *names: str) -> Fields:
    return {n: getattr(obj, n) for n in names}


def application_fields(a: Application) -> Fields:
    return _attrs(
        a,
        *("name", "name_en", "owner", "criticality", "slo_availability_pct", "slo_latency_ms"),
        *("url", "port", "check", "exposure", "software", "vms"),
    )


def vm_fields(v: Vm) -> Fields:
    return _attrs(
        v, "application", "vcpu", "memory_gb", "disks_gb", "segment", "ip", "vlan_id", "node"
    )


def district_fields(d: District) -> Fields:
    return _attrs(d, "number", "name", "kind", "slug", "parent")


def model_fields(m: HardwareModel) -> Fields:
    return {
        **_attrs(m, "vendor", "role"),
        "platform": m.platform.name,
        **_attrs(m, "interfaces", "uplink_ports", "price_vnd", "life_years", "end_of_sale"),
        **_attrs(m, "end_of_support", "sys_object_id", "description"),
    }


def snmp_fields(p: SnmpProfile) -> Fields:
    return _attrs(p, "version", "auth", "priv")


def ssh_fields(p: SshProfile) -> Fields:
    return {"port": p.port}


def _city(inv: Inventory) -> Mapping[str, Any]:
    return {inv.city.code: (inv.city, inv.sample, inv.services)}


def city_fields(settings: tuple[City, bool, Services]) -> Fields:
    city, sample, s = settings
    return {
        "name": city.name,
        "domain": city.domain,
        "sample": sample,
        "services.ntp": s.ntp,
        "services.syslog": s.syslog,
        "services.dns": s.dns,
        "services.monitoring": s.monitoring,
        "services.banner": s.banner,
    }


def _none(field: str) -> bool:
    return False


# In the order a reviewer reads a change: the sites, what is in them, how they are joined,
# what runs in the data center, then the catalogue and settings behind them.
KINDS: tuple[Kind, ...] = (
    Kind("site", lambda inv: inv.sites, site_fields, lambda f: f.endswith(".prefix")),
    Kind(
        "device",
        lambda inv: inv.devices,
        device_fields,
        lambda f: f in ("mgmt_ip", "loopback"),  # mgmt_prefix is the site's management VLAN
    ),
    Kind("link", lambda inv: inv.links, link_fields, lambda f: f == "p2p"),
    Kind("application", lambda inv: inv.applications, application_fields, _none),
    Kind("vm", lambda inv: inv.vms, vm_fields, lambda f: f == "ip"),
    Kind("district", lambda inv: inv.districts, district_fields, _none),
    Kind("hardware model", lambda inv: inv.models, model_fields, _none),
    Kind("snmp profile", lambda inv: inv.snmp_profiles, snmp_fields, _none),
    Kind("ssh profile", lambda inv: inv.ssh_profiles, ssh_fields, _none),
    Kind(
        "city",
        _city,
        city_fields,
        lambda f: f in ("services.ntp", "services.syslog", "services.dns"),
    ),
)
