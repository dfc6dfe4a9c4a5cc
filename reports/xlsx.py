"""report.xlsx: one sheet per section, Vietnamese headers with English underneath, numbers
kept as numbers (shares as percentages by format, durations in hours)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from reports.model import MonthlyReport
from reports.words import CAUSES, KPI_NAMES, SECTIONS

__all__ = ["write_xlsx"]

Cell = str | float | int | datetime | None
PCT = "0.000%"


def _num(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _sheet(
    wb: Workbook,
    key: str,
    headers: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Cell]],
    formats: dict[int, str] | None = None,
) -> None:
    ws = wb.create_sheet(key)
    vi, en = SECTIONS[key]
    ws.append([vi])
    ws.append([en])
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"].font = Font(italic=True)
    ws.append([h[0] for h in headers])
    ws.append([h[1] for h in headers])
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for cell in ws[4]:
        cell.font = Font(italic=True)
    for row in rows:
        ws.append(list(row))
    for col, fmt in (formats or {}).items():
        for r in range(5, ws.max_row + 1):
            ws.cell(r, col).number_format = fmt
    for i, _ in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(3, i).column_letter].width = 18
    ws.freeze_panes = "A5"


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 4)


def write_xlsx(report: MonthlyReport, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        "kpis",
        [
            ("Chỉ tiêu", "KPI"),
            ("Nhóm", "Group"),
            ("Mã", "Code"),
            ("Tên", "Name"),
            ("Tháng", "Month"),
            ("Tỷ lệ", "Share"),
        ],
        [
            (KPI_NAMES[k.kpi][0], k.group, k.key, k.name, k.month, _num(k.value))
            for k in report.kpis
        ],
        {6: PCT},
    )
    site_headers = [
        ("Mã", "Code"),
        ("Tên", "Name"),
        ("Loại", "Kind"),
        ("Quận/Huyện", "District"),
        ("Cấp học", "Level"),
        ("Học sinh", "Pupils"),
        ("Sẵn sàng", "Availability"),
        ("Mất kết nối (giờ)", "Down (h)"),
        ("Bảo trì (giờ)", "Maintenance (h)"),
        ("Số sự cố", "Outages"),
    ]

    def site_row(r: object) -> list[Cell]:
        from reports.model import SiteRow

        assert isinstance(r, SiteRow)
        return [
            r.site,
            r.name,
            r.kind,
            r.district,
            r.level,
            r.pupils,
            r.availability,
            _hours(r.down_s),
            _hours(r.planned_s),
            r.outages,
        ]

    _sheet(wb, "availability", site_headers, [site_row(r) for r in report.sites], {7: PCT})
    worst = sorted(report.sites, key=lambda r: (r.availability, r.site))[:20]
    _sheet(wb, "worst", site_headers, [site_row(r) for r in worst], {7: PCT})
    _sheet(
        wb,
        "applications",
        [
            ("Mã", "Code"),
            ("Tên", "Name"),
            ("SLO", "SLO"),
            ("Sẵn sàng", "Availability"),
            ("Ngừng (giờ)", "Down (h)"),
            ("Ngân sách lỗi đã dùng", "Error budget spent"),
        ],
        [
            (a.application, a.name, a.slo, a.availability, _hours(a.down_s), a.budget_spent)
            for a in report.apps
        ],
        {3: PCT, 4: PCT, 6: "0.0%"},
    )
    outage_headers = [
        ("Bắt đầu", "Start"),
        ("Kết thúc", "End"),
        ("Thời lượng (giờ)", "Duration (h)"),
        ("Nguyên nhân", "Cause"),
        ("Loại nguyên nhân", "Cause kind"),
        ("Số trường", "Schools"),
        ("Số học sinh", "Pupils"),
        ("Đơn vị", "Sites"),
        ("Lý do", "Reason"),
    ]
    for key, outages in (("outages", report.outages), ("planned", report.planned)):
        _sheet(
            wb,
            key,
            outage_headers,
            [
                (
                    o.start.replace(tzinfo=None),
                    o.end.replace(tzinfo=None),
                    _hours(o.duration_s),
                    o.cause,
                    CAUSES.get(o.cause_kind, (o.cause_kind,))[0],
                    o.schools,
                    o.pupils,
                    " ".join(o.sites),
                    o.reason,
                )
                for o in outages
            ],
            {1: "yyyy-mm-dd hh:mm", 2: "yyyy-mm-dd hh:mm"},
        )
    _sheet(
        wb,
        "isps",
        [
            ("Nhà mạng", "ISP"),
            ("Môi trường", "Medium"),
            ("Số đơn vị", "Sites"),
            ("Sẵn sàng", "Availability"),
            ("Cam kết", "SLA"),
            ("Mất gói", "Loss"),
            ("Ngưỡng mất gói", "Max loss"),
            ("Độ trễ (ms)", "Latency (ms)"),
            ("Ngưỡng trễ (ms)", "Max latency (ms)"),
            ("Jitter (ms)", "Jitter (ms)"),
            ("Ngưỡng jitter (ms)", "Max jitter (ms)"),
            ("Giờ vượt ngưỡng", "Hours over"),
        ],
        [
            (
                r.isp,
                r.medium,
                r.sites,
                r.availability,
                _num(r.sla_availability),
                _num(r.loss),
                _num(r.max_loss),
                _num(r.latency_s * 1000),
                _num(r.max_latency_s * 1000),
                _num(r.jitter_s * 1000),
                _num(r.max_jitter_s * 1000),
                round(sum(b[2] for b in r.breaches), 2),
            )
            for r in report.isps
        ],
        {4: PCT, 5: PCT, 6: PCT, 7: PCT},
    )
    _sheet(
        wb,
        "capacity",
        [
            ("Mã", "Code"),
            ("Tên", "Name"),
            ("Quận/Huyện", "District"),
            ("Học sinh", "Pupils"),
            ("Đường truyền (Mbps)", "Uplink (Mbps)"),
            ("P95 giờ học", "P95 school hours"),
            ("P95 (Mbps)", "P95 (Mbps)"),
            ("Mbps/học sinh", "Mbps per pupil"),
            ("Mục tiêu Mbps/học sinh", "Target Mbps per pupil"),
            ("Tăng mỗi tháng", "Growth a month"),
            ("Dự kiến bão hòa", "Saturates"),
        ],
        [
            (
                r.site,
                r.name,
                r.district,
                r.pupils,
                r.uplink_mbps,
                _num(r.peak_ratio),
                _num(r.peak_mbps),
                _num(r.mbps_per_pupil),
                report.target_mbps_per_pupil,
                _num(r.growth_per_month),
                r.saturates,
            )
            for r in report.capacity
        ],
        {6: "0.0%", 10: "0.0%"},
    )
    wb.save(path)
