"""The Department, the data center and the 24 district offices (Phòng GD&ĐT)."""

from __future__ import annotations

import random

from edunet.sample.city import DATACENTER, DEPARTMENT, DISTRICTS
from edunet.sample.hardware_records import AssetRegister
from edunet.sample.names import Names
from edunet.sample.places import location
from edunet.sample.profiles import PROFILE_BY_NAME, expand_devices
from edunet.sample.sites import ordered, uplink

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
# Spare parts a district office may keep for its schools.
_OFFICE_STOCK = ("RB750Gr3", "C9200L-24T-4G", "UAP-AC-Lite", "WS-C2960X-24TS-L", "EAP245")


def core_sites(assets: AssetRegister, names: Names) -> list[dict[str, object]]:
    """The Department and the data center: area 0 of the IP plan, slots 1 and 2."""
    dept_devices = expand_devices(DEPARTMENT_DEVICES)
    dc_devices = expand_devices(DATACENTER_DEVICES)
    dept_address = names.reserve("66-68 Lê Thánh Tôn, Phường Bến Nghé, Quận 1")
    dc_address = names.reserve("7 Lê Quý Đôn, Phường 7, Quận 3")
    internet_sla: dict[str, object] = {"availability_pct": 99.9, "restore_hours": 4}
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
            uplink(DATACENTER, "VNPT", "fiber", 10000),
            uplink("internet", "Viettel", "leased_line", 1000, internet_sla),
        ],
        "endpoints": {"laptops": 40, "printers": 12},
        "devices": [{"role": r, "model": m} for _, r, m in dept_devices],
        "hardware": assets.site_records(dept_devices, 2017),
        "spares": [assets.spare("C9200L-48P-4G", 2019), assets.spare("UAP-AC-Pro", 2019)],
    }
    leased: dict[str, object] = {"availability_pct": 99.95, "restore_hours": 4}
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
            uplink("internet", "VNPT", "leased_line", 2000, leased),
            uplink("internet", "Viettel", "leased_line", 2000, leased),
            uplink("internet", "FPT", "leased_line", 1000, leased),
        ],
        "devices": [{"role": r, "model": m} for _, r, m in dc_devices],
        "hardware": assets.site_records(dc_devices, 2019),
        "spares": [assets.spare("PowerEdge R740", 2019), assets.spare("FG-600E", 2019)],
    }
    return [ordered(department), ordered(datacenter)]


def core_links() -> list[dict[str, object]]:
    """Explicit links between core devices; the sites' uplinks make the rest of the core."""
    return [
        {
            "id": "so-ttdl-dark-fibre",
            "a": f"{DEPARTMENT.lower()}-rt2:TenGigabitEthernet0/0/1",
            "b": f"{DATACENTER.lower()}-rt2:TenGigabitEthernet0/0/1",
            "medium": "fiber",
            "bandwidth_mbps": 10000,
        }
    ]


def district_offices(
    rng: random.Random, assets: AssetRegister, names: Names
) -> list[dict[str, object]]:
    """One office a district, slot 0 of its area; a third also reach the data center."""
    profile = PROFILE_BY_NAME["district-office"]
    devices = profile.expand()
    dual = set(rng.sample(range(len(DISTRICTS)), len(DISTRICTS) // 3))
    out: list[dict[str, object]] = []
    for i, d in enumerate(DISTRICTS):
        site: dict[str, object] = {
            "code": f"PGD-{d.slug.upper()}",
            "name": f"Phòng Giáo dục và Đào tạo {d.name}",
            "kind": "district_office",
            "district": d.code,
            "address": names.address(d.code),
            "location": location(f"PGD-{d.slug.upper()}", d.code),
            "profile": profile.name,
        }
        primary = (
            uplink(DEPARTMENT, "VNPT", "leased_line", 1000)
            if d.kind == "huyen"
            else dict(profile.uplink)
        )
        if i in dual:
            backup = uplink(DATACENTER, "Viettel", "leased_line", rng.choice((500, 1000)))
            site["uplinks"] = [primary, backup]
        elif primary != profile.uplink:
            site["uplinks"] = [primary]
        site["hardware"] = assets.site_records(devices, rng.randint(2015, 2019))
        if rng.random() < 0.7:
            site["spares"] = [
                assets.spare(m, rng.randint(2016, 2022))
                for m in sorted(rng.sample(_OFFICE_STOCK, rng.randint(1, 3)))
            ]
        out.append(ordered(site))
    return out
