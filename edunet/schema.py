"""What people may write in ``inventory.yaml``: strict pydantic input models.

Every model forbids unknown fields so a typo is an error, not a silently ignored key.
Nothing here knows about addresses, graphs or other sections: cross-references are
checked in :mod:`edunet.resolve`, which turns these models into the immutable model.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1


# A YAML float where a count, price, speed or port is wanted is a thousands separator
# (2.000 pupils, 25.000 đồng) or a typo, never a number to round: pydantic alone would take
# 2.0 as 2. Likewise an Excel serial number or a day-first date is never read as a date
# (pydantic alone would take 45366 as seconds after 1970). edunet.resolve.written words
# the messages, from the text as written.
DAY_FIRST = re.compile(r"^(?P<day>[0-9]{1,2})[/.-](?P<month>[0-9]{1,2})[/.-](?P<year>[0-9]{4})$")


def _whole(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("whole_number_from_bool", "YAML reads this as yes/no")
    if isinstance(value, float):
        raise PydanticCustomError("whole_number", "not a whole number")
    return value


def _day(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("date_serial", "a number is not a date")
    if isinstance(value, str) and DAY_FIRST.match(value.strip()):
        raise PydanticCustomError("date_day_first", "a date is written year first")
    return value


Whole = Annotated[int, BeforeValidator(_whole)]
Day = Annotated[dt.date, BeforeValidator(_day)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- shared vocabulary -------------------------------------------------------------------

SiteCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{1,31}$")]
# the GSO code of an administrative unit: 3 digits for a district (quận, huyện, thành phố),
# 5 for a ward or commune (phường, xã, đặc khu)
DistrictCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}([0-9]{2})?$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$")]
Hostname = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
PortName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Money = Annotated[Whole, Field(ge=0)]


class DistrictKind(StrEnum):
    """The kind of an administrative unit schools report to (besides the Department)."""

    quan = "quan"  # urban district
    huyen = "huyen"  # rural district
    thanh_pho = "thanh_pho"  # city within the city (Thủ Đức, 2021)
    phuong = "phuong"  # ward: under a district until 2025, under the city after
    xa = "xa"  # commune
    dac_khu = "dac_khu"  # special zone (2025)


class SiteKind(StrEnum):
    department = "department"  # Sở GD&ĐT
    datacenter = "datacenter"  # trung tâm dữ liệu ngành giáo dục
    district_office = "district_office"  # Phòng GD&ĐT
    school = "school"


class SchoolLevel(StrEnum):
    mam_non = "mam_non"
    tieu_hoc = "tieu_hoc"
    thcs = "thcs"
    thpt = "thpt"
    lien_cap = "lien_cap"
    gdtx = "gdtx"
    chuyen_biet = "chuyen_biet"


class DeviceRole(StrEnum):
    router = "router"
    firewall = "firewall"
    core_switch = "core_switch"
    access_switch = "access_switch"
    access_point = "access_point"
    server = "server"
    workstation = "workstation"


class HardwareStatus(StrEnum):
    in_service = "in_service"
    spare = "spare"
    in_repair = "in_repair"
    retired = "retired"


class Medium(StrEnum):
    ftth = "ftth"
    leased_line = "leased_line"
    metronet = "metronet"
    lte = "4g"
    fiber = "fiber"  # own dark fibre / patch inside a building
    copper = "copper"  # patch cables inside a site


class Criticality(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


class CheckKind(StrEnum):
    http = "http"
    tcp = "tcp"
    tls = "tls"


class Exposure(StrEnum):
    public = "public"  # reachable from the Internet (only through the DMZ)
    internal = "internal"  # the education network only


# --- city --------------------------------------------------------------------------------


class City(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
    name: Name
    domain: Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")]


class District(Strict):
    """An administrative unit: a district (the seed's 24), a city within the city, or after
    the 2025 reorganisation a ward or commune; ``parent`` is the unit it belongs to (none:
    the city itself)."""

    code: DistrictCode  # the GSO administrative code, e.g. "760" for Quận 1
    # IP-plan area; never reused. None: the unit has no area of its own, its sites pin 'area:'
    number: Annotated[Whole, Field(ge=1, le=63)] | None = None
    name: Name
    kind: DistrictKind
    slug: Slug
    parent: DistrictCode | None = None


# --- credentials: names only, values come from the environment or a vault file ----------------


class SnmpProfile(Strict):
    version: Literal["v2c", "v3"]
    auth: Literal["sha", "sha256", "sha512"] | None = None
    priv: Literal["aes", "aes256"] | None = None


class SshProfile(Strict):
    port: Annotated[Whole, Field(ge=1, le=65535)] = 22


class DefaultCredentials(Strict):
    snmp: Slug | None = None
    ssh: Slug | None = None


# --- IP plan -----------------------------------------------------------------------------


class IpPlan(Strict):
    management: ipaddress.IPv4Network  # per district area: one management block per site slot
    sites: ipaddress.IPv4Network  # per district area: one LAN block per site slot
    loopbacks: ipaddress.IPv4Network
    p2p: ipaddress.IPv4Network
    area_management_prefix: Annotated[Whole, Field(ge=8, le=28)] = 16
    area_sites_prefix: Annotated[Whole, Field(ge=8, le=28)] = 14
    area_loopbacks_prefix: Annotated[Whole, Field(ge=8, le=30)] = 20
    area_p2p_prefix: Annotated[Whole, Field(ge=8, le=30)] = 19  # 4 /31s for each of 1,024 slots
    site_management_prefix: Annotated[Whole, Field(ge=16, le=29)] = 26
    site_block_prefix: Annotated[Whole, Field(ge=16, le=29)] = 24


class VlanType(Strict):
    """One entry of the city's VLAN catalogue; its place in the site block is fixed by its order."""

    name: Slug
    id: Whole  # range checked in resolve, to name the line
    title: Name
    prefix_length: Annotated[Whole, Field(ge=16, le=30)] | None = None
    management: bool = False  # the VLAN comes from the district's management pool
    dhcp: bool = True
    wired: bool = True  # false: users reach it only through access points (no access ports)


# --- hardware catalogue ------------------------------------------------------------------


class HardwareModel(Strict):
    model: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    vendor: Name
    role: DeviceRole
    platform: Slug
    interfaces: list[str] = []  # ranges such as "GigabitEthernet1/0/1-48"
    uplink_ports: list[PortName] = []
    price_vnd: Money
    life_years: Annotated[Whole, Field(ge=1, le=30)]
    end_of_sale: Day | None = None
    end_of_support: Day | None = None
    sys_object_id: Annotated[str, StringConstraints(pattern=r"^1(\.[0-9]+)+$")] | None = None
    description: str | None = None


class HardwareRecord(Strict):
    serial: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{4,40}$")]
    asset_tag: Annotated[str, StringConstraints(min_length=3, max_length=40)]
    purchased: Day
    supplier: Name
    contract: Name
    warranty_end: Day
    cost_vnd: Money
    status: HardwareStatus = HardwareStatus.in_service


class Spare(HardwareRecord):
    model: str
    status: HardwareStatus = HardwareStatus.spare


# --- devices, profiles, sites ---------------------------------------------------------------


class ProfileDevice(Strict):
    role: DeviceRole
    model: str
    count: Annotated[Whole, Field(ge=1, le=64)] = 1


class Device(Strict):
    """An explicit device, or an override of a profile device with the same name."""

    name: Hostname | None = None  # default: <site prefix>-<role abbreviation><n>
    role: DeviceRole
    model: str
    mgmt_ip: ipaddress.IPv4Address | None = None  # pin; default from the IP plan
    snmp: Slug | None = None
    ssh: Slug | None = None
    hardware: HardwareRecord | None = None


class UplinkSla(Strict):
    availability_pct: Annotated[float, Field(gt=0, le=100)]
    restore_hours: Annotated[float, Field(gt=0)] | None = None


class Uplink(Strict):
    """A site's way out: to its upstream site over the city network, or to the Internet."""

    to: str  # a site code, "district" (the site's district office) or "internet"
    isp: Annotated[str, StringConstraints(min_length=2, max_length=32)]
    medium: Medium
    bandwidth_mbps: Annotated[Whole, Field(ge=1, le=400_000)]
    sla: UplinkSla | None = None
    port: PortName | None = None  # default: the gateway model's n-th uplink port
    circuit_id: Annotated[str, StringConstraints(max_length=64)] | None = None


class Endpoints(Strict):
    workstations: Annotated[Whole, Field(ge=0)] = 0
    laptops: Annotated[Whole, Field(ge=0)] = 0
    cameras: Annotated[Whole, Field(ge=0)] = 0
    printers: Annotated[Whole, Field(ge=0)] = 0
    workstation_model: str | None = None


class Profile(Strict):
    """The standard LAN of one kind of site, so that a school is a few lines."""

    name: Slug
    description: str | None = None
    devices: list[ProfileDevice] = []
    vlans: list[Slug] = []
    endpoints: Endpoints = Endpoints()
    uplinks: list[Uplink] = []


# Ho Chi Minh City's bounding box (Củ Chi in the north to Cần Giờ's coast in the south)
CITY_LAT = (10.35, 11.17)
CITY_LON = (106.35, 107.03)


class Location(Strict):
    """Where a site is, in decimal degrees (WGS 84), for the report's map and Grafana's."""

    lat: float
    lon: float

    @model_validator(mode="after")
    def _in_the_city(self) -> Location:
        (south, north), (west, east) = CITY_LAT, CITY_LON
        if not (south <= self.lat <= north and west <= self.lon <= east):
            raise ValueError(
                f"({self.lat}, {self.lon}) lies outside Ho Chi Minh City: lat must be within "
                f"{south}..{north} and lon within {west}..{east} (is lat swapped with lon?)"
            )
        return self


class Site(Strict):
    code: SiteCode
    kind: SiteKind
    name: Name
    district: DistrictCode
    address: Name
    location: Location | None = None
    level: SchoolLevel | None = None
    pupils: Annotated[Whole, Field(ge=0, le=20_000)] | None = None
    profile: Slug | None = None
    slot: Annotated[Whole, Field(ge=0, le=65535)] | None = (
        None  # IP-plan slot; default from the code
    )
    core: bool = False  # allocate from the core area (0), not the district's
    # IP-plan area, pinned: a site moved to another unit keeps the area it was numbered in
    area: Annotated[Whole, Field(ge=0, le=63)] | None = None
    vlans: list[Slug] | None = None  # replaces the profile's VLAN list
    prefixes: dict[Slug, ipaddress.IPv4Network] = {}  # pins, per VLAN
    devices: list[Device] = []  # added to, or overriding by name, the profile's devices
    hardware: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")], HardwareRecord] = {}
    spares: list[Spare] = []
    endpoints: Endpoints | None = None
    uplinks: list[Uplink] | None = None  # replaces the profile's uplinks
    isolated: bool = False  # deliberately without uplinks (no way to the data center)
    snmp: Slug | None = None
    ssh: Slug | None = None


class Link(Strict):
    """An explicit link between two devices (core links, data-center internals)."""

    id: Slug
    a: str  # "device" or "device:port"
    b: str
    medium: Medium
    bandwidth_mbps: Annotated[Whole, Field(ge=1, le=400_000)]
    isp: Annotated[str, StringConstraints(min_length=2, max_length=32)] | None = None
    sla: UplinkSla | None = None
    routed: bool = True  # gets a /31 from the point-to-point pool
    circuit_id: Annotated[str, StringConstraints(max_length=64)] | None = None


# --- applications ------------------------------------------------------------------------


class Slo(Strict):
    availability_pct: Annotated[float, Field(gt=0, lt=100)]
    latency_ms: Annotated[Whole, Field(ge=1)] | None = None


class Vm(Strict):
    name: Hostname
    vcpu: Annotated[Whole, Field(ge=1, le=256)]
    memory_gb: Annotated[Whole, Field(ge=1, le=4096)]
    disks_gb: Annotated[list[Annotated[Whole, Field(ge=1, le=65536)]], Field(min_length=1)]
    segment: Slug
    ip: ipaddress.IPv4Address | None = None  # pin; default from the segment
    node: Hostname | None = None  # preferred hypervisor


class Application(Strict):
    code: Slug
    name: Name  # Vietnamese
    name_en: Name
    owner: Name
    criticality: Criticality
    slo: Slo
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+(/\S*)?$")]
    port: Annotated[Whole, Field(ge=1, le=65535)]
    check: CheckKind = CheckKind.http
    exposure: Exposure = Exposure.internal
    software: Name | None = None
    vms: list[Vm] = []


# --- network services ----------------------------------------------------------------------


# Device configs (IOS, RouterOS) take ASCII banners; Vietnamese text goes unaccented there
Banner = Annotated[str, StringConstraints(pattern=r"^[ -~]{1,240}$")]


class Services(Strict):
    """What every device is configured to use, by the name of a device or VM that provides it."""

    ntp: list[Hostname] = []
    syslog: list[Hostname] = []
    dns: list[Hostname] = []
    monitoring: Hostname | None = None  # the server that runs Prometheus and takes SNMP traps
    banner: Banner | None = None  # the login banner; default: the programme's


# --- the document --------------------------------------------------------------------------


class Document(Strict):
    """The top-level sections. Lists are validated item by item in :mod:`edunet.resolve`."""

    edunet: Literal[1]
    sample: bool = False
    city: City
    credentials: dict[Literal["snmp", "ssh"], dict[str, object]] = {}  # profiles: one by one
    defaults: DefaultCredentials = DefaultCredentials()
    ip_plan: IpPlan
    vlans: list[dict[str, object]] = []
    districts: list[dict[str, object]] = []
    hardware_models: list[dict[str, object]] = []
    profiles: list[dict[str, object]] = []
    sites: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    applications: list[dict[str, object]] = []
    services: dict[str, object] = {}


# list sections and the model of one item, validated one at a time so all errors are found
SECTION_ITEMS: dict[str, type[Strict]] = {
    "vlans": VlanType,
    "districts": District,
    "hardware_models": HardwareModel,
    "profiles": Profile,
    "sites": Site,
    "links": Link,
    "applications": Application,
}
