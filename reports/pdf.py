"""report.pdf: the month in a few pages a leader can forward, Vietnamese with the English
underneath, in a TTF font that has every Vietnamese glyph (DejaVu Sans)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from fpdf import FPDF, XPos, YPos
from fpdf.fonts import FontFace

from reports.model import MonthlyReport
from reports.words import CAUSES, KPI_NAMES, SECTIONS

__all__ = ["font_dir", "write_pdf"]

SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
ROWS = 20  # a table's rows in the PDF; the workbook has them all


def font_dir() -> Path:
    """DejaVu from the system, else the copy matplotlib ships."""
    if (SYSTEM_FONTS / "DejaVuSans.ttf").is_file():
        return SYSTEM_FONTS
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _pct(x: float, digits: int = 3) -> str:
    return f"{x * 100:.{digits}f} %" if math.isfinite(x) else "–"


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.2f}"


class _Report(FPDF):
    def __init__(self, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        fonts = font_dir()
        self.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self._footer = footer
        self.set_auto_page_break(True, margin=14)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("DejaVu", "", 7)
        self.cell(0, 5, f"{self._footer} · {self.page_no()}", align="C")

    def say(self, height: float, text: str) -> None:
        """A paragraph over the page's width, the next one under it."""
        self.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, key: str) -> None:
        vi, en = SECTIONS[key]
        self.ln(3)
        self.set_font("DejaVu", "B", 12)
        self.say(6, vi)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.say(4, en)
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def grid(
        self,
        headers: Sequence[tuple[str, str]],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
    ) -> None:
        self.set_font("DejaVu", "", 6.5)
        head = FontFace(emphasis="BOLD", fill_color=(225, 232, 240))
        with self.table(
            col_widths=tuple(widths), headings_style=head, line_height=3.4, text_align="LEFT"
        ) as table:
            row = table.row()
            for vi, en in headers:
                row.cell(f"{vi}\n{en}")
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell(v)


def write_pdf(report: MonthlyReport, charts: dict[str, Path], path: Path) -> None:
    month = str(report.month)
    pdf = _Report(f"edunet · {report.scope} · {month}")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.say(8, f"Báo cáo tháng {month}: {report.scope}")
    pdf.set_font("DejaVu", "", 9)
    pdf.say(5, f"Monthly report {month}: {report.scope_en}")
    _kpis(pdf, report)
    if "trend" in charts:
        pdf.image(str(charts["trend"]), w=170)
    _availability(pdf, report, charts)
    _outages(pdf, report)
    _isps(pdf, report)
    _capacity(pdf, report)
    if "map" in charts:
        pdf.add_page()
        pdf.heading("map")
        pdf.image(str(charts["map"]), w=170)
    pdf.output(str(path))


def _kpis(pdf: _Report, report: MonthlyReport) -> None:
    pdf.heading("kpis")
    month = str(report.month)
    rows = []
    for group in ("city", "district", "level"):
        keys = sorted(
            {(k.key, k.name) for k in report.kpis if k.group == group and k.month == month}
        )
        for key, name in keys:
            values = {
                k.kpi: k.value
                for k in report.kpis
                if k.group == group and k.key == key and k.month == month
            }
            rows.append(
                [
                    name or key,
                    _pct(values.get("connected", math.nan), 2),
                    _pct(values.get("lan_uplink_ok", math.nan), 2),
                ]
            )
    pdf.grid(
        [("Đơn vị", "Unit"), KPI_NAMES["connected"], KPI_NAMES["lan_uplink_ok"]],
        rows[: ROWS + 12],
        (80, 50, 50),
    )


def _availability(pdf: _Report, report: MonthlyReport, charts: dict[str, Path]) -> None:
    pdf.heading("worst")
    worst = sorted(report.sites, key=lambda r: (r.availability, r.site))[:ROWS]
    pdf.grid(
        [
            ("Mã", "Code"),
            ("Tên", "Name"),
            ("Quận/Huyện", "District"),
            ("Sẵn sàng", "Availability"),
            ("Mất (giờ)", "Down (h)"),
            ("Sự cố", "Outages"),
        ],
        [
            [r.site, r.name, r.district, _pct(r.availability), _hours(r.down_s), str(r.outages)]
            for r in worst
        ],
        (18, 72, 35, 22, 18, 15),
    )
    pdf.heading("applications")
    pdf.grid(
        [
            ("Ứng dụng", "Application"),
            ("SLO", "SLO"),
            ("Sẵn sàng", "Availability"),
            ("Ngân sách lỗi đã dùng", "Error budget spent"),
        ],
        [
            [a.name, _pct(a.slo, 2), _pct(a.availability), _pct(a.budget_spent, 1)]
            for a in report.apps
        ],
        (90, 30, 30, 30),
    )


