"""The report's files as people read them: the PDF through pdftotext (Vietnamese intact) and
pdftoppm (a page image), the workbook through openpyxl (a sheet per section, numbers as
numbers), and the command that writes them, on the month of history with its truth."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import History
from openpyxl import load_workbook
from reading import SHEETS, pdf_pages, pdf_text
from support.processes import ROOT
from typer.testing import CliRunner

from edunet.cli.main import app
from reports.monthly import Scope, monthly
from reports.prom import Prometheus
from reports.write import write_report

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_the_pdf_and_the_workbook_read_as_people_read_them(
    history: History, tmp_path: Path
) -> None:
    inv, truth = history.inv, history.truth
    report = monthly(inv, Prometheus(history.url), truth.month, Scope(inv), [truth.maintenance])
    written = write_report(report, tmp_path)
    assert [p.name for p in written[:2]] == ["report.xlsx", "report.pdf"]
    assert all(p.stat().st_size > 1000 for p in written)

    text = pdf_text(tmp_path / "report.pdf")
    for words in ("Quận Bình Thạnh", "Huyện Cần Giờ", "Báo cáo tháng", "Monthly report"):
        assert words in text, words
    assert truth.office in text  # the district office's outage, by its code
    pages = pdf_pages(tmp_path / "report.pdf", tmp_path / "page", 2)
    assert [p.name for p in pages] == ["page-1.png", "page-2.png"]

    wb = load_workbook(tmp_path / "report.xlsx")
    assert wb.sheetnames == SHEETS
    sheet = wb["availability"]
    assert [c.value for c in sheet[4]][:3] == ["Code", "Name", "Kind"]
    by_code = {row[0].value: row for row in sheet.iter_rows(min_row=5)}
    school = by_code[truth.school_down]
    assert isinstance(school[6].value, float) and school[6].value < 0.99
    assert school[6].number_format == "0.000%"
    outages = wb["outages"]
    assert outages.max_row == 4 + 2
    assert isinstance(outages.cell(5, 3).value, int | float)  # hours; 10.0 reads back as 10


def test_edunet_report_monthly_writes_a_district(history: History, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "report",
            "monthly",
            "--month",
            str(history.truth.month),
            "--district",
            "765",
            "--prometheus",
            history.url,
            "--out",
            str(tmp_path),
            "--inventory",
            str(ROOT / "inventory.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.pdf").is_file()
    wb = load_workbook(tmp_path / "report.xlsx")
    codes = {row[0].value for row in wb["availability"].iter_rows(min_row=5)}
    assert truth_office_in(codes, history)
    assert all(history.inv.sites[c].district == "765" for c in codes)


def truth_office_in(codes: set[object], history: History) -> bool:
    return history.truth.office in codes


def test_a_bad_month_is_refused() -> None:
    result = CliRunner().invoke(
        app,
        [
            "report",
            "monthly",
            "--month",
            "2026-13",
            "--prometheus",
            "http://127.0.0.1:1",
            "--out",
            "x",
        ],
    )
    assert result.exit_code == 2
    assert "YYYY-MM" in result.output
