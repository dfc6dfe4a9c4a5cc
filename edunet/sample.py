"""A generated city: a whole, valid inventory for demos, tests and benchmarks.

The city is SAMPLE DATA. Its 24 districts, their codes and the shape of the network
follow the real city; the schools, names, addresses, serial numbers, asset tags and
contracts are invented, though plausible. :func:`generate` returns the document as plain
Python values, :func:`render` turns it into readable YAML, :func:`write` saves it.

Everything comes from one ``random.Random(seed)``: the same ``(schools, seed)`` gives a
byte-identical file on every machine and every run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml
import yaml.resolver

__all__ = [
    "DEFAULT_SCHOOLS",
    "DEFAULT_SEED",
    "MAX_SCHOOLS",
    "SampleDocument",
    "generate",
    "render",
    "write",
]

DEFAULT_SCHOOLS = 160
DEFAULT_SEED = 2014

CITY = {"code": "79", "name": "Thành phố Hồ Chí Minh", "domain": "hcm.edu.vn"}
DEPARTMENT = "SO-GDDT"
DATACENTER = "TTDL"


class SampleDocument(dict[str, object]):
    """The generated document: a plain dict that also remembers how it was generated."""

    __slots__ = ("schools", "seed")

    def __init__(self, data: dict[str, object], schools: int, seed: int):
        super().__init__(data)
        self.schools = schools
        self.seed = seed


# --- the city ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _District:
    code: str  # GSO code
    slug: str
    name: str
    kind: str
    population: int  # thousands (2019 census); only weighs how many schools a district gets


# In GSO code order, which is also the IP-plan area number (760 → 1 … 787 → 24).
DISTRICTS: tuple[_District, ...] = (
    _District("760", "q1", "Quận 1", "quan", 143),
    _District("761", "q12", "Quận 12", "quan", 620),
    _District("762", "thu-duc", "Quận Thủ Đức", "quan", 592),
    _District("763", "q9", "Quận 9", "quan", 398),
    _District("764", "go-vap", "Quận Gò Vấp", "quan", 676),
    _District("765", "binh-thanh", "Quận Bình Thạnh", "quan", 500),
    _District("766", "tan-binh", "Quận Tân Bình", "quan", 474),
    _District("767", "tan-phu", "Quận Tân Phú", "quan", 485),
    _District("768", "phu-nhuan", "Quận Phú Nhuận", "quan", 163),
    _District("769", "q2", "Quận 2", "quan", 180),
    _District("770", "q3", "Quận 3", "quan", 190),
    _District("771", "q10", "Quận 10", "quan", 234),
    _District("772", "q11", "Quận 11", "quan", 209),
    _District("773", "q4", "Quận 4", "quan", 175),
    _District("774", "q5", "Quận 5", "quan", 159),
    _District("775", "q6", "Quận 6", "quan", 234),
    _District("776", "q8", "Quận 8", "quan", 424),
    _District("777", "binh-tan", "Quận Bình Tân", "quan", 785),
    _District("778", "q7", "Quận 7", "quan", 360),
    _District("783", "cu-chi", "Huyện Củ Chi", "huyen", 462),
    _District("784", "hoc-mon", "Huyện Hóc Môn", "huyen", 542),
    _District("785", "binh-chanh", "Huyện Bình Chánh", "huyen", 705),
    _District("786", "nha-be", "Huyện Nhà Bè", "huyen", 206),
    _District("787", "can-gio", "Huyện Cần Giờ", "huyen", 71),
)
_DISTRICT = {d.code: d for d in DISTRICTS}

# Schools per level across the city (share of all schools), and what a school of each looks like.
LEVELS = ("mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "gdtx", "chuyen_biet")
MAIN_LEVELS = ("mam_non", "tieu_hoc", "thcs", "thpt")  # every district has each of these
LEVEL_SHARE = {
    "mam_non": 0.56,
    "tieu_hoc": 0.21,
    "thcs": 0.12,
    "thpt": 0.08,
    "lien_cap": 0.013,
    "gdtx": 0.0125,
    "chuyen_biet": 0.0045,
}
PROFILE_OF = {
    "mam_non": "mam-non",
    "tieu_hoc": "tieu-hoc",
    "thcs": "thcs",
    "thpt": "thpt",
    "lien_cap": "lien-cap",
    "gdtx": "gdtx",
    "chuyen_biet": "chuyen-biet",
}
PUPILS = {  # (low, high, most common)
    "mam_non": (150, 600, 320),
    "tieu_hoc": (600, 2500, 1300),
    "thcs": (600, 2000, 1150),
    "thpt": (900, 2200, 1500),
    "lien_cap": (500, 2000, 900),
    "gdtx": (200, 800, 420),
    "chuyen_biet": (50, 300, 120),
}

# The IP plan the sample uses; other fields keep their schema defaults.
IP_PLAN = {
    "management": "10.32.0.0/11",
    "sites": "10.128.0.0/9",
    "loopbacks": "10.16.0.0/15",
    "p2p": "10.20.0.0/14",
}
_P2P_AREA_PREFIX = 19  # schema default of area_p2p_prefix
_UPLINKS_PER_SLOT = 4  # /31s the IP plan keeps per site slot
# A school's serial is its IP-plan slot; the smallest per-area pool (point-to-point uplinks)
# bounds it. Serials run 001 up to this.
MAX_SERIAL = min(999, (1 << (32 - _P2P_AREA_PREFIX)) // 2 // _UPLINKS_PER_SLOT - 1)
MAX_SCHOOLS = MAX_SERIAL * len(DISTRICTS)

VLANS: tuple[dict[str, object], ...] = (
    {"name": "management", "id": 10, "title": "Quản lý", "management": True},
    {"name": "staff", "id": 20, "title": "Cán bộ – giáo viên", "prefix_length": 26},
    {"name": "lab", "id": 30, "title": "Phòng máy học sinh", "prefix_length": 26},
    {"name": "wifi", "id": 40, "title": "Wi-Fi", "prefix_length": 26},
    {"name": "cameras", "id": 50, "title": "Camera", "prefix_length": 27},
    {"name": "applications", "id": 110, "title": "Ứng dụng"},
    {"name": "databases", "id": 120, "title": "Cơ sở dữ liệu"},
    {"name": "storage", "id": 130, "title": "Lưu trữ – sao lưu"},
    {"name": "dmz", "id": 140, "title": "DMZ"},
)
# Hosts a site's LAN VLANs hold (their size minus network, broadcast and gateway).
_LAB_HOSTS = 58
_CAMERA_HOSTS = 28


# --- the hardware catalogue ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Model:
    model: str
    vendor: str
    role: str
    platform: str
    interfaces: tuple[str, ...]
    uplink_ports: tuple[str, ...]
    price_vnd: int
    life_years: int
    sys_object_id: str | None
    description: str
    since: int  # first year it could be bought; purchase dates never precede it
    serial: str  # serial-number style, see _Generator.serial
    warranty: int = 3  # years
    end_of_sale: dt.date | None = None
    end_of_support: dt.date | None = None

    def item(self) -> dict[str, object]:
        out: dict[str, object] = {
            "model": self.model,
            "vendor": self.vendor,
            "role": self.role,
            "platform": self.platform,
            "interfaces": list(self.interfaces),
            "uplink_ports": list(self.uplink_ports),
            "price_vnd": self.price_vnd,
            "life_years": self.life_years,
        }
        if self.end_of_sale:
            out["end_of_sale"] = self.end_of_sale
        if self.end_of_support:
            out["end_of_support"] = self.end_of_support
        if self.sys_object_id:
            out["sys_object_id"] = self.sys_object_id
        out["description"] = self.description
        return out


_CISCO = "1.3.6.1.4.1.9.1."
_FORTINET = "1.3.6.1.4.1.12356.101.1."
_MIKROTIK = "1.3.6.1.4.1.14988.1"
_NET_SNMP = "1.3.6.1.4.1.8072.3.2.10"
_ISR4K_EOS, _ISR4K_EOL = dt.date(2025, 11, 7), dt.date(2030, 11, 30)

# fmt: off
MODELS: tuple[_Model, ...] = (
    # routers
    _Model(
        "ASR1001-X", "Cisco", "router", "cisco_xe",
        ("GigabitEthernet0/0/0-5", "TenGigabitEthernet0/0/0-1"),
        ("TenGigabitEthernet0/0/0", "TenGigabitEthernet0/0/1",
         "GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        620_000_000, 8, _CISCO + "1861",
        "Core edge router, 6 x 1G SFP and 2 x 10G SFP+ (IOS XE)", 2014, "cisco:FXS", 5,
    ),
    _Model(
        "ISR4331", "Cisco", "router", "cisco_xe",
        ("GigabitEthernet0/0/0-2",),
        ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        78_000_000, 8, _CISCO + "2068",
        "District office router, 3 x 1G (IOS XE)", 2015, "cisco:FDO", 3,
        _ISR4K_EOS, _ISR4K_EOL,
    ),
    _Model(
        "ISR4321", "Cisco", "router", "cisco_xe",
        ("GigabitEthernet0/0/0-1",),
        ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        42_000_000, 8, _CISCO + "2093",
        "Branch router, 2 x 1G (IOS XE)", 2015, "cisco:FGL", 3,
        _ISR4K_EOS, _ISR4K_EOL,
    ),
    _Model(
        "C1111-8P", "Cisco", "router", "cisco_xe",
        ("GigabitEthernet0/0/0-1", "GigabitEthernet0/1/0-7"),
        ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        28_500_000, 7, _CISCO + "2443",
        "Branch router, 2 x 1G WAN and an 8-port switch (IOS XE)", 2018, "cisco:FGL", 3,
    ),
    _Model(
        "CISCO1941", "Cisco", "router", "cisco_ios",
        ("GigabitEthernet0/0-1",),
        ("GigabitEthernet0/0", "GigabitEthernet0/1"),
        26_000_000, 7, _CISCO + "1095",
        "ISR G2 router, 2 x 1G; past its end of support", 2010, "cisco:FTX", 3,
        dt.date(2017, 12, 9), dt.date(2022, 12, 31),
    ),
    _Model(
        "RB750Gr3", "MikroTik", "router", "mikrotik_routeros",
        ("ether1-5",),
        ("ether1", "ether2"),
        1_650_000, 6, _MIKROTIK,
        "hEX, 5 x 1G; router of a small school", 2017, "mikrotik", 1,
    ),
    _Model(
        "CCR1009-7G-1C-1S+", "MikroTik", "router", "mikrotik_routeros",
        ("ether1-7", "combo1", "sfp-sfpplus1"),
        ("ether1", "ether2"),
        11_900_000, 7, _MIKROTIK,
        "Cloud Core Router, 7 x 1G, 1 combo port and 1 x 10G SFP+", 2014, "mikrotik", 1,
    ),
    _Model(
        "CCR2004-16G-2S+", "MikroTik", "router", "mikrotik_routeros",
        ("ether1-16", "sfp-sfpplus1-2"),
        ("ether1", "ether2"),
        13_500_000, 7, _MIKROTIK,
        "Cloud Core Router, 16 x 1G and 2 x 10G SFP+", 2020, "mikrotik", 1,
    ),
    # firewalls
    _Model(
        "FG-600E", "Fortinet", "firewall", "fortinet",
        ("mgmt", "ha1-2", "port1-28"),
        ("port25", "port26"),
        395_000_000, 7, _FORTINET + "6004",
        "Data-center firewall, 16 x 1G, 8 x 1G SFP and 4 x 10G SFP+", 2018, "fortinet:FG6H0ETB", 3,
    ),
    _Model(
        "FG-100F", "Fortinet", "firewall", "fortinet",
        ("wan1-2", "dmz", "mgmt", "ha1-2", "port1-20", "x1-2"),
        ("wan1", "wan2"),
        82_000_000, 7, _FORTINET + "1041",
        "Campus firewall, 2 x 1G WAN, 20 x 1G and 2 x 10G SFP+", 2019, "fortinet:FG100FTK", 3,
    ),
    _Model(
        "FG-60F", "Fortinet", "firewall", "fortinet",
        ("wan1-2", "dmz", "internal1-5"),
        ("wan1", "wan2"),
        17_800_000, 6, _FORTINET + "641",
        "Branch firewall, 2 x 1G WAN, 1 DMZ and 5 x 1G internal", 2019, "fortinet:FGT60FTK", 1,
    ),
    # switches
    _Model(
        "C9500-24Y4C", "Cisco", "core_switch", "cisco_xe",
        ("TwentyFiveGigE1/0/1-24", "HundredGigE1/0/25-28"),
        ("HundredGigE1/0/25", "HundredGigE1/0/26"),
        480_000_000, 8, _CISCO + "2573",
        "Data-center core switch, 24 x 25G SFP28 and 4 x 100G QSFP28", 2018, "cisco:FCW", 5,
    ),
    _Model(
        "C9300-48T", "Cisco", "core_switch", "cisco_xe",
        ("GigabitEthernet1/0/1-48", "TenGigabitEthernet1/1/1-8"),
        ("TenGigabitEthernet1/1/1", "TenGigabitEthernet1/1/2"),
        165_000_000, 8, _CISCO + "2494",
        "Campus core switch, 48 x 1G and an 8 x 10G SFP+ network module", 2017, "cisco:FOC", 5,
    ),
    _Model(
        "WS-C2960X-48TS-L", "Cisco", "access_switch", "cisco_ios",
        ("GigabitEthernet1/0/1-52",),
        ("GigabitEthernet1/0/49", "GigabitEthernet1/0/50"),
        45_000_000, 7, _CISCO + "1208",
        "Access switch, 48 x 1G and 4 x 1G SFP", 2013, "cisco:FOC", 3,
        dt.date(2022, 10, 30), dt.date(2027, 10, 31),
    ),
    _Model(
        "WS-C2960X-24TS-L", "Cisco", "access_switch", "cisco_ios",
        ("GigabitEthernet1/0/1-28",),
        ("GigabitEthernet1/0/25", "GigabitEthernet1/0/26"),
        28_500_000, 7, _CISCO + "1208",
        "Access switch, 24 x 1G and 4 x 1G SFP", 2013, "cisco:FCW", 3,
        dt.date(2022, 10, 30), dt.date(2027, 10, 31),
    ),
    _Model(
        "C9200L-48P-4G", "Cisco", "access_switch", "cisco_ios",
        ("GigabitEthernet1/0/1-48", "GigabitEthernet1/1/1-4"),
        ("GigabitEthernet1/1/1", "GigabitEthernet1/1/2"),
        58_000_000, 8, _CISCO + "2586",
        "PoE+ access switch, 48 x 1G and 4 x 1G SFP (IOS XE, managed as IOS)",
        2019, "cisco:JAE", 3,
    ),
    _Model(
        "C9200L-24T-4G", "Cisco", "access_switch", "cisco_ios",
        ("GigabitEthernet1/0/1-24", "GigabitEthernet1/1/1-4"),
        ("GigabitEthernet1/1/1", "GigabitEthernet1/1/2"),
        26_000_000, 8, _CISCO + "2581",
        "Access switch, 24 x 1G and 4 x 1G SFP (IOS XE, managed as IOS)",
        2019, "cisco:JAE", 3,
    ),
    # access points (OpenWrt)
    _Model(
        "UAP-AC-Pro", "Ubiquiti", "access_point", "openwrt",
        ("eth0-1", "wlan0-1"),
        ("eth0",),
        3_850_000, 5, _NET_SNMP,
        "802.11ac dual-band AP, PoE, running OpenWrt", 2016, "ubnt", 1,
    ),
    _Model(
        "UAP-AC-Lite", "Ubiquiti", "access_point", "openwrt",
        ("eth0", "wlan0-1"),
        ("eth0",),
        2_250_000, 5, _NET_SNMP,
        "802.11ac dual-band AP, PoE, running OpenWrt", 2016, "ubnt", 1,
    ),
    _Model(
        "EAP245", "TP-Link", "access_point", "openwrt",
        ("eth0", "wlan0-1"),
        ("eth0",),
        2_450_000, 5, _NET_SNMP,
        "802.11ac dual-band ceiling AP (v3), running OpenWrt", 2018, "tplink", 2,
    ),
    # servers (Linux; the data-center ones are Proxmox VE nodes)
    _Model(
        "PowerEdge R740", "Dell", "server", "linux",
        ("eno1-4", "ens3f0-1"),
        ("ens3f0", "ens3f1"),
        245_000_000, 7, _NET_SNMP,
        "2U server, 2 x Xeon Silver, 25G NICs; Proxmox VE node", 2017, "dell", 5,
    ),
    _Model(
        "ProLiant DL380 Gen10", "HPE", "server", "linux",
        ("eno1-4", "ens1f0-1"),
        ("ens1f0", "ens1f1"),
        230_000_000, 7, _NET_SNMP,
        "2U server, 2 x Xeon Silver, 25G NICs; Proxmox VE node", 2017, "hpe", 5,
    ),
    _Model(
        "PowerEdge R340", "Dell", "server", "linux",
        ("eno1-2",),
        ("eno1",),
        58_000_000, 7, _NET_SNMP,
        "1U server of a district office (file shares, backups, local services)", 2018, "dell", 3,
    ),
    _Model(
        "PowerEdge T140", "Dell", "server", "linux",
        ("eno1-2",),
        ("eno1",),
        32_000_000, 6, _NET_SNMP,
        "Tower server of a school (file shares, lab images, local cache)", 2018, "dell", 3,
    ),
    # lab workstations (counted as endpoints, not managed one by one)
    _Model(
        "OptiPlex 3080", "Dell", "workstation", "linux_desktop",
        ("eno1",),
        ("eno1",),
        14_500_000, 6, None,
        "Lab desktop, Ubuntu LTS", 2020, "dell", 3,
    ),
    _Model(
        "ProDesk 400 G6", "HP", "workstation", "linux_desktop",
        ("eno1",),
        ("eno1",),
        13_800_000, 6, None,
        "Lab desktop, Ubuntu LTS", 2019, "hpe", 3,
    ),
)
# fmt: on
_MODEL = {m.model: m for m in MODELS}

# --- profiles ------------------------------------------------------------------------------

_ROLE_ABBR = {
    "router": "rt",
    "firewall": "fw",
    "core_switch": "cs",
    "access_switch": "sw",
    "access_point": "ap",
    "server": "srv",
    "workstation": "ws",
}


@dataclass(frozen=True, slots=True)
class _Profile:
    name: str
    description: str
    devices: tuple[tuple[str, str, int], ...]  # (role, model, count), gateway first
    vlans: tuple[str, ...]
    endpoints: dict[str, object]
    uplink: dict[str, object]

    def item(self) -> dict[str, object]:
        devices: list[dict[str, object]] = []
        for role, model, count in self.devices:
            d: dict[str, object] = {"role": role, "model": model}
            if count != 1:
                d["count"] = count
            devices.append(d)
        return {
            "name": self.name,
            "description": self.description,
            "devices": devices,
            "vlans": list(self.vlans),
            "endpoints": dict(self.endpoints),
            "uplinks": [dict(self.uplink)],
        }

    def expand(self) -> list[tuple[str, str, str]]:
        """(short name, role, model) of each device, named as the resolver names them."""
        counters: dict[str, int] = {}
        out: list[tuple[str, str, str]] = []
        for role, model, count in self.devices:
            for _ in range(count):
                counters[role] = counters.get(role, 0) + 1
                out.append((f"{_ROLE_ABBR[role]}{counters[role]}", role, model))
        return out


def _metronet(mbps: int, to: str = "district") -> dict[str, object]:
    return {"to": to, "isp": "VNPT", "medium": "metronet", "bandwidth_mbps": mbps}


# fmt: off
PROFILES: tuple[_Profile, ...] = (
    _Profile(
        "mam-non",
        "Trường mầm non – router, một switch, hai điểm phát Wi-Fi, camera lớp học",
        (("router", "RB750Gr3", 1), ("access_switch", "C9200L-24T-4G", 1),
         ("access_point", "UAP-AC-Lite", 2)),
        ("management", "staff", "wifi", "cameras"),
        {"laptops": 6, "cameras": 16, "printers": 2},
        _metronet(50),
    ),
    _Profile(
        "tieu-hoc",
        "Trường tiểu học – một phòng máy, hai switch, bốn điểm phát Wi-Fi",
        (("router", "CCR1009-7G-1C-1S+", 1), ("access_switch", "WS-C2960X-48TS-L", 2),
         ("access_point", "UAP-AC-Lite", 4)),
        ("management", "staff", "lab", "wifi", "cameras"),
        {"workstations": 35, "laptops": 12, "cameras": 16, "printers": 4,
         "workstation_model": "ProDesk 400 G6"},
        _metronet(100),
    ),
    _Profile(
        "thcs",
        "Trường THCS – phòng máy, ba switch, sáu điểm phát Wi-Fi, máy chủ tại trường",
        (("router", "CCR2004-16G-2S+", 1), ("access_switch", "C9200L-48P-4G", 2),
         ("access_switch", "WS-C2960X-24TS-L", 1), ("access_point", "UAP-AC-Pro", 6),
         ("server", "PowerEdge T140", 1)),
        ("management", "staff", "lab", "wifi", "cameras"),
        {"workstations": 45, "laptops": 20, "cameras": 20, "printers": 6,
         "workstation_model": "OptiPlex 3080"},
        _metronet(100),
    ),
    _Profile(
        "thpt",
        "Trường THPT – phòng máy, bốn switch, mười điểm phát Wi-Fi, máy chủ tại trường",
        (("router", "C1111-8P", 1), ("access_switch", "C9200L-48P-4G", 3),
         ("access_switch", "WS-C2960X-24TS-L", 1), ("access_point", "UAP-AC-Pro", 10),
         ("server", "PowerEdge T140", 1)),
        ("management", "staff", "lab", "wifi", "cameras"),
        {"workstations": 58, "laptops": 30, "cameras": 24, "printers": 8,
         "workstation_model": "OptiPlex 3080"},
        _metronet(200),
    ),
    _Profile(
        "lien-cap",
        "Trường liên cấp – tường lửa làm cổng, ba switch, sáu điểm phát Wi-Fi, máy chủ",
        (("firewall", "FG-60F", 1), ("access_switch", "C9200L-48P-4G", 2),
         ("access_switch", "C9200L-24T-4G", 1), ("access_point", "EAP245", 6),
         ("server", "PowerEdge T140", 1)),
        ("management", "staff", "lab", "wifi", "cameras"),
        {"workstations": 45, "laptops": 20, "cameras": 24, "printers": 6,
         "workstation_model": "OptiPlex 3080"},
        _metronet(150),
    ),
    _Profile(
        "gdtx",
        "Trung tâm GDTX – router, phòng máy, hai switch, bốn điểm phát Wi-Fi",
        (("router", "ISR4321", 1), ("access_switch", "WS-C2960X-48TS-L", 2),
         ("access_point", "EAP245", 4)),
        ("management", "staff", "lab", "wifi"),
        {"workstations": 40, "laptops": 8, "printers": 4, "workstation_model": "ProDesk 400 G6"},
        _metronet(100),
    ),
    _Profile(
        "chuyen-biet",
        "Trường chuyên biệt – router, một switch, hai điểm phát Wi-Fi, camera",
        (("router", "RB750Gr3", 1), ("access_switch", "WS-C2960X-24TS-L", 1),
         ("access_point", "EAP245", 2)),
        ("management", "staff", "wifi", "cameras"),
        {"laptops": 8, "cameras": 12, "printers": 2},
        _metronet(50),
    ),
    _Profile(
        "district-office",
        "Phòng GD&ĐT – router gom đường truyền của các trường, hai switch, máy chủ",
        (("router", "ISR4331", 1), ("access_switch", "C9200L-48P-4G", 2),
         ("access_point", "UAP-AC-Pro", 4), ("server", "PowerEdge R340", 1)),
        ("management", "staff", "wifi", "cameras"),
        {"laptops": 25, "cameras": 8, "printers": 6},
        _metronet(1000, DEPARTMENT),
    ),
)
# fmt: on
_PROFILE = {p.name: p for p in PROFILES}

# Explicit devices of the two core sites, in order (the gateway first).
DEPARTMENT_DEVICES: tuple[tuple[str, str, int], ...] = (
    ("router", "ASR1001-X", 2),
    ("firewall", "FG-100F", 1),
    ("core_switch", "C9300-48T", 2),
    ("access_switch", "C9200L-48P-4G", 4),
    ("access_point", "UAP-AC-Pro", 8),
    ("server", "ProLiant DL380 Gen10", 1),
)
DATACENTER_DEVICES: tuple[tuple[str, str, int], ...] = (
    ("router", "ASR1001-X", 2),
    ("firewall", "FG-600E", 2),
    ("core_switch", "C9500-24Y4C", 2),
    ("server", "PowerEdge R740", 4),
    ("server", "ProLiant DL380 Gen10", 2),
)
DC_NODES = tuple(f"{DATACENTER.lower()}-srv{i}" for i in range(1, 7))

# --- applications --------------------------------------------------------------------------

_OFFICE = "Văn phòng Sở"
_STAFF_UNIT = "Phòng Tổ chức cán bộ"
_FINANCE = "Phòng Kế hoạch – Tài chính"
_ICT = "Trung tâm Thông tin và Chương trình giáo dục"
_SLO = {
    "critical": (99.9, 500),
    "high": (99.5, 800),
    "medium": (99.0, 1500),
    "low": (98.0, 3000),
}

# code, Vietnamese name, English name, owner, criticality, host, port, check, software,
# VMs as (name, vcpu, memory GB, disks GB, segment)
_VM = tuple[str, int, int, tuple[int, ...], str]
# fmt: off
APPLICATIONS: tuple[tuple[str, str, str, str, str, str, int, str, str, tuple[_VM, ...]], ...] = (
    ("portal", "Cổng thông tin điện tử ngành Giáo dục", "Education portal", _OFFICE,
     "critical", "", 443, "http", "Drupal 10, PostgreSQL 15",
     (("portal-web-01", 4, 8, (60,), "dmz"), ("portal-web-02", 4, 8, (60,), "dmz"),
      ("portal-db-01", 4, 16, (80, 200), "databases"),
      ("portal-db-02", 4, 16, (80, 200), "databases"))),
    ("email", "Hệ thống thư điện tử", "E-mail", _ICT,
     "critical", "mail", 443, "tls", "Zimbra Collaboration Open Source Edition",
     (("mail-01", 8, 32, (100, 2000), "applications"),
      ("mail-02", 8, 32, (100, 2000), "applications"),
      ("mail-store-01", 4, 16, (100, 8000), "storage"))),
    ("documents", "Hệ thống quản lý văn bản và hồ sơ công việc",
     "Document and work-file management", _OFFICE,
     "high", "vanban", 443, "http", "Alfresco Community Edition, PostgreSQL 15",
     (("vanban-app-01", 8, 16, (80,), "applications"),
      ("vanban-db-01", 4, 16, (80, 300), "databases"),
      ("vanban-store-01", 2, 8, (60, 4000), "storage"))),
    ("staff", "Hệ thống quản lý cán bộ, công chức, viên chức", "Staff management", _STAFF_UNIT,
     "high", "nhansu", 443, "http", "Odoo 16 Community (HR), PostgreSQL 15",
     (("nhansu-app-01", 4, 8, (60,), "applications"),
      ("nhansu-db-01", 4, 16, (80, 200), "databases"))),
    ("assets", "Hệ thống quản lý tài sản công", "Public asset management", _FINANCE,
     "medium", "taisan", 443, "http", "Odoo 16 Community (Assets), PostgreSQL 15",
     (("taisan-app-01", 4, 8, (60,), "applications"),
      ("taisan-db-01", 2, 8, (80, 100), "databases"))),
    ("complaints", "Hệ thống quản lý khiếu nại, tố cáo", "Complaints and denunciations",
     "Thanh tra Sở",
     "medium", "khieunai", 443, "http", "Odoo 16 Community (Helpdesk), PostgreSQL 15",
     (("khieunai-app-01", 2, 8, (60, 100), "applications"),)),
    ("awards", "Hệ thống quản lý thi đua – khen thưởng", "Emulation and awards", _OFFICE,
     "low", "thidua", 443, "http", "Odoo 16 Community, PostgreSQL 15",
     (("thidua-app-01", 2, 4, (60, 50), "applications"),)),
    ("school-management", "Hệ thống quản lý trường học", "School management", _ICT,
     "critical", "qlth", 443, "http", "OpenEduCat on Odoo 16, PostgreSQL 15",
     (("qlth-app-01", 8, 16, (80,), "applications"), ("qlth-app-02", 8, 16, (80,), "applications"),
      ("qlth-app-03", 8, 16, (80,), "applications"),
      ("qlth-db-01", 16, 64, (100, 1000), "databases"),
      ("qlth-db-02", 16, 64, (100, 1000), "databases"))),
    ("training", "Hệ thống quản lý đào tạo, bồi dưỡng", "Training management", _STAFF_UNIT,
     "medium", "boiduong", 443, "http", "Moodle 4.1 LTS, PostgreSQL 15",
     (("boiduong-app-01", 4, 8, (60, 500), "applications"),
      ("boiduong-db-01", 4, 8, (80, 200), "databases"))),
    ("statistics", "Hệ thống báo cáo thống kê ngành", "Education statistics reporting", _FINANCE,
     "critical", "thongke", 443, "http", "Metabase, PostgreSQL 15",
     (("thongke-app-01", 4, 16, (60,), "applications"),
      ("thongke-app-02", 4, 16, (60,), "applications"),
      ("thongke-db-01", 8, 32, (100, 500), "databases"))),
    ("meetings", "Hệ thống hội nghị trực tuyến", "Online meetings", _OFFICE,
     "high", "hop", 443, "tls", "Jitsi Meet",
     (("hop-web-01", 4, 8, (60,), "applications"), ("hop-jvb-01", 8, 16, (60,), "applications"),
      ("hop-jvb-02", 8, 16, (60,), "applications"))),
    ("student-cards", "Hệ thống thẻ học sinh điện tử", "E-student cards", _ICT,
     "medium", "thehocsinh", 8443, "tcp", "Odoo 16 Community, PostgreSQL 15",
     (("thehs-app-01", 4, 8, (60,), "applications"),
      ("thehs-db-01", 4, 16, (80, 200), "databases"))),
    ("e-lectures", "Kho bài giảng điện tử và sách giáo khoa điện tử",
     "E-lectures and e-textbooks", "Phòng Giáo dục Trung học",
     "medium", "baigiang", 443, "http", "Nextcloud with H5P, PostgreSQL 15",
     (("baigiang-app-01", 4, 16, (60,), "applications"),
      ("baigiang-store-01", 2, 8, (60, 6000), "storage"))),
    ("e-learning", "Hệ thống học tập trực tuyến", "E-learning", _ICT,
     "high", "hoctap", 443, "http", "Moodle 4.1 LTS, PostgreSQL 15, Redis",
     (("hoctap-app-01", 8, 16, (80, 500), "applications"),
      ("hoctap-app-02", 8, 16, (80, 500), "applications"),
      ("hoctap-db-01", 8, 32, (100, 800), "databases"))),
    ("e-library", "Thư viện điện tử", "E-library", "Phòng Giáo dục Tiểu học",
     "medium", "thuvien", 443, "http", "Koha 23.05, DSpace 7",
     (("thuvien-app-01", 4, 8, (60,), "applications"),
      ("thuvien-store-01", 2, 8, (60, 3000), "storage"))),
)
# fmt: on


# --- word lists ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Words:
    wards: dict[str, tuple[str, ...]]
    streets: dict[str, tuple[str, ...]]
    people: tuple[str, ...]
    mam_non: tuple[str, ...]
    chuyen_biet: tuple[str, ...]
    suppliers: tuple[str, ...]


def _strings(value: object, wards: bool = False) -> tuple[str, ...]:
    """A word list; in a ward list a bare number N stands for "Phường N"."""
    if not isinstance(value, list):
        raise ValueError("sample word list: expected a list")
    return tuple(f"Phường {v}" if wards and isinstance(v, int) else str(v) for v in value)


@cache
def _words() -> _Words:
    text = resources.files("edunet").joinpath("data/sample_names.yaml").read_text("utf-8")
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(text, Loader=loader)
    return _Words(
        wards={k: _strings(v, wards=True) for k, v in raw["wards"].items()},
        streets={k: _strings(v) for k, v in raw["streets"].items()},
        people=_strings(raw["people"]),
        mam_non=_strings(raw["mam_non"]),
        chuyen_biet=_strings(raw["chuyen_biet"]),
        suppliers=_strings(raw["suppliers"]),
    )


@cache
def _named_wards(district: str) -> tuple[str, ...]:
    """Ward and commune names that can name a school ("Bến Nghé", not "Phường 7")."""
    out = []
    for ward in _words().wards[district]:
        if ward[-1].isdigit():
            continue
        for prefix in ("Phường ", "Xã ", "Thị trấn "):
            ward = ward.removeprefix(prefix)
        out.append(ward)
    return tuple(out)


# --- allocation helpers --------------------------------------------------------------------


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights``, in whole numbers that add up exactly."""
    wsum = sum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    exact = [total * w / wsum for w in weights]
    out = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (out[i] - exact[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _capped_split(total: int, weights: Sequence[float], caps: Sequence[int]) -> list[int]:
    """Like :func:`_largest_remainder`, never giving a part more than its cap."""
    out = [0] * len(weights)
    free = [i for i in range(len(weights)) if caps[i] > 0]
    left = total
    while left > 0 and free:
        share = _largest_remainder(left, [weights[i] for i in free])
        over = False
        for i, n in zip(free, share, strict=True):
            room = caps[i] - out[i]
            if n >= room:
                out[i] += room
                left -= room
                over = True
            else:
                out[i] += n
                left -= n
        free = [i for i in free if out[i] < caps[i]]
        if not over:
            break
    return out


def _level_counts(n: int) -> dict[str, int]:
    counts = dict(zip(LEVELS, _largest_remainder(n, [LEVEL_SHARE[x] for x in LEVELS]), strict=True))
    need = len(DISTRICTS)
    if n >= need * len(MAIN_LEVELS):  # every district gets a school of every main level
        for level in MAIN_LEVELS[1:]:
            while counts[level] < need:
                floor = {x: need if x in MAIN_LEVELS else 0 for x in LEVELS}
                donors = [x for x in LEVELS if x != level and counts[x] > floor[x]]
                donor = max(donors, key=lambda x: counts[x])
                counts[donor] -= 1
                counts[level] += 1
    return counts


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# --- the generator -------------------------------------------------------------------------

_HEX = "0123456789ABCDEF"
_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_DELL = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
_UBNT_OUI = ("788A20", "F09FC2", "245A4C", "74ACB9", "B4FBE4", "FCECDA")
_FIRST_YEAR, _LAST_YEAR = 2011, 2023


class _Generator:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = _words()
        self.serials: set[str] = set()
        self.asset_next: dict[int, int] = {}
        self.addresses: set[str] = set()
        self.contracts: dict[int, list[tuple[int, dt.date, str]]] = {}
        for year in range(_FIRST_YEAR, _LAST_YEAR + 1):
            k = rng.randint(3, 5)
            numbers = sorted(rng.sample(range(6, 180), k))
            days = sorted(rng.sample(range(20, 330), k))
            self.contracts[year] = [
                (no, dt.date(year, 1, 1) + dt.timedelta(days=day), rng.choice(self.words.suppliers))
                for no, day in zip(numbers, days, strict=True)
            ]

    # --- identities ------------------------------------------------------------------------

    def serial(self, style: str, made: dt.date) -> str:
        rng = self.rng
        kind, _, prefix = style.partition(":")
        yy = made.year % 100
        while True:
            if kind == "cisco":
                week = made.isocalendar()[1]
                tail = "".join(rng.choices(_ALNUM, k=4))
                s = f"{prefix}{made.year - 1996:02d}{week:02d}{tail}"
            elif kind == "fortinet":
                s = f"{prefix}{yy:02d}{rng.randrange(10**6):06d}"
            elif kind == "mikrotik":
                s = "".join(rng.choices(_HEX, k=12))
            elif kind == "ubnt":
                s = rng.choice(_UBNT_OUI) + "".join(rng.choices(_HEX, k=6))
            elif kind == "tplink":
                s = f"{2000 + yy}{rng.randrange(10**9):09d}"
            elif kind == "dell":
                s = "".join(rng.choices(_DELL, k=7))
            elif kind == "hpe":
                week = made.isocalendar()[1]
                tail = "".join(rng.choices(_ALNUM, k=4))
                s = f"{rng.choice(('CZJ', 'SGH', 'MXQ'))}{yy % 10}{week:02d}{tail}"
            else:  # pragma: no cover - the catalogue above only uses the styles listed
                raise ValueError(f"unknown serial style {style!r}")
            if s not in self.serials:
                self.serials.add(s)
                return s

    def asset_tag(self, year: int) -> str:
        n = self.asset_next.get(year)
        if n is None:
            n = self.rng.randint(120, 2400)
        self.asset_next[year] = n + self.rng.randint(1, 4)
        return f"SGD-{year}-{n:06d}"

    def purchase(self, year: int) -> tuple[str, dt.date, str]:
        """One delivery under one of the year's contracts: (contract, date, supplier)."""
        no, signed, supplier = self.rng.choice(self.contracts[year])
        delivered = signed + dt.timedelta(days=self.rng.randint(10, 40))
        return f"HĐ {no}/{year}/HĐ-SGDĐT", delivered, supplier

    def record(
        self,
        model_name: str,
        year: int,
        status: str = "in_service",
        batches: dict[int, tuple[str, dt.date, str]] | None = None,
    ) -> dict[str, object]:
        """A hardware record; devices bought the same year in ``batches`` share a delivery."""
        rng = self.rng
        m = _MODEL[model_name]
        year = min(max(year, m.since, _FIRST_YEAR), _LAST_YEAR)
        if batches is None:
            batches = {}
        if year not in batches:
            batches[year] = self.purchase(year)
        contract, purchased, supplier = batches[year]
        made = purchased - dt.timedelta(days=rng.randint(30, 120))
        out: dict[str, object] = {
            "serial": self.serial(m.serial, made),
            "asset_tag": self.asset_tag(year),
            "purchased": purchased,
            "supplier": supplier,
            "contract": contract,
            "warranty_end": _add_years(purchased, m.warranty),
            "cost_vnd": round(m.price_vnd * rng.uniform(0.86, 1.03) / 1000) * 1000,
        }
        if status != "in_service":
            out["status"] = status
        return out

    def deployed_status(self) -> str:
        r = self.rng.random()
        return "in_repair" if r < 0.03 else "retired" if r < 0.036 else "in_service"

    def spare(self, model_name: str, year: int) -> dict[str, object]:
        r = self.rng.random()
        status = "spare" if r < 0.8 else "in_repair" if r < 0.9 else "retired"
        return {"model": model_name, **self.record(model_name, year, status)}

    def address(self, district: str) -> str:
        rng = self.rng
        words = self.words
        d = _DISTRICT[district]
        while True:
            n = rng.randint(1, 420)
            r = rng.random()
            number = (
                f"{n}/{rng.randint(1, 40)}"
                if r < 0.2
                else f"{n}{rng.choice('AB')}"
                if r < 0.26
                else f"{n}-{n + 2}"
                if r < 0.3
                else str(n)
            )
            street = rng.choice(words.streets[district])
            ward = rng.choice(words.wards[district])
            text = f"{number} {street}, {ward}, {d.name}"
            if text not in self.addresses:
                self.addresses.add(text)
                return text

    # --- names -------------------------------------------------------------------------------

    def school_name(self, level: str, district: str, taken: set[str]) -> str:
        """A plausible name, unique within the district."""
        rng = self.rng
        words = self.words
        d = _DISTRICT[district]
        pool: Sequence[str]
        if level == "mam_non":
            r = rng.random()
            if r < 0.65:
                title, pool = "Trường Mầm non", words.mam_non
            elif r < 0.8 and _named_wards(district):
                title, pool = "Trường Mầm non", _named_wards(district)
            else:
                title, pool = "Trường Mầm non", [str(i) for i in range(1, 30)]
        elif level in ("tieu_hoc", "thcs", "thpt"):
            title = {"tieu_hoc": "Trường Tiểu học", "thcs": "Trường THCS", "thpt": "Trường THPT"}[
                level
            ]
            pool = words.people
            if _named_wards(district) and rng.random() < 0.15:
                pool = _named_wards(district)
        elif level == "lien_cap":
            title = rng.choice(
                ("Trường Tiểu học và THCS", "Trường THCS và THPT", "Trường TH, THCS và THPT")
            )
            pool = words.people
        elif level == "gdtx":
            title = "Trung tâm Giáo dục thường xuyên"
            pool = words.people
            for first in (
                f"Trung tâm Giáo dục thường xuyên {d.name}",
                f"Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên {d.name}",
            ):
                if first not in taken:
                    taken.add(first)
                    return first
        else:
            title = rng.choice(("Trường Chuyên biệt", "Trường Giáo dục chuyên biệt"))
            pool = words.chuyen_biet
        for _ in range(8):  # a free name is usually found at once
            name = f"{title} {rng.choice(pool)}"
            if name not in taken:
                break
        else:
            free = [f"{title} {x}" for x in pool if f"{title} {x}" not in taken]
            if free:
                name = rng.choice(free)
            else:  # every name of the list is taken: number them
                base = f"{title} {rng.choice(pool)}"
                k = 2
                while f"{base} {k}" in taken:
                    k += 1
                name = f"{base} {k}"
        taken.add(name)
        return name

    # --- sections ----------------------------------------------------------------------------

    def hardware(
        self, devices: Iterable[tuple[str, str, str]], year: int
    ) -> dict[str, dict[str, object]]:
        """Records of a site's devices: most came in one delivery, some were added later."""
        out: dict[str, dict[str, object]] = {}
        batches: dict[int, tuple[str, dt.date, str]] = {}
        for short, _role, model in devices:
            y = year if self.rng.random() < 0.85 else self.rng.randint(year, _LAST_YEAR)
            out[short] = self.record(model, y, self.deployed_status(), batches)
        return out

    def core_sites(self) -> list[dict[str, object]]:
        dept_devices = _expand(DEPARTMENT_DEVICES)
        dc_devices = _expand(DATACENTER_DEVICES)
        self.addresses.add(dept_address := "66-68 Lê Thánh Tôn, Phường Bến Nghé, Quận 1")
        self.addresses.add(dc_address := "7 Lê Quý Đôn, Phường 7, Quận 3")
        department: dict[str, object] = {
            "code": DEPARTMENT,
            "name": "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh",
            "kind": "department",
            "district": "760",
            "address": dept_address,
            "core": True,
            "slot": 1,
            "vlans": ["management", "staff", "wifi"],
            "prefixes": {"staff": "10.1.0.0/24", "wifi": "10.1.1.0/24"},
            "uplinks": [
                {"to": DATACENTER, "isp": "VNPT", "medium": "fiber", "bandwidth_mbps": 10000},
                {"to": "internet", "isp": "Viettel", "medium": "leased_line",
                 "bandwidth_mbps": 1000, "sla": {"availability_pct": 99.9, "restore_hours": 4}},
            ],
            "endpoints": {"laptops": 40, "printers": 12},
            "devices": [{"role": r, "model": m} for _, r, m in dept_devices],
            "hardware": self.hardware(dept_devices, 2017),
            "spares": [self.spare("C9200L-48P-4G", 2019), self.spare("UAP-AC-Pro", 2019)],
        }  # fmt: skip
        leased = {"availability_pct": 99.95, "restore_hours": 4}
        datacenter: dict[str, object] = {
            "code": DATACENTER,
            "name": "Trung tâm dữ liệu ngành Giáo dục",
            "kind": "datacenter",
            "district": "770",
            "address": dc_address,
            "core": True,
            "slot": 2,
            "vlans": ["management", "applications", "databases", "storage", "dmz"],
            "prefixes": {
                "applications": "10.0.10.0/24",
                "databases": "10.0.20.0/24",
                "storage": "10.0.30.0/24",
                "dmz": "10.0.40.0/24",
            },
            "uplinks": [
                {"to": "internet", "isp": "VNPT", "medium": "leased_line", "bandwidth_mbps": 2000,
                 "sla": leased},
                {"to": "internet", "isp": "Viettel", "medium": "leased_line",
                 "bandwidth_mbps": 2000, "sla": leased},
                {"to": "internet", "isp": "FPT", "medium": "leased_line", "bandwidth_mbps": 1000,
                 "sla": leased},
            ],
            "devices": [{"role": r, "model": m} for _, r, m in dc_devices],
            "hardware": self.hardware(dc_devices, 2019),
            "spares": [self.spare("PowerEdge R740", 2019), self.spare("FG-600E", 2019)],
        }  # fmt: skip
        return [_ordered(department), _ordered(datacenter)]

    def district_offices(self) -> list[dict[str, object]]:
        rng = self.rng
        profile = _PROFILE["district-office"]
        devices = profile.expand()
        dual = set(rng.sample(range(len(DISTRICTS)), len(DISTRICTS) // 3))
        out: list[dict[str, object]] = []
        for i, d in enumerate(DISTRICTS):
            site: dict[str, object] = {
                "code": f"PGD-{d.slug.upper()}",
                "name": f"Phòng Giáo dục và Đào tạo {d.name}",
                "kind": "district_office",
                "district": d.code,
                "address": self.address(d.code),
                "profile": profile.name,
            }
            primary = (
                {"to": DEPARTMENT, "isp": "VNPT", "medium": "leased_line", "bandwidth_mbps": 1000}
                if d.kind == "huyen"
                else dict(profile.uplink)
            )
            if i in dual:
                site["uplinks"] = [
                    primary,
                    {"to": DATACENTER, "isp": "Viettel", "medium": "leased_line",
                     "bandwidth_mbps": rng.choice((500, 1000))},
                ]  # fmt: skip
            elif primary != profile.uplink:
                site["uplinks"] = [primary]
            site["hardware"] = self.hardware(devices, rng.randint(2015, 2019))
            if rng.random() < 0.7:
                stock = ("RB750Gr3", "C9200L-24T-4G", "UAP-AC-Lite", "WS-C2960X-24TS-L", "EAP245")
                site["spares"] = [
                    self.spare(m, rng.randint(2016, 2022))
                    for m in sorted(rng.sample(stock, rng.randint(1, 3)))
                ]
            out.append(_ordered(site))
        return out

    def schools(self, n: int) -> list[dict[str, object]]:
        rng = self.rng
        if n <= 0:
            return []
        counts = _level_counts(n)
        # levels every district gets one of first (when there are enough to go round)
        seeded = [lv for lv in (*MAIN_LEVELS, "gdtx") if counts[lv] >= len(DISTRICTS)]
        if n < len(DISTRICTS) * len(MAIN_LEVELS):
            seeded = []
        floor = len(seeded)
        weights = [d.population + 60 for d in DISTRICTS]
        extra = _capped_split(
            n - floor * len(DISTRICTS), weights, [MAX_SERIAL - floor] * len(DISTRICTS)
        )
        pool: list[str] = []
        for lv in LEVELS:
            pool.extend([lv] * (counts[lv] - (len(DISTRICTS) if lv in seeded else 0)))
        rng.shuffle(pool)
        # who gets the features that only some schools have, by position in the city
        order = list(range(n))
        rng.shuffle(order)
        quota = [
            ("ftth", round(n * 0.15)),
            ("dual", round(n * 0.05)),
            ("lte", max(2, round(n * 0.012))),
            ("legacy", max(3, round(n * 0.008))),
        ]
        feature: dict[int, str] = {}
        at = 0
        for name, k in quota:
            for idx in order[at : at + k]:
                feature[idx] = name
            at += k
        extra_device = set(rng.sample(range(n), min(n, max(3, round(n * 0.04)))))
        own_endpoints = set(rng.sample(range(n), min(n, max(3, round(n * 0.04)))))
        with_spares = set(rng.sample(range(n), min(n, max(2, round(n * 0.05)))))

        out: list[dict[str, object]] = []
        index = 0
        for d, more in zip(DISTRICTS, extra, strict=True):
            levels = list(seeded) + pool[:more]
            del pool[:more]
            total = len(levels)
            space = min(MAX_SERIAL, max(total, round(total * 1.35) + 2))
            serials = rng.sample(range(1, space + 1), total)
            taken: set[str] = set()
            district_sites = []
            for level, serial in zip(levels, serials, strict=True):
                site = self.school(
                    d,
                    level,
                    serial,
                    taken,
                    feature.get(index),
                    index in extra_device,
                    index in own_endpoints,
                    index in with_spares,
                )
                district_sites.append(site)
                index += 1
            district_sites.sort(key=lambda s: str(s["code"]))
            out.extend(district_sites)
        return out

    def school(
        self,
        d: _District,
        level: str,
        serial: int,
        taken: set[str],
        feature: str | None,
        extra_device: bool,
        own_endpoints: bool,
        spares: bool,
    ) -> dict[str, object]:
        rng = self.rng
        profile = _PROFILE[PROFILE_OF[level]]
        code = f"{CITY['code']}{d.code}{serial:03d}"
        lo, hi, mode = PUPILS[level]
        site: dict[str, object] = {
            "code": code,
            "name": self.school_name(level, d.code, taken),
            "kind": "school",
            "level": level,
            "district": d.code,
            "profile": profile.name,
            "pupils": int(rng.triangular(lo, hi, mode)),
            "address": self.address(d.code),
        }
        devices = profile.expand()
        gateway_role = devices[0][1]
        legacy = feature == "legacy" and gateway_role == "router"
        if legacy:
            # an old router kept in service: SNMPv2c only, past its end of support
            site["snmp"] = "v2-legacy"
            site["devices"] = [
                {"name": f"{code}-rt1", "role": "router", "model": "CISCO1941"},
            ]
            devices[0] = ("rt1", "router", "CISCO1941")
        uplink = profile.uplink
        other = rng.choice(("Viettel", "FPT"))
        if feature == "ftth":
            site["uplinks"] = [_internet(other, "ftth", rng.choice((150, 150, 200, 300)))]
        elif feature == "dual":
            site["uplinks"] = [dict(uplink), _internet(other, "ftth", 150)]
        elif feature == "lte":
            carrier = rng.choice(("Viettel", "MobiFone", "VinaPhone"))
            site["uplinks"] = [dict(uplink), _internet(carrier, "4g", 50)]
        if own_endpoints:
            site["endpoints"] = _scaled_endpoints(rng, profile)
        year = rng.randint(2016, 2021)
        if legacy:
            year = rng.randint(2012, 2014)
        if extra_device:
            role, model = rng.choice(
                [(r, m) for _, r, m in devices if r in ("access_switch", "access_point")]
            )
            count = sum(1 for _, r, _m in devices if r == role)
            extra: dict[str, object] = {
                "name": f"{code}-{_ROLE_ABBR[role]}{count + 1}",
                "role": role,
                "model": model,
                "hardware": self.record(model, rng.randint(year, _LAST_YEAR)),
            }
            site.setdefault("devices", [])
            devices_list = site["devices"]
            assert isinstance(devices_list, list)
            devices_list.append(extra)
        r = rng.random()
        if r < 0.06:
            pass  # no hardware records yet
        elif r < 0.12:
            site["hardware"] = self.hardware(devices[:1], year)
        else:
            site["hardware"] = self.hardware(devices, year)
        if spares:
            model = rng.choice([m for _, r2, m in devices if r2 != "router"] or [devices[0][2]])
            site["spares"] = [self.spare(model, rng.randint(year, _LAST_YEAR))]
        return _ordered(site)


SITE_KEYS = (
    "code",
    "name",
    "kind",
    "level",
    "district",
    "address",
    "profile",
    "pupils",
    "core",
    "slot",
    "vlans",
    "prefixes",
    "snmp",
    "ssh",
    "uplinks",
    "endpoints",
    "devices",
    "hardware",
    "spares",
)


def _ordered(site: dict[str, object]) -> dict[str, object]:
    """A site's keys in the order people read them: who, where, what differs, hardware."""
    rank = {k: i for i, k in enumerate(SITE_KEYS)}
    return dict(sorted(site.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def _internet(isp: str, medium: str, mbps: int) -> dict[str, object]:
    return {"to": "internet", "isp": isp, "medium": medium, "bandwidth_mbps": mbps}


def _expand(spec: Iterable[tuple[str, str, int]]) -> list[tuple[str, str, str]]:
    counters: dict[str, int] = {}
    out: list[tuple[str, str, str]] = []
    for role, model, count in spec:
        for _ in range(count):
            counters[role] = counters.get(role, 0) + 1
            out.append((f"{_ROLE_ABBR[role]}{counters[role]}", role, model))
    return out


def _scaled_endpoints(rng: random.Random, profile: _Profile) -> dict[str, object]:
    base = profile.endpoints
    out: dict[str, object] = {}
    for key, limit in (
        ("workstations", _LAB_HOSTS),
        ("laptops", 60),
        ("cameras", _CAMERA_HOSTS),
        ("printers", 12),
    ):
        value = base.get(key, 0)
        assert isinstance(value, int)
        if value:
            out[key] = max(1, min(limit, round(value * rng.uniform(0.6, 1.5))))
    if "workstation_model" in base:
        out["workstation_model"] = base["workstation_model"]
    return out


def _applications() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    node = 0
    domain = CITY["domain"]
    for code, name, name_en, owner, crit, host, port, check, software, vms in APPLICATIONS:
        availability, latency = _SLO[crit]
        app: dict[str, object] = {
            "code": code,
            "name": name,
            "name_en": name_en,
            "owner": owner,
            "criticality": crit,
            "slo": {"availability_pct": availability, "latency_ms": latency},
            "url": f"https://{host + '.' if host else ''}{domain}/",
            "port": port,
            "check": check,
        }
        if code == "portal":
            app["exposure"] = "public"
        app["software"] = software
        app_vms: list[dict[str, object]] = []
        for vm_name, vcpu, memory, disks, segment in vms:
            app_vms.append(
                {
                    "name": vm_name,
                    "vcpu": vcpu,
                    "memory_gb": memory,
                    "disks_gb": list(disks),
                    "segment": segment,
                    "node": DC_NODES[node % len(DC_NODES)],  # consecutive VMs on different nodes
                }
            )
            node += 1
        app["vms"] = app_vms
        out.append(app)
    return out


def generate(schools: int = DEFAULT_SCHOOLS, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """The whole inventory document of a sample city with ``schools`` schools.

    Plain dicts, lists, strings, numbers and dates, in the order :func:`render` writes
    them; it validates against :class:`edunet.schema.Document` and, item by item, against
    ``SECTION_ITEMS``. The same arguments always give the same document.
    """
    if not 0 <= schools <= MAX_SCHOOLS:
        raise ValueError(
            f"a sample city has 0 to {MAX_SCHOOLS:,} schools ({MAX_SERIAL} per district: "
            f"a school's serial is its IP-plan slot), not {schools:,}"
        )
    rng = random.Random(seed)
    gen = _Generator(rng)
    sites = gen.core_sites() + gen.district_offices() + gen.schools(schools)
    doc: dict[str, object] = {
        "edunet": 1,
        "sample": True,
        "city": dict(CITY),
        "credentials": {
            "snmp": {
                "v3-default": {"version": "v3", "auth": "sha", "priv": "aes"},
                "v2-legacy": {"version": "v2c"},
            },
            "ssh": {"netops": {"port": 22}},
        },
        "defaults": {"snmp": "v3-default", "ssh": "netops"},
        "ip_plan": dict(IP_PLAN),
        "vlans": [dict(v) for v in VLANS],
        "districts": [
            {"code": d.code, "number": i, "name": d.name, "kind": d.kind, "slug": d.slug}
            for i, d in enumerate(DISTRICTS, start=1)
        ],
        "hardware_models": [m.item() for m in MODELS],
        "profiles": [p.item() for p in PROFILES],
        "sites": sites,
        "links": [
            {
                "id": "so-ttdl-dark-fibre",
                "a": f"{DEPARTMENT.lower()}-rt2:TenGigabitEthernet0/0/1",
                "b": f"{DATACENTER.lower()}-rt2:TenGigabitEthernet0/0/1",
                "medium": "fiber",
                "bandwidth_mbps": 10000,
            }
        ],
        "applications": _applications(),
    }
    return SampleDocument(doc, schools, seed)


# --- YAML ------------------------------------------------------------------------------------

SECTION_ORDER = (
    "edunet",
    "sample",
    "city",
    "credentials",
    "defaults",
    "ip_plan",
    "vlans",
    "districts",
    "hardware_models",
    "profiles",
    "sites",
    "links",
    "applications",
)
_BLOCK_ITEMS = {"hardware_models", "profiles", "sites", "applications"}  # one line per field
_SPACED = {"hardware_models", "profiles", "applications"}  # a blank line between items

_COMMENTS = {
    "city": "The city: its GSO province code, its name and the education network's domain.",
    "credentials": (
        "Credential profiles, by name only. The secrets are read at run time from the\n"
        "environment (EDUNET_SNMP_V3_DEFAULT_*, EDUNET_SSH_NETOPS_*, ...) or a vault file."
    ),
    "defaults": "The profiles a device uses when neither it nor its site names one.",
    "ip_plan": (
        "Address pools. Each is split per area (0 = the city core, n = district number n)\n"
        "and then per site slot (a school's serial, 0 for a district office), so adding or\n"
        "removing a site never renumbers another."
    ),
    "vlans": (
        "The city's VLAN catalogue. The order is fixed: it places each VLAN in every site's\n"
        "/24 block, so only ever append. VLANs without a prefix_length (the data-center\n"
        "segments) are pinned per site."
    ),
    "districts": (
        "The 24 districts of 2013-2015 with their GSO codes. number is the IP-plan area:\n"
        "never change or reuse one."
    ),
    "hardware_models": (
        "The hardware catalogue. interfaces are ranges (GigabitEthernet1/0/1-24 is 24 ports);\n"
        "a site's uplinks use its gateway's uplink_ports in order. Prices in VND."
    ),
    "profiles": (
        "Standard LANs: one per kind of school, and the district office. A site names its\n"
        "profile and lists only what differs. The first device is the site's gateway;\n"
        "'to: district' is the school's district office."
    ),
    "links": "Explicit links between devices; the sites' uplinks make the rest of the core.",
    "applications": (
        "The programme's shared systems, hosted on the data center's Proxmox nodes\n"
        "(ttdl-srv1 ... ttdl-srv6). VM addresses come from the data-center segments."
    ),
}
_IP_PLAN_NOTES = {
    "management": "one /16 per area, one /26 per site: the management VLAN",
    "sites": "one /14 per area, one /24 per site: its LAN VLANs",
    "loopbacks": "router and firewall loopbacks",
    "p2p": "/31s of routed uplinks and core links",
}

_RESOLVER: Any = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = frozenset(",[]{}:?#")


@cache
def _text(s: str, flow: bool) -> str:
    """A string as a plain scalar where YAML reads it back as the same string, else quoted."""
    plain = (
        s != ""
        and s[0] not in _INDICATORS
        and not s[0].isspace()
        and not s[-1].isspace()
        and ": " not in s
        and " #" not in s
        and not s.endswith(":")
        and s.isprintable()
        and not (flow and not _FLOW_UNSAFE.isdisjoint(s))
        and _RESOLVER.resolve(yaml.ScalarNode, s, (True, False)) == _STR_TAG
    )
    return s if plain else json.dumps(s, ensure_ascii=False)


def _scalar(v: object, flow: bool) -> str:
    t = type(v)
    if t is str:
        return _text(cast(str, v), flow)
    if t is int:
        return str(v)
    if t is dt.date:
        return cast(dt.date, v).isoformat()
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    return _text(str(v), flow)  # IP networks and addresses, subclasses of str


def _flow(v: object) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_text(str(k), True)}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join([_flow(x) for x in v]) + "]"
    return _scalar(v, True)


_CONTAINERS = (dict, list, tuple)
_FLOW_WIDTH = 132  # a mapping that nests small mappings stays on one line up to this width


def _one_line(v: dict[Any, Any] | list[Any] | tuple[Any, ...], nest: bool = False) -> str | None:
    """The flow form of a container if it is small enough for one line, else None.

    Members that are scalars or lists of scalars always are (a hardware record is one
    line however long); with ``nest``, one more level of nesting is while the line stays
    short (an uplink with its SLA).
    """
    members = v.values() if isinstance(v, dict) else v
    nested = False
    for x in members:
        if isinstance(x, _CONTAINERS):
            inner = x.values() if isinstance(x, dict) else x
            for y in inner:
                if isinstance(y, _CONTAINERS):
                    return None
            nested = nested or isinstance(x, dict)
            if nested and (not nest or len(v) > 8):
                return None
    text = _flow(v)
    return text if not nested or len(text) <= _FLOW_WIDTH else None


def _mapping(d: dict[Any, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for k, x in d.items():
        key = _text(str(k), False)
        if isinstance(x, _CONTAINERS):
            line = _one_line(x) if x else _flow(x)
            if line is not None:
                out.append(f"{pad}{key}: {line}")
            elif isinstance(x, dict):
                out.append(f"{pad}{key}:")
                _mapping(x, indent + 2, out)
            else:
                out.append(f"{pad}{key}:")
                _sequence(x, indent + 2, out)
        else:
            out.append(f"{pad}{key}: {_scalar(x, False)}")


def _sequence(
    items: Sequence[Any], indent: int, out: list[str], block: bool = False, spaced: bool = False
) -> None:
    pad = " " * indent
    for i, x in enumerate(items):
        if spaced and i:
            out.append("")
        if isinstance(x, _CONTAINERS):
            line = None if block and isinstance(x, dict) and x else _one_line(x, nest=True)
            if line is not None:
                out.append(f"{pad}- {line}")
            elif isinstance(x, dict):
                start = len(out)
                _mapping(x, indent + 2, out)
                out[start] = f"{pad}- {out[start][indent + 2 :]}"
            else:
                out.append(f"{pad}-")
                _sequence(x, indent + 2, out)
        else:
            out.append(f"{pad}- {_scalar(x, False)}")


def _comment(text: str, indent: int = 0) -> list[str]:
    return [" " * indent + "# " + line if line else "#" for line in text.split("\n")]


def _sites(sites: Sequence[Any], districts: dict[str, tuple[str, int]], out: list[str]) -> None:
    """The sites, with a comment before each group: core, district offices, each district."""
    groups: list[tuple[str, list[Any]]] = []
    for s in sites:
        site = s if isinstance(s, dict) else {}
        kind = site.get("kind")
        if kind in ("department", "datacenter"):
            key = "core"
        elif kind == "district_office":
            key = "offices"
        else:
            key = str(site.get("district"))
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(s)
    for i, (key, members) in enumerate(groups):
        if i:
            out.append("")
        if key == "core":
            note = "City core (IP-plan area 0): the Department and the data center."
        elif key == "offices":
            note = "District offices (Phòng GD&ĐT): slot 0 of their district's area."
        else:
            name, number = districts.get(key, (key, 0))
            n = len(members)
            note = f"{name} ({key}, area {number}): {n} school{'s' if n != 1 else ''}"
        out.extend(_comment(note, 2))
        _sequence(members, 2, out, block=True)


def render(doc: dict[str, object], *, seed: int | None = None) -> str:
    """Readable, deterministic YAML of a generated document (see :func:`generate`).

    Sections come in a fixed order with a comment before each; small nested things (an
    uplink, a hardware record) stay on one line. ``seed`` defaults to the one the
    document was generated with; it only appears in the header.
    """
    if seed is None:
        seed = getattr(doc, "seed", None)
    sites = doc.get("sites") or []
    assert isinstance(sites, list)
    n = sum(1 for s in sites if isinstance(s, dict) and s.get("kind") == "school")
    command = f"edunet sample --schools {n}" + (f" --seed {seed}" if seed is not None else "")
    out = [
        "# SAMPLE DATA, not real data of the city: generated by",
        f"#   {command}",
        "# The districts and their codes are real; the schools, names, addresses, serial",
        "# numbers, asset tags and contracts are invented. The same command writes this file",
        "# again byte for byte. No secrets: credentials are profile names only.",
        "",
    ]
    districts: dict[str, tuple[str, int]] = {}
    for d in doc.get("districts") or []:  # type: ignore[attr-defined]
        if isinstance(d, dict):
            districts[str(d.get("code"))] = (str(d.get("name")), int(d.get("number") or 0))
    keys = [k for k in SECTION_ORDER if k in doc] + [k for k in doc if k not in SECTION_ORDER]
    for key in keys:
        value = doc[key]
        if key in _COMMENTS:
            out.append("")
            out.extend(_comment(_COMMENTS[key]))
        elif key == "sites":
            out.append("")
            out.extend(
                _comment(
                    f"The sites: the Department, the data center, {len(districts)} district "
                    f"offices and {n} schools.\nA school's code is 79 + district code + a "
                    "3-digit serial that is never reused; the serial\nis its IP-plan slot. "
                    "Hardware records are keyed by the device's short name (rt1, sw1, ap1)."
                )
            )
        if key == "ip_plan" and isinstance(value, dict):
            out.append("ip_plan:")
            width = max(len(f"{k}: {_scalar(v, False)}") for k, v in value.items())
            for k, v in value.items():
                line = f"  {k}: {_scalar(v, False)}"
                note = _IP_PLAN_NOTES.get(str(k))
                out.append(f"{line:<{width + 4}} # {note}" if note else line)
        elif key == "sites" and isinstance(value, list):
            out.append("sites:")
            _sites(value, districts, out)
        elif key == "city" and isinstance(value, dict):
            out.append("city:")
            _mapping(value, 2, out)
        elif isinstance(value, list):
            if not value:
                out.append(f"{key}: []")
                continue
            out.append(f"{key}:")
            _sequence(value, 2, out, block=key in _BLOCK_ITEMS, spaced=key in _SPACED)
        elif isinstance(value, dict):
            _mapping({key: value}, 0, out)
        else:
            out.append(f"{key}: {_scalar(value, False)}")
    return "\n".join(out) + "\n"


def write(
    path: str | os.PathLike[str],
    schools: int = DEFAULT_SCHOOLS,
    seed: int = DEFAULT_SEED,
) -> None:
    """Generate and save a sample city; the file is replaced whole, never half-written."""
    target = Path(path)
    text = render(generate(schools, seed), seed=seed)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
