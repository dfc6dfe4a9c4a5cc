"""The report's files read as a person would: the PDF's text and page images, the sheets."""

from __future__ import annotations

import subprocess
from pathlib import Path

# the workbook's sheets, in order: one per section (the map is a picture, in the PDF only)
SHEETS = ["kpis", "availability", "worst", "applications", "outages", "planned", "isps", "capacity"]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(pdf: Path, out: Path, last: int, dpi: int = 60) -> list[Path]:
    """Pages 1 to ``last`` as PNG files (``out``-1.png …)."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", str(last), str(pdf), str(out)],
        check=True,
    )
    return sorted(out.parent.glob(f"{out.name}-*.png"))
