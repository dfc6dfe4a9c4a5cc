"""A monthly report's files in one folder: report.xlsx, report.pdf and the charts as PNG."""

from __future__ import annotations

from pathlib import Path

from reports.charts import write_charts
from reports.model import MonthlyReport
from reports.pdf import write_pdf
from reports.xlsx import write_xlsx

__all__ = ["write_report"]


def write_report(report: MonthlyReport, out: Path) -> list[Path]:
    """Every file written, the workbook and the PDF first."""
    out.mkdir(parents=True, exist_ok=True)
    charts = write_charts(report, out)
    xlsx, pdf = out / "report.xlsx", out / "report.pdf"
    write_xlsx(report, xlsx)
    write_pdf(report, charts, pdf)
    return [xlsx, pdf, *charts.values()]
