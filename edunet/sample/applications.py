"""The programme's shared systems and the VMs that run them on the data center's nodes."""

from __future__ import annotations

from edunet.sample.city import CITY, DATACENTER
from edunet.sample.core_sites import DATACENTER_DEVICES
from edunet.sample.profiles import expand_devices

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
VM = tuple[str, int, int, tuple[int, ...], str]
# fmt: off
APPLICATIONS: tuple[tuple[str, str, str, str, str, str, int, str, str, tuple[VM, ...]], ...] = (
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

# The Proxmox VE nodes: the data center's servers.
DC_NODES = tuple(
    f"{DATACENTER.lower()}-{short}"
    for short, role, _ in expand_devices(DATACENTER_DEVICES)
    if role == "server"
)


def applications() -> list[dict[str, object]]:
    """The shared systems with their SLOs and VMs, placed round-robin on the nodes."""
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
