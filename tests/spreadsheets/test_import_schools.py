"""edunet import schools: every office quirk in a real .xlsx, the dry run, --write keeping
the user's text, a second import changing nothing, and no address moving."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from pathlib import Path

from sheets_harness import edunet, plan_rows, xlsx

from edunet import load

TITLE = "DANH SÁCH TRƯỜNG HỌC NĂM HỌC 2026-2027"
# headers: diacritics, none, English; an extra column nobody maps
HEADER = [
    "STT",
    "Mã trường",
    "Ten truong",
    "Cap hoc",
    "Quận - Huyện",
    "Địa chỉ",
    "Pupils",
    "Ghi chú",
]


def _quirky(path: Path) -> Path:
    rows: list[list[object]] = [
        [TITLE],  # a title row, merged across the sheet
        [],
        HEADER,
        # an existing school: its pupils written with a dot for thousands
        [1, "79761001", None, "THCS", "Quận 12", None, "1.234", "sĩ số mới"],
        # new: code typed as a number, level spelled out, district as "Q.1"
        [2, 79760101, "Trường THCS Thử Nghiệm", "Trung học cơ sở", "Q.1", "1 Lê Lợi", "1,050", ""],
        # new: pupils a formula with Excel's cached value; district merged over two rows
        [3, "79783101", "Trường Mầm non Củ Chi", "MN", "Huyện Củ Chi", "2 Tỉnh lộ 8", "=800+2"],
        [4, "79783102", "Trường Tiểu học Tân Thông", "Tiểu học", None, "3 Tỉnh lộ 15", 900],
        # new, its code's slot (000) is the district office's: a free slot is pinned
        [5, "79761000", "Trường THPT Ngã Tư", "THPT", "quan 12", "4 Quốc lộ 22", None],
        # rejected: a code that is not the district's
        [6, "79762999", "Trường THPT Sai Mã", "THPT", "Quận 12", "6 Quốc lộ 1", None],
        # rejected: a level nobody uses, a district that does not exist, pupils as words
        [7, "79760102", "Trường Đại học", "Đại học", "Quận 99", "5 Lê Duẩn", "nhiều"],
        [None, None, None, None, None, None, None, None],
        ["  ", None, None, None, None, None, None, None],  # trailing blank rows
    ]
    return xlsx(
        path,
        rows,
        merged=["A1:H1", "E6:E7"],
        cached={"G6": 802},
    )


def _mgmt(path: Path) -> dict[str, str]:
    return {n: str(d.mgmt_ip) for n, d in load(path).devices.items()}


def test_dry_run_names_every_row_and_writes_nothing(city: Path, tmp_path: Path) -> None:
    before = city.read_bytes()
    code, rows, summary = plan_rows("import", "schools", _quirky(tmp_path / "s.xlsx"), "-i", city)
    assert code == 1  # a row was rejected
    assert city.read_bytes() == before
    assert "4 added, 1 changed, 0 unchanged, 4 rejected" in summary
    assert "dry run" in summary
    rejected = [(r["row"], r["detail"], r["fix"]) for r in rows if r["result"] == "rejected"]
    # the row as the spreadsheet numbers it, the column as its header says, value and fix
    assert rejected == [
        (
            "Danh sách!9",
            "Mã trường '79762999': a school code in district 761 is 79761 and a 3-digit serial",
            "write the code the Department issued (e.g. 79761012), or the right district",
        ),
        (
            "Danh sách!10",
            "Cap hoc 'Đại học': 'Đại học' is not a school level",
            "write one of Mầm non, Tiểu học, THCS, THPT, Liên cấp, GDTX, Chuyên biệt",
        ),
        (
            "Danh sách!10",
            "Quận - Huyện 'Quận 99': no district 'Quận 99'; did you mean "
            "'Quận 9' or 'Quận 8' or 'Quận 7'?",
            "write the district's name or code",
        ),
        (
            "Danh sách!10",
            "Pupils 'nhiều': 'nhiều' is not a whole number",
            "write a whole number such as 1234",
        ),
    ]
    changed = [(r["row"], r["key"], r["detail"]) for r in rows if r["result"] == "changed"]
    assert changed == [("Danh sách!4", "79761001", "pupils: " + _pupils(city) + " → 1234")]
    added = sorted(r["key"] for r in rows if r["result"] == "added")
    assert added == ["79760101", "79761000", "79783101", "79783102"]


def _pupils(city: Path) -> str:
    return str(load(city).sites["79761001"].pupils)


def test_write_applies_the_good_rows_keeping_the_text(city: Path, tmp_path: Path) -> None:
    before_text = city.read_text(encoding="utf-8")
    before_ips = _mgmt(city)
    code, out = edunet("import", "schools", _quirky(tmp_path / "s.xlsx"), "-i", city, "--write")
    assert code == 1, out  # rejected rows: exit 1, the good rows are written all the same
    after_text = city.read_text(encoding="utf-8")
    inv = load(city)

    changed = inv.sites["79761001"]
    assert changed.pupils == 1234
    new = inv.sites["79760101"]
    assert (new.name, new.level.value if new.level else None) == ("Trường THCS Thử Nghiệm", "thcs")
    assert (new.district, new.pupils, new.profile) == ("760", 1050, "thcs")
    assert inv.sites["79783101"].pupils == 802  # the formula's cached value
    assert inv.sites["79783101"].level is not None
    assert inv.sites["79783102"].district == "783"  # from the merged cell above
    pinned = inv.sites["79761000"]
    assert pinned.district == "761" and pinned.slot not in (1, 4)
    assert "79760102" not in inv.sites

    # no other address moved; only new devices were added
    after_ips = _mgmt(city)
    assert {n: after_ips[n] for n in before_ips} == before_ips
    assert len(set(after_ips.values())) == len(after_ips)

    # every line of the file is still there, comments included, but the one changed value
    removed = [
        line[1:]
        for line in difflib.unified_diff(before_text.splitlines(), after_text.splitlines(), n=0)
        if line.startswith("-") and not line.startswith("---")
    ]
    assert [r.strip() for r in removed] == [
        next(
            x for x in before_text.splitlines()[_line(before_text, "79761001") :] if "pupils" in x
        ).strip()
    ]
    comments = [x for x in before_text.splitlines() if x.lstrip().startswith("#")]
    assert comments and all(c in after_text.splitlines() for c in comments)

    # importing the same file again changes nothing
    code, _, summary = plan_rows("import", "schools", tmp_path / "s.xlsx", "-i", city, "--write")
    assert city.read_text(encoding="utf-8") == after_text
    assert "0 added, 0 changed, 5 unchanged, 4 rejected" in summary


def _line(text: str, code: str) -> int:
    return next(i for i, x in enumerate(text.splitlines()) if f'code: "{code}"' in x)


def test_csv_in_every_encoding_office_writes(city: Path, tmp_path: Path) -> None:
    lines = ["Mã trường;Tên trường;Cấp học;Quận/Huyện;Địa chỉ;Số học sinh", ""]
    lines[1] = "79760201;Trường Tiểu học Lê Ngọc Hân;Tiểu học;Quận 1;12 Hàm Nghi;1.500"
    text = "\r\n".join([*lines, "", ""])
    for encoding in ("utf-8-sig", "utf-16", "cp1258", "utf-8"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
        code, out = edunet("import", "schools", path, "-i", city)
        assert code == 0, (encoding, out)
        flat = " ".join(out.split())
        assert "1 added, 0 changed, 0 unchanged, 0 rejected" in flat, encoding
        assert "Lê Ngọc Hân" in flat, encoding
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"M\x81 tr\x90\x9dng;T\xe9n\r\n")
    code, out = edunet("import", "schools", bad, "-i", city)
    assert code == 2
    assert "save it from Excel as 'CSV UTF-8" in " ".join(out.split())


TONES = "\u0300\u0301\u0303\u0309\u0323"  # Windows-1258 writes these after the letter


def _cp1258(text: str) -> bytes:
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            tone = "".join(m for m in marks if m in TONES)
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in TONES))
            out += (base + tone).encode("cp1258")
    return out


def test_map_names_a_column_of_ones_own(city: Path, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "m.xlsx",
        [
            ["Số hiệu", "Tên trường", "Khối", "Quận/Huyện", "Địa chỉ"],
            ["79760301", "Trường Mầm non Hoa Sen", "Mầm non", "760", "9 Pasteur"],
        ],
    )
    code, out = edunet("import", "schools", path, "-i", city)
    assert code == 2 and "--map" in out  # no code column
    code, out = edunet(
        "import", "schools", path, "-i", city, "--map", "Số hiệu=code", "--map", "khoi=level"
    )
    assert code == 0, out
    assert "1 added" in out


def test_dates_and_counts_as_offices_write_them() -> None:
    from spreadsheets import values

    assert values.date("31/12/2024") == dt.date(2024, 12, 31)
    assert values.date(45366) == dt.date(2024, 3, 15)
    assert values.date(dt.datetime(2024, 3, 15, 0, 0)) == dt.date(2024, 3, 15)
    assert values.whole("25.000.000 đ") == 25_000_000
    assert values.whole("1,234") == values.whole("1.234") == values.whole(1234.0) == 1234
    assert values.code(79760002) == "79760002" and values.code("079") == "079"
    assert values.level("Trung hoc pho thong") == "thpt"
