"""The writers on a report made by hand (no server): the PDF keeps its Vietnamese, the
workbook a sheet per section with numbers as numbers, the map is drawn from the locations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from reading import SHEETS, pdf_pages, pdf_text

from edunet.model import Inventory, SiteKind
from reports.model import AppRow, CapacityRow, IspRow, KpiRow, MonthlyReport, SiteRow
from reports.outages import Outage
from reports.period import Month

MONTH = Month(2026, 11)


def _report(inv: Inventory) -> MonthlyReport:
    sites = [
        SiteRow(
            s.code,
            s.name,
            s.kind.value,
            inv.districts[s.district].name,
            s.level.value if s.level else "",
            s.pupils or 0,
            0.98 if i % 7 == 0 else 1.0,
            36000.0 if i % 7 == 0 else 0.0,
            0.0,
            1 if i % 7 == 0 else 0,
        )
        for i, s in enumerate(inv.sites.values())
        if s.kind in (SiteKind.school, SiteKind.district_office)
    ]
    start = datetime(2026, 11, 5, 1, tzinfo=UTC)
    outage = Outage(
        "PGD-BINH-THANH",
        "district_office",
        start,
        start + timedelta(hours=2),
        ("PGD-BINH-THANH",),
        7,
        9000,
        False,
        "",
    )
    kpis = [
        KpiRow("connected", "district", d.code, d.name, str(MONTH.shift(-b)), 0.99 - b / 1000)
        for d in inv.districts.values()
        for b in range(3)
    ] + [KpiRow("connected", "city", "", inv.city.name, str(MONTH), 0.995)]
    return MonthlyReport(
        month=MONTH,
        scope=inv.city.name,
        scope_en="Ho Chi Minh City",
        step_s=60.0,
        kpis=tuple(kpis),
        sites=tuple(sites),
        apps=(AppRow("portal", "Cổng thông tin", 0.999, 0.9995, 1296.0, 0.5),),
        outages=(outage,),
        planned=(),
        isps=(
            IspRow(
                "VNPT",
                "metronet",
                100,
                0.999,
                0.995,
                0.007,
                0.012,
                0.002,
                0.01,
                0.03,
                0.01,
                (("79765001", "loss", 168.0),),
            ),
        ),
        capacity=(
            CapacityRow(
                "79760002",
                "Trường THCS Minh Đức",
                "Quận 1",
                1630,
                200.0,
                0.42,
                84.0,
                0.12,
                0.05,
                "2028-05",
            ),
        ),
        target_mbps_per_pupil=1.4,
        locations={c: (s.location.lat, s.location.lon) for c, s in inv.sites.items() if s.location},
    )


def test_the_files_read_as_people_read_them(sample_city: Inventory, tmp_path: Path) -> None:
    from reports.write import write_report

    written = write_report(_report(sample_city), tmp_path)
    assert [p.name for p in written] == [
        "report.xlsx",
        "report.pdf",
        "kpi-trend.png",
        "worst-20.png",
        "map.png",
    ]
    text = pdf_text(tmp_path / "report.pdf")
    for words in (
        "Quận Bình Thạnh",
        "Huyện Cần Giờ",
        "Báo cáo tháng 2026-11",
        "Phòng Giáo dục và Đào tạo",
        "Outages and their root cause",
    ):
        assert words in text, words
    pages = pdf_pages(tmp_path / "report.pdf", tmp_path / "page", 1, dpi=50)
    assert pages[0].stat().st_size > 10_000
    wb = load_workbook(tmp_path / "report.xlsx")
    assert wb.sheetnames == SHEETS
    row = next(wb["outages"].iter_rows(min_row=5))
    assert row[2].value == 2.0 and row[5].value == 7 and row[6].value == 9000
    assert isinstance(wb["isps"].cell(5, 4).value, float)
