"""The resolved, immutable inventory: what every unit reads.

Profiles are expanded, defaults applied, references checked and addresses allocated
before any of these objects exist, so consumers never merge dicts or compute addresses.
Objects refer to each other by name/code; the :class:`Inventory` holds the indexes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from types import MappingProxyType

from edunet.ipam import IpPlan
from edunet.schema import (
    CheckKind,
    Criticality,
    DeviceRole,
    DistrictKind,
    Exposure,
    HardwareStatus,
    Medium,
    SchoolLevel,
    SiteKind,
)

__all__ = [
    "Application",
    "CheckKind",
    "City",
    "Criticality",
    "Device",
    "DeviceRole",
    "District",
    "DistrictKind",
    "Endpoint",
    "Endpoints",
    "Exposure",
    "HardwareModel",
    "HardwareRecord",
    "HardwareStatus",
    "Inventory",
    "Link",
    "LinkKind",
    "Location",
    "Medium",
    "Platform",
    "SchoolLevel",
    "Site",
    "SiteKind",
    "Sla",
    "SnmpProfile",
    "SshProfile",
    "Vlan",
    "Vm",
]

LinkKind = str  # "uplink" (site to upstream site), "internet" (site to an ISP), "core" (explicit)

INTERNET = "internet"

# Data-center segments whose VMs answer users (the rest serve only other VMs)
SERVING_SEGMENTS = ("dmz", "applications")


@dataclass(frozen=True, slots=True)
class City:
    code: str
    name: str
    domain: str


@dataclass(frozen=True, slots=True)
class District:
    """An administrative unit schools report to; the seed's are the 24 districts."""

    code: str
    number: int | None  # IP-plan area; None: its sites pin theirs
    name: str
    kind: DistrictKind
    slug: str
    parent: str | None = None  # the unit above it (None: the city)


@dataclass(frozen=True, slots=True)
class Platform:
    """How tools talk to a device family."""

    name: str
    netmiko_device_type: str
    ansible_network_os: str | None  # None: a plain Linux host over ssh
    ansible_connection: str
    snmp: bool  # answers SNMP (the exporters poll it)


@dataclass(frozen=True, slots=True)
class HardwareModel:
    model: str
    vendor: str
    role: DeviceRole
    platform: Platform
    interfaces: tuple[str, ...]  # expanded port names, in ifIndex order
    uplink_ports: tuple[str, ...]
    price_vnd: int
    life_years: int
    end_of_sale: dt.date | None
    end_of_support: dt.date | None
    sys_object_id: str | None
    description: str | None

    @property
    def ports(self) -> int:
        return len(self.interfaces)


@dataclass(frozen=True, slots=True)
class HardwareRecord:
    serial: str
    asset_tag: str
    model: str
    purchased: dt.date
    supplier: str
    contract: str
    warranty_end: dt.date
    cost_vnd: int
    status: HardwareStatus
    site: str
    device: str | None  # None for spares


@dataclass(frozen=True, slots=True)
class SnmpProfile:
    """An SNMP credential profile. The secrets are read from ``env_prefix``_* at run time."""

    name: str
    version: str  # "v2c" | "v3"
    auth: str | None
    priv: str | None

    @property
    def env_prefix(self) -> str:
        return "EDUNET_SNMP_" + self.name.upper().replace("-", "_")


@dataclass(frozen=True, slots=True)
class SshProfile:
    name: str
    port: int

    @property
    def env_prefix(self) -> str:
        return "EDUNET_SSH_" + self.name.upper().replace("-", "_")


@dataclass(frozen=True, slots=True)
class Vlan:
    name: str
    id: int
    title: str
    prefix: IPv4Network
    gateway: IPv4Address  # first host
    management: bool
    dhcp: bool
    wired: bool = True  # has access ports on the switches (false: only through access points)


