"""export → edit one cell in a spreadsheet → import: exactly that change; and a directory
inventory gets each edit in the file that holds the site."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sheets_harness import edunet, plan_rows

from edunet import load


def school_sheet(path: Path, row: str) -> Path:
    """A CSV of one school under the Department's Vietnamese headers."""
    path.write_text(f"Mã trường,Tên trường,Cấp học,Quận/Huyện,Địa chỉ\n{row}\n", encoding="utf-8")
    return path


def test_one_cell_edited_is_one_change(city: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "schools.xlsx"
    code, out = edunet("export", "schools", "-i", city, "-o", sheet)
    assert code == 0, out
    schools = [s for s in load(city).sites.values() if s.kind.value == "school"]
    assert f"{len(schools)} schools written" in out

    wb = load_workbook(sheet)
    ws = wb.active
    assert [c.value for c in ws[1]] == [
        "Mã trường", "Tên trường", "Cấp học", "Quận/Huyện", "Địa chỉ", "Số học sinh",
        "Nhà cung cấp", "Băng thông (Mbps)",
    ]  # fmt: skip
    code_cell, address = ws["A5"].value, ws["E5"]
    address.value = "99 Nguyễn Huệ, Phường Bến Nghé"
    wb.save(sheet)

    code, rows, summary = plan_rows("import", "schools", sheet, "-i", city)
    assert code == 0
    assert [(r["result"], r["key"]) for r in rows] == [("changed", code_cell)]
    assert f"0 added, 1 changed, {len(schools) - 1} unchanged, 0 rejected" in summary

    before = city.read_text(encoding="utf-8").splitlines()
    code, out = edunet("import", "schools", sheet, "-i", city, "--write")
    assert code == 0, out
    after = city.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    differ = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert differ == [(differ[0][0], "    address: 99 Nguyễn Huệ, Phường Bến Nghé")]
    assert load(city).sites[code_cell].address == "99 Nguyễn Huệ, Phường Bến Nghé"


def test_csv_export_imports_as_unchanged(city: Path, tmp_path: Path) -> None:
    for what in ("schools", "hardware", "devices"):
        code, out = edunet("export", what, "-i", city, "-o", tmp_path / f"{what}.csv")
        assert code == 0, out
    data = (tmp_path / "schools.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    code, rows, summary = plan_rows("import", "schools", tmp_path / "schools.csv", "-i", city)
    assert code == 0 and rows == [] and "0 added, 0 changed" in summary
    head = (tmp_path / "devices.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head == "device,site,district,role,model,mgmt_ip,serial"


def test_a_directory_inventory_gets_each_edit_in_its_file(city_text: str, tmp_path: Path) -> None:
    folder = tmp_path / "inventory"
    folder.mkdir()
    cut = city_text.index("\nsites:")
    (folder / "10-city.yaml").write_text(city_text[:cut] + "\n", encoding="utf-8")
    (folder / "20-sites.yaml").write_text(city_text[cut + 1 :], encoding="utf-8")
    city_file = (folder / "10-city.yaml").read_bytes()
    row = "79787001,Trường Tiểu học Cần Thạnh,Tiểu học,Huyện Cần Giờ,1 Duyên Hải"
    sheet = school_sheet(tmp_path / "new.csv", row)
    code, out = edunet("import", "schools", sheet, "-i", folder, "--write")
    assert code == 0, out
    assert (folder / "10-city.yaml").read_bytes() == city_file
    assert 'code: "79787001"' in (folder / "20-sites.yaml").read_text(encoding="utf-8")
    assert load(folder).sites["79787001"].district == "787"


def test_a_school_s_isp_and_bandwidth_change_its_first_uplink(city: Path, tmp_path: Path) -> None:
    inv = load(city)
    schools = [s for s in inv.sites.values() if s.kind.value == "school" and s.uplinks]
    text = city.read_text(encoding="utf-8")
    own = next(s for s in schools if f'code: "{s.code}"' in text and _has_own_uplinks(text, s.code))
    shared = next(s for s in schools if not _has_own_uplinks(text, s.code))
    before_ips = list(inv.devices)
    sheet = tmp_path / "isp.csv"
    sheet.write_text(
        "Mã trường,Nhà cung cấp,Băng thông (Mbps),Tên trường,Cấp học,Quận/Huyện,Địa chỉ\n"
        f"{own.code},CMC,1.000\n{shared.code},Viettel,300\n"
        "79760401,FPT,500,Trường Tiểu học Mới,Tiểu học,Quận 1,1 Lê Lợi\n",
        encoding="utf-8",
    )
    code, _, summary = plan_rows("import", "schools", sheet, "-i", city, "--write")
    assert code == 0
    assert "1 added, 2 changed" in summary
    after = load(city)
    for s, isp, mbps in ((own, "CMC", 1000), (shared, "Viettel", 300)):
        first = after.links[after.sites[s.code].uplinks[0]]
        assert (first.isp, first.bandwidth_mbps) == (isp, mbps)
        assert len(after.sites[s.code].uplinks) == len(s.uplinks)
    new = after.links[after.sites["79760401"].uplinks[0]]
    assert (new.isp, new.bandwidth_mbps) == ("FPT", 500)
    assert {n: after.devices[n].mgmt_ip for n in before_ips} == {
        n: inv.devices[n].mgmt_ip for n in before_ips
    }
    code, _, summary = plan_rows("import", "schools", sheet, "-i", city)
    assert "0 added, 0 changed, 3 unchanged" in summary


def _has_own_uplinks(text: str, code: str) -> bool:
    start = text.index(f'code: "{code}"')
    end = text.find("\n  - ", start)
    return "uplinks:" in text[start : end if end > 0 else len(text)]


def test_a_file_keeps_its_byte_order_mark_and_line_ends(city_text: str, tmp_path: Path) -> None:
    city = tmp_path / "inventory.yaml"
    city.write_bytes(b"\xef\xbb\xbf" + city_text.replace("\n", "\r\n").encode())
    row = "79760501,Trường Mầm non Sen Hồng,Mầm non,Quận 1,5 Lý Tự Trọng"
    sheet = school_sheet(tmp_path / "one.csv", row)
    code, out = edunet("import", "schools", sheet, "-i", city, "--write")
    assert code == 0, out
    data = city.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") == city_text.count("\n") + 7
    assert load(city).sites["79760501"].level is not None


def test_comments_inside_sites_are_kept(city_text: str, tmp_path: Path) -> None:
    # comments a user writes: above a site, at the end of a changed value's line, inside a
    # changed site after its last key, and at the end of the sites
    text = city_text.replace(
        '  - code: "79761001"\n', '  # the pilot school\n  - code: "79761001"  # since 2014\n'
    )
    lines = text.splitlines()
    at = next(i for i, x in enumerate(lines) if 'code: "79761001"' in x)
    pupils = next(i for i in range(at, len(lines)) if lines[i].lstrip().startswith("pupils:"))
    lines[pupils] += "  # counted in September"
    lines.insert(pupils + 1, "    # more to come")
    city = tmp_path / "inventory.yaml"
    city.write_text("\n".join(lines) + "\n# end of the city\n", encoding="utf-8")
    sheet = tmp_path / "one.csv"
    sheet.write_text(
        "Mã trường,Số học sinh,Địa chỉ\n79761001,2.345,7 Nguyễn Ảnh Thủ\n", encoding="utf-8"
    )
    code, out = edunet("import", "schools", sheet, "-i", city, "--write")
    assert code == 0, out
    after = city.read_text(encoding="utf-8")
    for comment in (
        "  # the pilot school\n",
        '  - code: "79761001"  # since 2014\n',
        "    pupils: 2345  # counted in September\n",
        "    # more to come\n",
        "# end of the city\n",
    ):
        assert comment in after
    site = load(city).sites["79761001"]
    assert (site.pupils, site.address) == (2345, "7 Nguyễn Ảnh Thủ")
