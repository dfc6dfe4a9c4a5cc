"""The hardware catalogue: every model the sample city buys, with its ports and prices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Model:
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
    serial: str  # serial-number style, see AssetRegister.serial
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
MODELS: tuple[Model, ...] = (
    # routers
    Model(
        "ASR1001-X", "Cisco", "router", "cisco_xe",
        ("GigabitEthernet0/0/0-5", "TenGigabitEthernet0/0/0-1"),
        ("TenGigabitEthernet0/0/0", "TenGigabitEthernet0/0/1",
         "GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        620_000_000, 8, _CISCO + "1861",
        "Core edge router, 6 x 1G SFP and 2 x 10G SFP+ (IOS XE)", 2014, "cisco:FXS", 5,
    ),
    Model(
        "ISR4331", "Cisco", "router", "cisco_xe",
        ("GigabitEthernet0/0/0-2",),
        ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        78_000_000, 8, _CISCO + "2068",
        "District office router, 3 x 1G (IOS XE)", 2015, "cisco:FDO", 3,
        _ISR4K_EOS, _ISR4K_EOL,
    ),
    Model(
        "ISR4321", "Cisco", "router", "cisco_xe",
        ("GigabitEthernet0/0/0-1",),
        ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        42_000_000, 8, _CISCO + "2093",
        "Branch router, 2 x 1G (IOS XE)", 2015, "cisco:FGL", 3,
        _ISR4K_EOS, _ISR4K_EOL,
    ),
    Model(
        "C1111-8P", "Cisco", "router", "cisco_xe",
        ("GigabitEthernet0/0/0-1", "GigabitEthernet0/1/0-7"),
        ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        28_500_000, 7, _CISCO + "2443",
        "Branch router, 2 x 1G WAN and an 8-port switch (IOS XE)", 2018, "cisco:FGL", 3,
    ),
    Model(
        "CISCO1941", "Cisco", "router", "cisco_ios",
        ("GigabitEthernet0/0-1",),
        ("GigabitEthernet0/0", "GigabitEthernet0/1"),
        26_000_000, 7, _CISCO + "1095",
        "ISR G2 router, 2 x 1G; past its end of support", 2010, "cisco:FTX", 3,
        dt.date(2017, 12, 9), dt.date(2022, 12, 31),
    ),
    Model(
        "RB750Gr3", "MikroTik", "router", "mikrotik_routeros",
        ("ether1-5",),
        ("ether1", "ether2"),
        1_650_000, 6, _MIKROTIK,
        "hEX, 5 x 1G; router of a small school", 2017, "mikrotik", 1,
    ),
    Model(
        "CCR1009-7G-1C-1S+", "MikroTik", "router", "mikrotik_routeros",
        ("ether1-7", "combo1", "sfp-sfpplus1"),
        ("ether1", "ether2"),
        11_900_000, 7, _MIKROTIK,
        "Cloud Core Router, 7 x 1G, 1 combo port and 1 x 10G SFP+", 2014, "mikrotik", 1,
    ),
    Model(
        "CCR2004-16G-2S+", "MikroTik", "router", "mikrotik_routeros",
        ("ether1-16", "sfp-sfpplus1-2"),
        ("ether1", "ether2"),
        13_500_000, 7, _MIKROTIK,
        "Cloud Core Router, 16 x 1G and 2 x 10G SFP+", 2020, "mikrotik", 1,
    ),
    # firewalls
    Model(
        "FG-600E", "Fortinet", "firewall", "fortinet",
        ("mgmt", "ha1-2", "port1-28"),
        ("port25", "port26"),
        395_000_000, 7, _FORTINET + "6004",
        "Data-center firewall, 16 x 1G, 8 x 1G SFP and 4 x 10G SFP+", 2018, "fortinet:FG6H0ETB", 3,
    ),
    Model(
        "FG-100F", "Fortinet", "firewall", "fortinet",
        ("wan1-2", "dmz", "mgmt", "ha1-2", "port1-20", "x1-2"),
        ("wan1", "wan2"),
        82_000_000, 7, _FORTINET + "1041",
        "Campus firewall, 2 x 1G WAN, 20 x 1G and 2 x 10G SFP+", 2019, "fortinet:FG100FTK", 3,
    ),
    Model(
        "FG-60F", "Fortinet", "firewall", "fortinet",
        ("wan1-2", "dmz", "internal1-5"),
        ("wan1", "wan2"),
        17_800_000, 6, _FORTINET + "641",
        "Branch firewall, 2 x 1G WAN, 1 DMZ and 5 x 1G internal", 2019, "fortinet:FGT60FTK", 1,
    ),
    # switches
    Model(
        "C9500-24Y4C", "Cisco", "core_switch", "cisco_xe",
        ("TwentyFiveGigE1/0/1-24", "HundredGigE1/0/25-28"),
        ("HundredGigE1/0/25", "HundredGigE1/0/26"),
        480_000_000, 8, _CISCO + "2573",
        "Data-center core switch, 24 x 25G SFP28 and 4 x 100G QSFP28", 2018, "cisco:FCW", 5,
    ),
    Model(
        "C9300-48T", "Cisco", "core_switch", "cisco_xe",
        ("GigabitEthernet1/0/1-48", "TenGigabitEthernet1/1/1-8"),
        ("TenGigabitEthernet1/1/1", "TenGigabitEthernet1/1/2"),
        165_000_000, 8, _CISCO + "2494",
        "Campus core switch, 48 x 1G and an 8 x 10G SFP+ network module", 2017, "cisco:FOC", 5,
    ),
    Model(
        "WS-C2960X-48TS-L", "Cisco", "access_switch", "cisco_ios",
        ("GigabitEthernet1/0/1-52",),
        ("GigabitEthernet1/0/49", "GigabitEthernet1/0/50"),
        45_000_000, 7, _CISCO + "1208",
        "Access switch, 48 x 1G and 4 x 1G SFP", 2013, "cisco:FOC", 3,
        dt.date(2022, 10, 30), dt.date(2027, 10, 31),
    ),
    Model(
        "WS-C2960X-24TS-L", "Cisco", "access_switch", "cisco_ios",
        ("GigabitEthernet1/0/1-28",),
        ("GigabitEthernet1/0/25", "GigabitEthernet1/0/26"),
        28_500_000, 7, _CISCO + "1208",
        "Access switch, 24 x 1G and 4 x 1G SFP", 2013, "cisco:FCW", 3,
        dt.date(2022, 10, 30), dt.date(2027, 10, 31),
    ),
    Model(
        "C9200L-48P-4G", "Cisco", "access_switch", "cisco_ios",
        ("GigabitEthernet1/0/1-48", "GigabitEthernet1/1/1-4"),
        ("GigabitEthernet1/1/1", "GigabitEthernet1/1/2"),
        58_000_000, 8, _CISCO + "2586",
        "PoE+ access switch, 48 x 1G and 4 x 1G SFP (IOS XE, managed as IOS)",
        2019, "cisco:JAE", 3,
    ),
    Model(
        "C9200L-24T-4G", "Cisco", "access_switch", "cisco_ios",
        ("GigabitEthernet1/0/1-24", "GigabitEthernet1/1/1-4"),
        ("GigabitEthernet1/1/1", "GigabitEthernet1/1/2"),
        26_000_000, 8, _CISCO + "2581",
        "Access switch, 24 x 1G and 4 x 1G SFP (IOS XE, managed as IOS)",
        2019, "cisco:JAE", 3,
    ),
    # access points (OpenWrt)
    Model(
        "UAP-AC-Pro", "Ubiquiti", "access_point", "openwrt",
        ("eth0-1", "wlan0-1"),
        ("eth0",),
        3_850_000, 5, _NET_SNMP,
        "802.11ac dual-band AP, PoE, running OpenWrt", 2016, "ubnt", 1,
    ),
    Model(
        "UAP-AC-Lite", "Ubiquiti", "access_point", "openwrt",
        ("eth0", "wlan0-1"),
        ("eth0",),
        2_250_000, 5, _NET_SNMP,
        "802.11ac dual-band AP, PoE, running OpenWrt", 2016, "ubnt", 1,
    ),
    Model(
        "EAP245", "TP-Link", "access_point", "openwrt",
        ("eth0", "wlan0-1"),
        ("eth0",),
        2_450_000, 5, _NET_SNMP,
        "802.11ac dual-band ceiling AP (v3), running OpenWrt", 2018, "tplink", 2,
    ),
    # servers (Linux; the data-center ones are Proxmox VE nodes)
    Model(
        "PowerEdge R740", "Dell", "server", "linux",
        ("eno1-4", "ens3f0-1"),
        ("ens3f0", "ens3f1"),
        245_000_000, 7, _NET_SNMP,
        "2U server, 2 x Xeon Silver, 25G NICs; Proxmox VE node", 2017, "dell", 5,
    ),
    Model(
        "ProLiant DL380 Gen10", "HPE", "server", "linux",
        ("eno1-4", "ens1f0-1"),
        ("ens1f0", "ens1f1"),
        230_000_000, 7, _NET_SNMP,
        "2U server, 2 x Xeon Silver, 25G NICs; Proxmox VE node", 2017, "hpe", 5,
    ),
    Model(
        "PowerEdge R340", "Dell", "server", "linux",
        ("eno1-2",),
        ("eno1",),
        58_000_000, 7, _NET_SNMP,
        "1U server of a district office (file shares, backups, local services)", 2018, "dell", 3,
    ),
    Model(
        "PowerEdge T140", "Dell", "server", "linux",
        ("eno1-2",),
        ("eno1",),
        32_000_000, 6, _NET_SNMP,
        "Tower server of a school (file shares, lab images, local cache)", 2018, "dell", 3,
    ),
    # lab workstations (counted as endpoints, not managed one by one)
    Model(
        "OptiPlex 3080", "Dell", "workstation", "linux_desktop",
        ("eno1",),
        ("eno1",),
        14_500_000, 6, None,
        "Lab desktop, Ubuntu LTS", 2020, "dell", 3,
    ),
    Model(
        "ProDesk 400 G6", "HP", "workstation", "linux_desktop",
        ("eno1",),
        ("eno1",),
        13_800_000, 6, None,
        "Lab desktop, Ubuntu LTS", 2019, "hpe", 3,
    ),
)
# fmt: on
MODEL_BY_NAME = {m.model: m for m in MODELS}
