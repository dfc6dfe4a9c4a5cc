"""edunet import hardware: procurement's list, dates and prices as offices write them, each
record edited where it is written, a new one under its site's hardware."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from sheets_harness import edunet, plan_rows, xlsx

from edunet import load

HEADER = [
    "Thiết bị",
    "Model",
    "Số serial",
    "Mã tài sản",
    "Ngày mua",
    "Hết bảo hành",
    "Đơn giá",
    "Nhà cung cấp",
    "Hợp đồng",
    "Trạng thái",
]


def _devices(city: Path) -> tuple[str, str, str]:
    inv = load(city)
    school = {c for c, s in inv.sites.items() if s.kind.value == "school"}
    with_record = next(n for n, d in inv.devices.items() if d.hardware and d.site in school)
    without = [n for n, d in inv.devices.items() if d.hardware is None and d.site in school]
    return with_record, without[0], without[1]


def _sheet(city: Path, path: Path) -> Path:
    inv = load(city)
    old, new, other = _devices(city)
    h = inv.devices[old].hardware
    assert h is not None
    serial = (h.purchased - dt.date(1899, 12, 30)).days  # the purchase date as an Excel serial
    rows: list[list[object]] = [
        ["THIẾT BỊ MẠNG ĐÃ BÀN GIAO"],
        HEADER,
        # the same purchase as a serial number; a new price with dots; the warranty dd/mm/yyyy
        [old, None, None, None, serial, "31/12/2030", "25.502.000", None, None, None],
        # a new record: a date cell, a price with commas, Vietnamese status
        [
            new,
            inv.devices[new].model.model,
            "FOC2601X0AB",
            "SGD-2026-000001",
            dt.datetime(2026, 3, 2),
            "02/03/2029",
            "12,345,000",
            "Công ty TNHH Tin học Hoàng Long",
            "HĐ 12/2026/HĐ-SGDĐT",
            "Đang sử dụng",
        ],
        # rejected: the other device's serial, no contract, a model the inventory does not say
        [other, "WS-C9999", h.serial, "SGD-2026-000002", "01/01/2026", "01/01/2027", 1, "X", None],
        ["no-such-device", None, "ABCD1234"],
    ]
    return xlsx(path, rows, merged=["A1:J1"])


def test_dry_run_then_write(city: Path, tmp_path: Path) -> None:
    old, new, other = _devices(city)
    sheet = _sheet(city, tmp_path / "hw.xlsx")
    before_text = city.read_text(encoding="utf-8")
    before_ips = {n: str(d.mgmt_ip) for n, d in load(city).devices.items()}

    code, rows, summary = plan_rows("import", "hardware", sheet, "-i", city)
    assert code == 1
    assert "1 added, 1 changed, 0 unchanged" in summary
    changed = [r["detail"] for r in rows if r["result"] == "changed"]
    assert len(changed) == 1 and "cost_vnd:" in changed[0] and "→ 2030-12-31" in changed[0]
    assert "purchased" not in changed[0]  # the serial number is the same day
    rejected = {(r["row"], r["detail"].split(":")[0]) for r in rows if r["result"] == "rejected"}
    assert ("Danh sách!5", "Model 'WS-C9999'") in rejected
    assert ("Danh sách!5", "Số serial '" + rows_serial(city, old) + "'") in rejected
    assert any(r[0].endswith("!6") and "Thiết bị" in r[1] for r in rejected)
    assert city.read_text(encoding="utf-8") == before_text

    code, out = edunet("import", "hardware", sheet, "-i", city, "--write")
    assert code == 1, out
    inv = load(city)
    h_old, h_new = inv.devices[old].hardware, inv.devices[new].hardware
    assert h_old is not None and h_new is not None
    assert (h_old.cost_vnd, h_old.warranty_end) == (25_502_000, dt.date(2030, 12, 31))
    assert (h_new.serial, h_new.purchased, h_new.cost_vnd) == (
        "FOC2601X0AB",
        dt.date(2026, 3, 2),
        12_345_000,
    )
    assert inv.devices[other].hardware is None
    assert {n: str(d.mgmt_ip) for n, d in inv.devices.items()} == before_ips

    after_text = city.read_text(encoding="utf-8")
    diff = [
        x
        for x in difflib.unified_diff(before_text.splitlines(), after_text.splitlines(), n=0)
        if x[:1] in "+-" and x[:3] not in ("+++", "---")
    ]
    removed = [x for x in diff if x.startswith("-")]
    assert len(removed) == 1 and rows_serial(city, old) in removed[0]  # the one record's line
    assert any("FOC2601X0AB" in x for x in diff if x.startswith("+"))

    code, _, summary = plan_rows("import", "hardware", sheet, "-i", city)
    assert "0 added, 0 changed, 2 unchanged" in summary


def rows_serial(city: Path, device: str) -> str:
    h = load(city).devices[device].hardware
    assert h is not None
    return h.serial


def test_export_then_import_changes_nothing(city: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "hardware.xlsx"
    code, out = edunet("export", "hardware", "-i", city, "-o", sheet)
    assert code == 0, out
    records = sum(1 for d in load(city).devices.values() if d.hardware)
    code, rows, summary = plan_rows("import", "hardware", sheet, "-i", city)
    assert code == 0 and rows == []
    assert f"0 added, 0 changed, {records} unchanged, 0 rejected" in summary


def test_a_record_written_under_the_device_is_edited_there(city_text: str, tmp_path: Path) -> None:
    city = tmp_path / "inventory.yaml"
    city.write_text(city_text, encoding="utf-8")
    inv = load(city)
    lines = city_text.splitlines()

    def block(site: str) -> list[str]:
        at = next(i for i, x in enumerate(lines) if f'code: "{site}"' in x)
        end = next((i for i in range(at + 1, len(lines)) if lines[i].startswith("  - ")), at)
        return lines[at:end]

    name = next(
        n
        for n, d in inv.devices.items()
        if d.hardware is None
        and inv.sites[d.site].kind.value == "school"
        and not any(x.startswith("    devices:") for x in block(d.site))
    )
    device = inv.devices[name]
    short = name.removeprefix(device.site.lower() + "-")
    at = next(i for i, x in enumerate(lines) if f'code: "{device.site}"' in x)
    lines[at + 1 : at + 1] = [
        "    devices:",
        f"      - name: {short}",
        f"        role: {device.role.value}",
        f"        model: {device.model.model}",
        "        hardware:  # from the delivery note",
        "          serial: ABCD1234X",
        "          asset_tag: SGD-2026-009999",
        "          purchased: 2026-01-02",
        "          supplier: Công ty TNHH Tin học Hoàng Long",
        "          contract: HĐ 1/2026/HĐ-SGDĐT",
        "          warranty_end: 2029-01-02",
        "          cost_vnd: 1000000",
    ]
    city.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sheet = tmp_path / "hw.csv"
    sheet.write_text(f"Thiết bị,Đơn giá,Trạng thái\n{name},1.250.000,Đang sửa chữa\n", "utf-8")
    code, out = edunet("import", "hardware", sheet, "-i", city, "--write")
    assert code == 0, out
    after = city.read_text(encoding="utf-8")
    assert "          cost_vnd: 1250000\n          status: in_repair\n" in after
    assert "        hardware:  # from the delivery note\n" in after
    h = load(city).devices[name].hardware
    assert h is not None and (h.cost_vnd, h.status.value) == (1_250_000, "in_repair")