@dataclass(frozen=True, slots=True)
class Device:
    name: str
    site: str  # site code
    district: str  # district code
    role: DeviceRole
    model: HardwareModel
    mgmt_ip: IPv4Address
    mgmt_prefix: IPv4Network
    loopback: IPv4Address | None  # routers and firewalls
    snmp: SnmpProfile | None
    ssh: SshProfile | None
    hardware: HardwareRecord | None
    ordinal: int  # n-th device of its role in its site, from 1

    @property
    def platform(self) -> Platform:
        return self.model.platform

    @property
    def uplink_ports(self) -> tuple[str, ...]:
        return self.model.uplink_ports

    @property
    def mgmt_interface(self) -> IPv4Interface:
        return IPv4Interface(f"{self.mgmt_ip}/{self.mgmt_prefix.prefixlen}")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One end of a link: a device and, where known, its port; or an ISP cloud."""

    device: str | None  # None on the far side of an Internet uplink
    port: str | None
    site: str | None
    ip: IPv4Interface | None = None  # the /31 address on routed links

    @property
    def label(self) -> str:
        if self.device is None:
            return "internet"
        return f"{self.device}:{self.port}" if self.port else self.device


@dataclass(frozen=True, slots=True)
class Sla:
    availability_pct: float
    restore_hours: float | None


@dataclass(frozen=True, slots=True)
class Link:
    id: str
    kind: LinkKind
    a: Endpoint  # the downstream side (the site being served) for uplinks
    b: Endpoint
    medium: Medium
    bandwidth_mbps: int
    isp: str | None
    sla: Sla | None
    p2p: IPv4Network | None
    circuit_id: str | None

    @property
    def to_internet(self) -> bool:
        return self.kind == INTERNET


@dataclass(frozen=True, slots=True)
class Endpoints:
    workstations: int = 0
    laptops: int = 0
    cameras: int = 0
    printers: int = 0
    workstation_model: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Site:
    code: str
    kind: SiteKind
    name: str
    district: str  # district code
    address: str
    level: SchoolLevel | None
    pupils: int | None
    profile: str | None
    area: int  # IP-plan area: 0 for the core, else the district number
    slot: int
    vlans: tuple[Vlan, ...]
    devices: tuple[str, ...]  # device names, gateway first
    gateway: str | None  # the device that carries the uplinks
    uplinks: tuple[str, ...]  # link ids, in declaration order
    upstream: tuple[str, ...]  # site codes the uplinks reach (no "internet")
    endpoints: Endpoints
    spares: tuple[HardwareRecord, ...]
    isolated: bool = False  # no uplinks, deliberately: no way to the data center
    location: Location | None = None  # inside the city's bounding box

    @property
    def is_school(self) -> bool:
        return self.kind is SiteKind.school

    def vlan(self, name: str) -> Vlan:
        for v in self.vlans:
            if v.name == name:
                return v
        raise KeyError(f"site {self.code} has no VLAN {name!r}")

    @property
    def prefixes(self) -> dict[str, IPv4Network]:
        return {v.name: v.prefix for v in self.vlans}


@dataclass(frozen=True, slots=True)
class Vm:
    name: str
    application: str
    vcpu: int
    memory_gb: int
    disks_gb: tuple[int, ...]
    segment: str  # VLAN name of the data-center site
    ip: IPv4Interface
    gateway: IPv4Address
    vlan_id: int
    node: str | None


@dataclass(frozen=True, slots=True)
class Application:
    code: str
    name: str
    name_en: str
    owner: str
    criticality: Criticality
    slo_availability_pct: float
    slo_latency_ms: int | None
    url: str
    port: int
    check: CheckKind
    exposure: Exposure
    software: str | None
    vms: tuple[str, ...]


DEFAULT_BANNER = (
    "Mang Giao duc TP.HCM - So GD&DT. Chi nguoi duoc phep moi duoc truy cap. "
    "Authorised access only; activity is logged."
)


@dataclass(frozen=True, slots=True)
class Services:
    """Network services, resolved to the addresses devices are configured with."""

    ntp: tuple[IPv4Address, ...] = ()
    syslog: tuple[IPv4Address, ...] = ()
    dns: tuple[IPv4Address, ...] = ()
    monitoring: str | None = None  # device name of the monitoring server
    monitoring_ip: IPv4Address | None = None
    banner: str = DEFAULT_BANNER


@dataclass(frozen=True)
class Inventory:
    """The whole resolved city. Mappings keep declaration order and are read-only views."""

    city: City
    sample: bool
    districts: Mapping[str, District]
    models: Mapping[str, HardwareModel]
    snmp_profiles: Mapping[str, SnmpProfile]
    ssh_profiles: Mapping[str, SshProfile]
    sites: Mapping[str, Site]
    devices: Mapping[str, Device]
    links: Mapping[str, Link]
    applications: Mapping[str, Application]
    vms: Mapping[str, Vm]
    sources: tuple[str, ...] = ()
    services: Services = field(default_factory=Services)
    plan: IpPlan | None = field(default=None, repr=False, compare=False)  # allocation in force
    _by_site_links: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # frozen all the way down: a unit cannot add a device to the shared snapshot
        for name in (
            "districts",
            "models",
            "snmp_profiles",
            "ssh_profiles",
            "sites",
            "devices",
            "links",
            "applications",
            "vms",
            "_by_site_links",
        ):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    # --- convenient views; all derived, never stored twice ---------------------------------

    @property
    def datacenter(self) -> Site:
        for s in self.sites.values():
            if s.kind is SiteKind.datacenter:
                return s
        raise LookupError("the inventory has no data-center site")

    @property
    def department(self) -> Site:
        for s in self.sites.values():
            if s.kind is SiteKind.department:
                return s
        raise LookupError("the inventory has no department site")

    def schools(self) -> list[Site]:
        return [s for s in self.sites.values() if s.kind is SiteKind.school]

    def district_office(self, district: str) -> Site | None:
        for s in self.sites.values():
            if s.kind is SiteKind.district_office and s.district == district:
                return s
        return None

    def site_devices(self, site: str) -> list[Device]:
        return [self.devices[d] for d in self.sites[site].devices]

    def site_links(self, site: str) -> list[Link]:
        """Links with an end in this site."""
        return [self.links[i] for i in self._by_site_links.get(site, ())]

    def uplink_ports(self, device: str) -> dict[str, Link]:
        """The device's ports that carry its site's uplinks (to a site or an ISP), by port."""
        d = self.devices[device]
        out: dict[str, Link] = {}
        for link_id in self.sites[d.site].uplinks:
            link = self.links[link_id]
            if link.a.device == device and link.a.port is not None:
                out[link.a.port] = link
        return out

    def serving_vms(self, application: str) -> list[Vm]:
        """The VMs that answer an application's users: those in a serving segment
        (``SERVING_SEGMENTS``), or every VM when none is. Databases and storage only
        answer the application itself, so a check of its URL never goes to them."""
        vms = [self.vms[v] for v in self.applications[application].vms]
        serving = [v for v in vms if v.segment in SERVING_SEGMENTS]
        return serving or vms

    def hardware(self) -> list[HardwareRecord]:
        """Every hardware record: deployed devices first, then spares."""
        out = [d.hardware for d in self.devices.values() if d.hardware is not None]
        for s in self.sites.values():
            out.extend(s.spares)
        return out

    def find_device(self, key: str) -> Device | None:
        """A device by name or by management address."""
        if key in self.devices:
            return self.devices[key]
        for d in self.devices.values():
            if str(d.mgmt_ip) == key:
                return d
        return None
