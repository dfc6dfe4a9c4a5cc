"""Standard LANs: the profile of each kind of school and of the district office."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from edunet.resolve.devices import ABBREVIATIONS
from edunet.sample.city import DEPARTMENT
from edunet.sample.sites import uplink
from edunet.schema import DeviceRole


def short_name(role: str, number: int) -> str:
    """A device's name inside its site (rt1, sw2, ap10), as the resolver names it."""
    return f"{ABBREVIATIONS[DeviceRole(role)]}{number}"


def expand_devices(spec: Iterable[tuple[str, str, int]]) -> list[tuple[str, str, str]]:
    """(short name, role, model) of each device of a (role, model, count) list."""
    counters: dict[str, int] = {}
    out: list[tuple[str, str, str]] = []
    for role, model, count in spec:
        for _ in range(count):
            counters[role] = counters.get(role, 0) + 1
            out.append((short_name(role, counters[role]), role, model))
    return out


@dataclass(frozen=True, slots=True)
class Profile:
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
        return expand_devices(self.devices)


# fmt: off
PROFILES: tuple[Profile, ...] = (
    Profile(
        "mam-non",
        "Trường mầm non – router, một switch, hai điểm phát Wi-Fi, camera lớp học",
        (("router", "RB750Gr3", 1), ("access_switch", "C9200L-24T-4G", 1),
         ("access_point", "UAP-AC-Lite", 2)),
        ("management", "staff", "wifi", "cameras"),
        {"laptops": 6, "cameras": 16, "printers": 2},
        uplink("district", "VNPT", "metronet", 50),
    ),
    Profile(
        "tieu-hoc",
        "Trường tiểu học – một phòng máy, hai switch, bốn điểm phát Wi-Fi",
        (("router", "CCR1009-7G-1C-1S+", 1), ("access_switch", "WS-C2960X-48TS-L", 2),
         ("access_point", "UAP-AC-Lite", 4)),
        ("management", "staff", "lab", "wifi", "cameras"),
        {"workstations": 35, "laptops": 12, "cameras": 16, "printers": 4,
         "workstation_model": "ProDesk 400 G6"},
        uplink("district", "VNPT", "metronet", 100),
    ),
    Profile(
        "thcs",
        "Trường THCS – phòng máy, ba switch, sáu điểm phát Wi-Fi, máy chủ tại trường",
        (("router", "CCR2004-16G-2S+", 1), ("access_switch", "C9200L-48P-4G", 2),
         ("access_switch", "WS-C2960X-24TS-L", 1), ("access_point", "UAP-AC-Pro", 6),
         ("server", "PowerEdge T140", 1)),
        ("management", "staff", "lab", "wifi", "cameras"),
        {"workstations": 45, "laptops": 20, "cameras": 20, "printers": 6,
         "workstation_model": "OptiPlex 3080"},
        uplink("district", "VNPT", "metronet", 100),
    ),
    Profile(
        "thpt",
        "Trường THPT – phòng máy, bốn switch, mười điểm phát Wi-Fi, máy chủ tại trường",
        (("router", "C1111-8P", 1), ("access_switch", "C9200L-48P-4G", 3),
         ("access_switch", "WS-C2960X-24TS-L", 1), ("access_point", "UAP-AC-Pro", 10),
         ("server", "PowerEdge T140", 1)),
        ("management", "staff", "lab", "wifi", "cameras"),
        {"workstations": 58, "laptops": 30, "cameras": 24, "printers": 8,
         "workstation_model": "OptiPlex 3080"},
        uplink("district", "VNPT", "metronet", 200),
    ),
    Profile(
        "lien-cap",
        "Trường liên cấp – tường lửa làm cổng, ba switch, sáu điểm phát Wi-Fi, máy chủ",
        (("firewall", "FG-60F", 1), ("access_switch", "C9200L-48P-4G", 2),
         ("access_switch", "C9200L-24T-4G", 1), ("access_point", "EAP245", 6),
         ("server", "PowerEdge T140", 1)),
        ("management", "staff", "lab", "wifi", "cameras"),
        {"workstations": 45, "laptops": 20, "cameras": 24, "printers": 6,
         "workstation_model": "OptiPlex 3080"},
        uplink("district", "VNPT", "metronet", 150),
    ),
    Profile(
        "gdtx",
        "Trung tâm GDTX – router, phòng máy, hai switch, bốn điểm phát Wi-Fi",
        (("router", "ISR4321", 1), ("access_switch", "WS-C2960X-48TS-L", 2),
         ("access_point", "EAP245", 4)),
        ("management", "staff", "lab", "wifi"),
        {"workstations": 40, "laptops": 8, "printers": 4, "workstation_model": "ProDesk 400 G6"},
        uplink("district", "VNPT", "metronet", 100),
    ),
    Profile(
        "chuyen-biet",
        "Trường chuyên biệt – router, một switch, hai điểm phát Wi-Fi, camera",
        (("router", "RB750Gr3", 1), ("access_switch", "WS-C2960X-24TS-L", 1),
         ("access_point", "EAP245", 2)),
        ("management", "staff", "wifi", "cameras"),
        {"laptops": 8, "cameras": 12, "printers": 2},
        uplink("district", "VNPT", "metronet", 50),
    ),
    Profile(
        "district-office",
        "Phòng GD&ĐT – router gom đường truyền của các trường, hai switch, máy chủ",
        (("router", "ISR4331", 1), ("access_switch", "C9200L-48P-4G", 2),
         ("access_point", "UAP-AC-Pro", 4), ("server", "PowerEdge R340", 1)),
        ("management", "staff", "wifi", "cameras"),
        {"laptops": 25, "cameras": 8, "printers": 6},
        uplink(DEPARTMENT, "VNPT", "metronet", 1000),
    ),
)
# fmt: on
PROFILE_BY_NAME = {p.name: p for p in PROFILES}
