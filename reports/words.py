"""The report's words: Vietnamese first, English underneath (one place for both)."""

from __future__ import annotations

__all__ = ["CAUSES", "SECTIONS", "title"]

# section key -> (Vietnamese, English); the key names the workbook's sheet too
SECTIONS: dict[str, tuple[str, str]] = {
    "kpis": ("Chỉ tiêu của Đề án", "Programme KPIs"),
    "availability": ("Tính sẵn sàng theo đơn vị", "Availability per unit"),
    "worst": ("20 đơn vị kém nhất", "Worst 20 units"),
    "applications": ("Ứng dụng và ngân sách lỗi SLO", "Applications and SLO error budget"),
    "outages": ("Sự cố và nguyên nhân gốc", "Outages and their root cause"),
    "planned": ("Bảo trì theo kế hoạch (không tính)", "Planned maintenance (not counted)"),
    "isps": ("Cam kết chất lượng của nhà mạng", "ISP SLAs"),
    "capacity": ("Dung lượng đường truyền", "Capacity"),
    "map": ("Bản đồ tính sẵn sàng", "Availability map"),
}

CAUSES: dict[str, tuple[str, str]] = {
    "site": ("Thiết bị/đường truyền của đơn vị", "the site's own router or uplink"),
    "district_office": ("Phòng Giáo dục và Đào tạo", "its district office"),
    "isp": ("Nhà mạng", "an ISP"),
    "datacenter": ("Trung tâm dữ liệu", "the data center"),
    "department": ("Sở Giáo dục và Đào tạo", "the Department"),
}

KPI_NAMES: dict[str, tuple[str, str]] = {
    "connected": ("Kết nối về Trung tâm dữ liệu", "Connected to the data center"),
    "lan_uplink_ok": ("LAN và đường truyền hoạt động", "Working LAN and uplink"),
}


def title(key: str) -> str:
    vi, en = SECTIONS[key]
    return f"{vi}\n{en}"
