"""The city the sample is shaped like: its districts, core sites, IP plan and VLAN catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from edunet.ipam import LOOPBACKS_PER_SLOT, UPLINKS_PER_SLOT
from edunet.schema import IpPlan

CITY = {"code": "79", "name": "Thành phố Hồ Chí Minh", "domain": "hcm.edu.vn"}
DEPARTMENT = "SO-GDDT"
DATACENTER = "TTDL"


@dataclass(frozen=True, slots=True)
class District:
    code: str  # GSO code
    slug: str
    name: str
    kind: str
    population: int  # thousands (2019 census); only weighs how many schools a district gets


# In GSO code order, which is also the IP-plan area number (760 → 1 … 787 → 24).
DISTRICTS: tuple[District, ...] = (
    District("760", "q1", "Quận 1", "quan", 143),
    District("761", "q12", "Quận 12", "quan", 620),
    District("762", "thu-duc", "Quận Thủ Đức", "quan", 592),
    District("763", "q9", "Quận 9", "quan", 398),
    District("764", "go-vap", "Quận Gò Vấp", "quan", 676),
    District("765", "binh-thanh", "Quận Bình Thạnh", "quan", 500),
    District("766", "tan-binh", "Quận Tân Bình", "quan", 474),
    District("767", "tan-phu", "Quận Tân Phú", "quan", 485),
    District("768", "phu-nhuan", "Quận Phú Nhuận", "quan", 163),
    District("769", "q2", "Quận 2", "quan", 180),
    District("770", "q3", "Quận 3", "quan", 190),
    District("771", "q10", "Quận 10", "quan", 234),
    District("772", "q11", "Quận 11", "quan", 209),
    District("773", "q4", "Quận 4", "quan", 175),
    District("774", "q5", "Quận 5", "quan", 159),
    District("775", "q6", "Quận 6", "quan", 234),
    District("776", "q8", "Quận 8", "quan", 424),
    District("777", "binh-tan", "Quận Bình Tân", "quan", 785),
    District("778", "q7", "Quận 7", "quan", 360),
    District("783", "cu-chi", "Huyện Củ Chi", "huyen", 462),
    District("784", "hoc-mon", "Huyện Hóc Môn", "huyen", 542),
    District("785", "binh-chanh", "Huyện Bình Chánh", "huyen", 705),
    District("786", "nha-be", "Huyện Nhà Bè", "huyen", 206),
    District("787", "can-gio", "Huyện Cần Giờ", "huyen", 71),
)
DISTRICT_BY_CODE = {d.code: d for d in DISTRICTS}

# The IP plan the sample uses; other fields keep their schema defaults.
IP_PLAN = {
    "management": "10.32.0.0/11",
    "sites": "10.128.0.0/9",
    "loopbacks": "10.16.0.0/15",
    "p2p": "10.20.0.0/14",
}


def slots_per_area(plan: IpPlan) -> int:
    """Site slots each area of ``plan`` has room for: the fewest that any of its pools holds."""
    return min(
        1 << (plan.site_management_prefix - plan.area_management_prefix),
        1 << (plan.site_block_prefix - plan.area_sites_prefix),
        (1 << (32 - plan.area_loopbacks_prefix)) // LOOPBACKS_PER_SLOT,
        (1 << (31 - plan.area_p2p_prefix)) // UPLINKS_PER_SLOT,  # /31s in the area's p2p pool
    )


# A school's serial is its IP-plan slot and the last three digits of its code, so serials
# run 001 up to the last slot of an area, or 999 at most.
MAX_SERIAL = min(999, slots_per_area(IpPlan.model_validate(IP_PLAN)) - 1)
MAX_SCHOOLS = MAX_SERIAL * len(DISTRICTS)

VLANS: tuple[dict[str, object], ...] = (
    {"name": "management", "id": 10, "title": "Quản lý", "management": True},
    {"name": "staff", "id": 20, "title": "Cán bộ – giáo viên", "prefix_length": 26},
    {"name": "lab", "id": 30, "title": "Phòng máy học sinh", "prefix_length": 26},
    {"name": "wifi", "id": 40, "title": "Wi-Fi", "prefix_length": 26, "wired": False},
    {"name": "cameras", "id": 50, "title": "Camera", "prefix_length": 27},
    {"name": "applications", "id": 110, "title": "Ứng dụng"},
    {"name": "databases", "id": 120, "title": "Cơ sở dữ liệu"},
    {"name": "storage", "id": 130, "title": "Lưu trữ – sao lưu"},
    {"name": "dmz", "id": 140, "title": "DMZ"},
)
