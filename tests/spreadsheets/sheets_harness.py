"""Real .xlsx files made with openpyxl as office users leave them, and the command line."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from typer.testing import CliRunner


def xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    merged: Sequence[str] = (),
    cached: dict[str, object] | None = None,
    sheet: str = "Danh sách",
) -> Path:
    """A workbook as an office user leaves it: ``merged`` ranges, and formulas with the
    values Excel cached for them (openpyxl itself writes formulas without a value)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for r in merged:
        ws.merge_cells(r)
    wb.save(path)
    if cached:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        for ref, value in cached.items():
            xml = re.sub(
                rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?', rf"\g<1><v>{value}</v>", xml
            )
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w") as z:
            for n, data in parts.items():
                z.writestr(n, data)
    return path


def edunet(*args: str | Path) -> tuple[int, str]:
    from edunet.cli.main import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def plan_rows(*args: str | Path) -> tuple[int, list[dict[str, str]], str]:
    """``edunet import …`` with ``--format json``: the exit code, the rows and the summary."""
    import json

    from edunet.cli.main import app

    result = CliRunner().invoke(app, [*(str(a) for a in args), "--format", "json"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, json.loads(result.stdout), " ".join(result.stderr.split())
