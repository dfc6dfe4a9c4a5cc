"""``/api/v1/procurement`` on the small city: two hardware records, a Dell server in the
data center (bought 2019-06-01) and a MikroTik router in a school (bought 2018-08-15)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from api_harness import SMALL, Api, make_api
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from edunet.tabular import MEDIA_TYPES

P = "/api/v1/procurement"
ON = "on=2025-09-05"


def _get(api: Api, url: str, **headers: str) -> Any:
    return api.client.get(url, headers=api.headers("procurement:read") | headers)


def _serials(api: Api, query: str, report: str = "hardware") -> list[str]:
    r = _get(api, f"{P}/{report}?{ON}&{query}")
    assert r.status_code == 200, r.text
    return [row["serial"] for row in r.json()["items"]]


def test_hardware_rows(api: Api) -> None:
    body = _get(api, f"{P}/hardware?{ON}").json()
    assert body["total"] == 2
    dell = body["items"][0]
    assert dell["serial"] == "CN7XK12" and dell["vendor"] == "Dell"
    assert dell["age_years"] == 6 and dell["refresh_due"] == "2025-06-01"
    assert dell["district_name"] == "Quận 1"


def test_hardware_filters(api: Api) -> None:
    assert _serials(api, "vendor=mikrotik") == ["HEX7A1B2C3"]
    assert _serials(api, "model=PowerEdge%20R740") == ["CN7XK12"]
    assert _serials(api, "site=79760012") == ["HEX7A1B2C3"]
    assert _serials(api, "district=760&status=in_service") == ["CN7XK12", "HEX7A1B2C3"]
    assert _serials(api, "level=tieu_hoc") == ["HEX7A1B2C3"]
    assert _serials(api, "min_age=7") == ["HEX7A1B2C3"]
    assert _serials(api, "district=785") == []
    assert _serials(api, "status=retired") == []
    r = _get(api, f"{P}/hardware?min_age=-1")
    assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "min_age"


def test_pagination_and_sort(api: Api) -> None:
    assert _serials(api, "sort=purchased") == ["HEX7A1B2C3", "CN7XK12"]
    page = _get(api, f"{P}/hardware?{ON}&limit=1&offset=1&sort=-cost_vnd").json()
    assert [r["serial"] for r in page["items"]] == ["HEX7A1B2C3"] and page["next_offset"] is None
    assert _get(api, f"{P}/hardware?{ON}&offset=5").json()["items"] == []
    assert _get(api, f"{P}/hardware?limit=501").status_code == 422


def test_warranty_and_support(api: Api) -> None:
    # both warranties ended before the report date
    assert _serials(api, "months=12", "warranty-expiring") == []
    got = _serials(api, "months=0&include_expired=true", "warranty-expiring")
    assert got == ["HEX7A1B2C3", "CN7XK12"]  # soonest first
    r = _get(api, f"{P}/warranty-expiring?on=2024-01-01&months=6")
    assert [row["serial"] for row in r.json()["items"]] == ["CN7XK12"]
    assert _serials(api, "months=120", "end-of-support") == []  # no end-of-support dates
    assert _get(api, f"{P}/end-of-support?months=-1").status_code == 422


def test_forecast(api: Api) -> None:
    body = _get(api, f"{P}/forecast?first_year=2026&years=3&{ON}").json()
    assert [i["year"] for i in body["items"]] == [2026, 2027, 2028]
    first = body["items"][0]
    assert first["count"] == 2 and first["overdue"] == 2  # both due before 2026
    by_d = _get(api, f"{P}/forecast?first_year=2024&years=2&by_district=true&{ON}").json()
    assert [(i["year"], i["district"], i["count"]) for i in by_d["items"]] == [
        (2024, "760", 1),
        (2025, "760", 1),
    ]
    default = _get(api, f"{P}/forecast?{ON}").json()
    assert default["first_year"] == 2025 and default["years"] == 5
    assert _get(api, f"{P}/forecast?years=0").status_code == 422


def test_summary(api: Api) -> None:
    body = _get(api, f"{P}/summary?{ON}").json()
    assert body["on"] == "2025-09-05" and body["count"] == 2
    assert [g["key"] for g in body["by_vendor"]] == ["Dell", "MikroTik"]
    assert body["cost_vnd"] == sum(g["cost_vnd"] for g in body["by_district"])
    assert _get(api, f"{P}/summary?vendor=dell&{ON}").json()["count"] == 1


def test_csv_export_by_format_and_accept(api: Api) -> None:
    r = _get(api, f"{P}/hardware?{ON}&format=csv&sort=serial&fields=serial,site,cost_vnd&limit=1")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == (
        'attachment; filename="edunet-hardware-2025-09-05.csv"'
    )
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    # the whole list, not the page: limit applies to JSON only
    assert rows == [
        ["serial", "site", "cost_vnd"],
        ["CN7XK12", "TTDL", "185000000"],
        ["HEX7A1B2C3", "79760012", "1650000"],
    ]
    via_accept = _get(api, f"{P}/forecast?first_year=2025&years=2&{ON}", accept="text/csv")
    assert via_accept.headers["content-disposition"].endswith('forecast-2025-2y.csv"')
    assert via_accept.content.decode("utf-8-sig").splitlines()[0].startswith("year,district")


def test_xlsx_export(api: Api) -> None:
    r = _get(api, f"{P}/summary?{ON}", accept=MEDIA_TYPES["xlsx"])
    assert r.headers["content-type"] == MEDIA_TYPES["xlsx"]
    assert r.headers["content-disposition"].endswith('summary-2025-09-05.xlsx"')
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("dimension", "key", "name", "count", "cost_vnd", "price_vnd")
    assert ("vendor", "Dell", "Dell", 1, 185000000, 185000000) in rows
    w = _get(api, f"{P}/warranty-expiring?{ON}&months=3&format=xlsx")
    assert w.headers["content-disposition"].endswith('warranty-3m-2025-09-05.xlsx"')


def test_etag_tells_formats_and_dates_apart(api: Api) -> None:
    url = f"{P}/hardware?{ON}"
    tag = _get(api, url).headers["etag"]
    assert _get(api, url, **{"if-none-match": tag}).status_code == 304
    csv_tag = _get(api, url, accept="text/csv").headers["etag"]
    assert csv_tag != tag
    assert _get(api, url, accept="text/csv", **{"if-none-match": tag}).status_code == 200
    other_day = _get(api, f"{P}/hardware?on=2025-09-06").headers["etag"]
    assert other_day != tag


def test_procurement_needs_its_scope(api: Api) -> None:
    for report in ("hardware", "warranty-expiring", "end-of-support", "forecast", "summary"):
        url = f"{P}/{report}"
        assert api.client.get(url).status_code == 401
        r = api.client.get(url, headers=api.headers("inventory:read"))
        assert r.status_code == 403 and "procurement:read" in r.json()["detail"]
        assert _get(api, url).status_code == 200


def test_report_date_must_be_a_calendar_date(api: Api) -> None:
    for bad in ("0", "2025-9-5", "2025-02-30"):
        r = _get(api, f"{P}/summary?on={bad}")
        assert r.status_code == 422, bad
        assert r.json()["invalid_params"][0]["name"] == "on"


def test_a_download_has_a_row_bound(tmp_path: Path) -> None:
    """Two records, a bound of one: the file is refused with what to narrow; JSON pages on."""
    app, _, tokens = make_api(tmp_path, max_export_rows=1)
    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {tokens['procurement:read']}"}
        r = client.get(f"{P}/hardware?{ON}&format=xlsx", headers=h)
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
        [param] = r.json()["invalid_params"]
        assert param["name"] == "format" and "district=" in param["reason"]
        assert client.get(f"{P}/hardware?{ON}&format=csv&site=TTDL", headers=h).status_code == 200
        assert client.get(f"{P}/hardware?{ON}", headers=h).json()["total"] == 2


def test_a_csv_download_never_holds_a_formula(tmp_path: Path) -> None:
    """Names and contracts that a spreadsheet would run as formulas open as text."""
    hostile = {
        "name: Trường Tiểu học Lê Ngọc Hân\n": "name: '=HYPERLINK(\"http://x\")'\n",
        "name: Trung tâm dữ liệu ngành Giáo dục\n": "name: '@SUM(A1)'\n",
        "supplier: Công ty TNHH Tin học Sài Gòn, contract: HĐ 12/2019/HĐ-SGDĐT": (
            "supplier: '+cmd', contract: '-2+3+cmd'"
        ),
    }
    text = SMALL.read_text(encoding="utf-8")
    for old, new in hostile.items():
        assert old in text
        text = text.replace(old, new)
    source = tmp_path / "hostile.yaml"
    source.write_text(text, encoding="utf-8")
    app, _, tokens = make_api(tmp_path, source)
    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {tokens['procurement:read']}"}
        fields = "serial,site_name,supplier,contract,cost_vnd"
        r = client.get(f"{P}/hardware?{ON}&format=csv&sort=serial&fields={fields}", headers=h)
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert rows[1:] == [
        ["CN7XK12", "'@SUM(A1)", "'+cmd", "'-2+3+cmd", "185000000"],
        [
            "HEX7A1B2C3",
            '\'=HYPERLINK("http://x")',
            "Công ty TNHH Tin học Sài Gòn",
            "HĐ 45/2018/HĐ-SGDĐT",
            "1650000",
        ],
    ]
