"""CSV and XLSX exports: Vietnamese names, dates and money survive a round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]  # no stubs installed
import pytest
from typer.testing import CliRunner

from edunet import procurement as p
from edunet.cli.main import app
from edunet.cli.output import Format, emit
from edunet.model import Inventory
from edunet.tabular import Table, csv_text, table, to_csv, to_xlsx

ON = dt.date(2026, 1, 1)
SMALL = Path(__file__).parent / "data" / "small.yaml"


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_table_from_dataclasses_and_mappings(small: Inventory) -> None:
    rows = p.hardware_rows(small, ON)
    tab = table(rows, ["serial", "status", "level", "purchased", "cost_vnd"])
    assert tab.columns == ("serial", "status", "level", "purchased", "cost_vnd")
    assert tab.rows[0] == ("CN7XK12", "in_service", None, dt.date(2019, 6, 1), 185_000_000)
    assert table([{"a": 1, "b": "x"}]).columns == ("a", "b")
    assert table([]) == Table((), ())
    with pytest.raises(KeyError, match="nope"):
        table(rows, ["serial", "nope"])
    with pytest.raises(TypeError):
        table([42])


def test_csv_round_trip_keeps_vietnamese(small: Inventory) -> None:
    rows = p.hardware_rows(small, ON)
    got = read_csv(to_csv(table(rows)))
    header, body = got[0], got[1:]
    assert header[:4] == ["serial", "asset_tag", "model", "vendor"]
    rt = dict(zip(header, body[1], strict=True))
    assert rt["site_name"] == "Trường Tiểu học Lê Ngọc Hân"
    assert rt["district_name"] == "Quận 1"
    assert rt["supplier"] == "Công ty TNHH Tin học Sài Gòn"
    assert rt["contract"] == "HĐ 45/2018/HĐ-SGDĐT"
    assert rt["purchased"] == "2018-08-15"
    assert rt["cost_vnd"] == "1650000"
    assert rt["level"] == "tieu_hoc"
    srv = dict(zip(header, body[0], strict=True))
    assert srv["level"] == "" and srv["end_of_support"] == ""


def test_xlsx_round_trip_types_and_formats(small: Inventory) -> None:
    rows = p.hardware_rows(small, ON)
    ws = read_xlsx(to_xlsx(table(rows), sheet="Thiết bị"))
    assert ws.title == "Thiết bị"
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    col = {name: i for i, name in enumerate(header)}
    rt = values[2]
    assert rt[col["site_name"]] == "Trường Tiểu học Lê Ngọc Hân"
    assert rt[col["supplier"]] == "Công ty TNHH Tin học Sài Gòn"
    assert rt[col["cost_vnd"]] == 1_650_000 and isinstance(rt[col["cost_vnd"]], int)
    assert rt[col["age_years"]] == 7
    assert values[1][col["level"]] is None
    # dates are dates, money shows thousands separators
    purchased = ws.cell(row=3, column=col["purchased"] + 1)
    assert purchased.is_date and purchased.value.date() == dt.date(2018, 8, 15)
    assert ws.cell(row=3, column=col["cost_vnd"] + 1).number_format == "#,##0"
    assert ws.cell(row=3, column=col["age_years"] + 1).number_format == "General"
    assert ws.cell(row=1, column=1).font.bold
    assert ws.freeze_panes == "A2"
    width = ws.column_dimensions["A"].width
    assert width is not None and width >= len("HEX7A1B2C3")


def test_sample_city_exports_every_row(sample_city: Inventory) -> None:
    rows = p.hardware_rows(sample_city, ON)
    tab = table(rows)
    got = read_csv(to_csv(tab))
    assert len(got) == len(rows) + 1
    names = {r.site_name for r in rows}
    assert {line[got[0].index("site_name")] for line in got[1:]} == names
    ws = read_xlsx(to_xlsx(tab))
    assert ws.max_row == len(rows) + 1
    forecast = table(p.forecast(rows, 2026, 5, by_district=True))
    fx = list(read_xlsx(to_xlsx(forecast)).iter_rows(values_only=True))
    assert fx[0] == ("year", "district", "district_name", "count", "cost_vnd", "overdue")
    assert {r[2] for r in fx[1:]} <= {d.name for d in sample_city.districts.values()}
    assert sum(r[4] for r in fx[1:]) == sum(f.cost_vnd for f in forecast_rows(rows))


def forecast_rows(rows: list[p.HardwareRow]) -> list[p.ForecastYear]:
    return p.forecast(rows, 2026, 5)


def test_empty_table_exports() -> None:
    assert read_csv(to_csv(Table((), ()))) == [[]]
    assert list(read_xlsx(to_xlsx(table([], ["a", "b"]))).iter_rows(values_only=True)) == [
        ("a", "b")
    ]


def test_xlsx_text_is_never_a_formula() -> None:
    tab = table([{"note": '=HYPERLINK("http://x")', "n": 1}])
    ws = read_xlsx(to_xlsx(tab))
    cell = ws.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


# Cells a spreadsheet would run as formulas (OWASP "CSV Injection"), and what they must read.
HOSTILE = {
    '=HYPERLINK("http://x")': '\'=HYPERLINK("http://x")',
    "+cmd": "'+cmd",
    "-2+3+cmd": "'-2+3+cmd",
    "@SUM(A1)": "'@SUM(A1)",
    "\tcmd": "'\tcmd",
    "\rcmd": "'\rcmd",
}


def test_csv_text_is_never_a_formula() -> None:
    rows = [{"name": text, "n": -5, "x": -2.5} for text in HOSTILE]
    got = read_csv(to_csv(table(rows)))
    assert [line[0] for line in got[1:]] == list(HOSTILE.values())
    # numbers are numbers: a negative count is not neutralised
    assert {(line[1], line[2]) for line in got[1:]} == {("-5", "-2.5")}
    # text that is only a number reads as that number, and plain text is left alone
    assert [csv_text(t) for t in ("-5", "+84.5", "Quận 1", "a=b", "")] == [
        "-5",
        "+84.5",
        "Quận 1",
        "a=b",
        "",
    ]


def test_cli_csv_text_is_never_a_formula(tmp_path: Path) -> None:
    """The CLI's ``--format csv`` neutralises site names as the API's downloads do."""
    text = SMALL.read_text(encoding="utf-8")
    names = {
        "Trường Tiểu học Lê Ngọc Hân": '=HYPERLINK("http://x")',
        "Trường Tiểu học Kết Đoàn": "+cmd",
        "Trường Tiểu học Tân Túc": "-2+3+cmd",
        "Phòng Giáo dục và Đào tạo Huyện Bình Chánh": "@SUM(A1)",
    }
    for old, new in names.items():
        text = text.replace(f"name: {old},", f"name: '{new}',").replace(
            f"name: {old}\n", f"name: '{new}'\n"
        )
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["topology", "neighbours", "TTDL", "-n", "4", "-i", str(inventory), "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    got = list(csv.reader(io.StringIO(result.output, newline="")))
    shown = {line[2] for line in got[1:]}
    assert {HOSTILE[n] for n in names.values()} <= shown
    assert {line[1] for line in got[1:]} <= {"1", "2", "3", "4"}  # hops stay numbers


def test_cli_csv_keeps_negative_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    emit([{"name": "-2+3+cmd", "delta": -5, "ratio": -0.5}], Format.csv)
    assert capsys.readouterr().out.splitlines()[1] == "'-2+3+cmd,-5,-0.5"