def _outages(pdf: _Report, report: MonthlyReport) -> None:
    for key, outages in (("outages", report.outages), ("planned", report.planned)):
        pdf.heading(key)
        longest = sorted(outages, key=lambda o: -o.duration_s)[:ROWS]
        pdf.grid(
            [
                ("Bắt đầu (giờ VN)", "Start (ICT)"),
                ("Thời lượng (giờ)", "Duration (h)"),
                ("Nguyên nhân", "Root cause"),
                ("Trường", "Schools"),
                ("Học sinh", "Pupils"),
                ("Ghi chú", "Note"),
            ],
            [
                [
                    _local(o.start),
                    _hours(o.duration_s),
                    f"{CAUSES.get(o.cause_kind, (o.cause_kind,))[0]}: {o.cause}",
                    str(o.schools),
                    str(o.pupils),
                    o.reason or " ".join(o.sites[:4]) + (" …" if len(o.sites) > 4 else ""),
                ]
                for o in longest
            ],
            (28, 18, 52, 15, 17, 50),
        )


def _local(t: object) -> str:
    from datetime import datetime

    from reports.period import CITY_TZ

    assert isinstance(t, datetime)
    return t.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M")


def _isps(pdf: _Report, report: MonthlyReport) -> None:
    pdf.heading("isps")
    pdf.grid(
        [
            ("Nhà mạng", "ISP"),
            ("Môi trường", "Medium"),
            ("Sẵn sàng / cam kết", "Avail. / SLA"),
            ("Mất gói / ngưỡng", "Loss / max"),
            ("Trễ / ngưỡng (ms)", "Latency / max"),
            ("Jitter / ngưỡng (ms)", "Jitter / max"),
            ("Vượt (giờ)", "Over (h)"),
        ],
        [
            [
                r.isp,
                r.medium,
                f"{_pct(r.availability)} / {_pct(r.sla_availability, 2)}",
                f"{_pct(r.loss, 2)} / {_pct(r.max_loss, 1)}",
                f"{r.latency_s * 1000:.1f} / {r.max_latency_s * 1000:.0f}",
                f"{r.jitter_s * 1000:.1f} / {r.max_jitter_s * 1000:.0f}",
                f"{sum(b[2] for b in r.breaches):.1f}",
            ]
            for r in report.isps
        ],
        (22, 22, 36, 28, 26, 26, 20),
    )


def _capacity(pdf: _Report, report: MonthlyReport) -> None:
    pdf.heading("capacity")
    pdf.set_font("DejaVu", "", 7)
    pdf.say(
        3.5,
        f"P95 trong giờ học (thứ Hai–thứ Sáu 07:00–17:00); mục tiêu "
        f"{report.target_mbps_per_pupil:g} Mbps/học sinh. / 95th percentile in school hours "
        f"(weekdays 07:00–17:00); target {report.target_mbps_per_pupil:g} Mbps per pupil.",
    )
    first = [r for r in report.capacity if math.isfinite(r.peak_ratio)][:ROWS]
    pdf.grid(
        [
            ("Trường", "School"),
            ("Đường truyền", "Uplink (Mbps)"),
            ("P95", "P95"),
            ("Mbps/học sinh", "Mbps per pupil"),
            ("Tăng/tháng", "Growth/month"),
            ("Bão hòa", "Saturates"),
        ],
        [
            [
                f"{r.site} {r.name}",
                f"{r.uplink_mbps:g}",
                _pct(r.peak_ratio, 1),
                f"{r.mbps_per_pupil:.3f}" if math.isfinite(r.mbps_per_pupil) else "–",
                _pct(r.growth_per_month, 1),
                r.saturates or "–",
            ]
            for r in first
        ],
        (70, 22, 18, 24, 22, 22),
    )
