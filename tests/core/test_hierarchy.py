"""The administrative hierarchy as data: unit kinds, parents, units without an IP-plan area of
their own, and sites that keep the area they were numbered in."""

from __future__ import annotations

from pathlib import Path

import pytest

from edunet import load
from edunet.errors import InventoryError
from edunet.model import DistrictKind, Inventory

DATA = Path(__file__).parent / "data"
SMALL = (DATA / "small.yaml").read_text(encoding="utf-8")
Q1 = '  - {code: "760", number: 1, name: Quận 1, kind: quan, slug: q1}\n'
SCHOOL = (
    '  - {code: "79760031", kind: school, name: Trường Tiểu học Kết Đoàn, level: tieu_hoc, '
    'district: "760",'
)


def _load(tmp_path: Path, text: str) -> Inventory:
    path = tmp_path / "inventory.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def _problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(InventoryError) as e:
        _load(tmp_path, text)
    return str(e.value)


def _addresses(inv: Inventory) -> dict[str, object]:
    return {
        **{f"device {d.name}": (d.mgmt_ip, d.loopback) for d in inv.devices.values()},
        **{f"site {s.code}": (s.area, s.slot, s.prefixes) for s in inv.sites.values()},
        **{f"link {k}": (v.p2p, v.a, v.b) for k, v in inv.links.items()},
    }


def test_the_seed_structure_is_the_default(small: Inventory) -> None:
    q1 = small.districts["760"]
    assert (q1.kind, q1.number, q1.parent) == (DistrictKind.quan, 1, None)
    assert {k.value for k in DistrictKind} >= {"quan", "huyen", "thanh_pho", "phuong", "xa"}


def test_a_city_within_the_city_and_its_wards(tmp_path: Path) -> None:
    """Thủ Đức became a city in 2021; a ward under it names it as its parent."""
    text = SMALL.replace(
        Q1,
        Q1
        + '  - {code: "769", number: 10, name: Thành phố Thủ Đức, kind: thanh_pho, slug: thu-duc}\n'
        + '  - {code: "26794", name: Phường An Khánh, kind: phuong, slug: an-khanh, '
        + 'parent: "769"}\n',
    )
    inv = _load(tmp_path, text)
    assert inv.districts["769"].kind is DistrictKind.thanh_pho
    ward = inv.districts["26794"]
    assert (ward.kind, ward.parent, ward.number) == (DistrictKind.phuong, "769", None)


def test_2025_a_school_reports_to_its_ward_and_keeps_its_addresses(
    tmp_path: Path, small: Inventory
) -> None:
    """The district level abolished: a school moved to a ward (no IP-plan area of its own)
    pins the area it was numbered in; its addresses and its line to the office stay."""
    text = SMALL.replace(
        Q1, Q1 + '  - {code: "26734", name: Phường Sài Gòn, kind: phuong, slug: sai-gon}\n'
    ).replace(SCHOOL, SCHOOL.replace('district: "760",', 'district: "26734", area: 1,'))
    inv = _load(tmp_path, text)
    school = inv.sites["79760031"]
    assert (school.district, school.area, school.slot) == ("26734", 1, 31)
    assert school.upstream == small.sites["79760031"].upstream == ("PGD-Q1",)
    assert _addresses(inv) == _addresses(small)
    assert {d.district for d in inv.devices.values() if d.site == "79760031"} == {"26734"}


def test_a_unit_without_an_area_needs_its_sites_to_pin_one(tmp_path: Path) -> None:
    text = SMALL.replace(
        Q1, Q1 + '  - {code: "26734", name: Phường Sài Gòn, kind: phuong, slug: sai-gon}\n'
    ).replace(SCHOOL, SCHOOL.replace('district: "760",', 'district: "26734",'))
    out = _problems(tmp_path, text)
    assert "site 79760031: Phường Sài Gòn (26734) has no IP-plan area of its own" in out
    assert "area: N" in out


def test_parents_are_known_and_never_loop(tmp_path: Path) -> None:
    unknown = SMALL.replace(Q1, Q1.replace("slug: q1}", 'slug: q1, parent: "761"}'))
    assert "district 760: unknown parent '761'" in _problems(tmp_path, unknown)
    loop = SMALL.replace(Q1, Q1.replace("slug: q1}", 'slug: q1, parent: "785"}')).replace(
        "slug: binh-chanh}", 'slug: binh-chanh, parent: "760"}'
    )
    assert "its parents come back to it" in _problems(tmp_path, loop)
