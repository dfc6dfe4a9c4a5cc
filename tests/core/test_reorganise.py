"""``edunet reorganise``: units merged or declared, sites moved, not one address moved; the
inventory's text edited in place; the reach of tokens and roles files follows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunet import load
from edunet.cli.main import app
from edunet.ipam_report import pool_usage
from edunet.model import DistrictKind
from edunet.reorganise import MappingError, read_mapping, reorganise, rewrite_reach

SMALL = Path(__file__).parent / "data" / "small.yaml"
runner = CliRunner()

MERGE = """\
merge:
  - into: {code: "760", name: Thành phố Trung tâm, kind: thanh_pho, slug: trung-tam}
    units: ["760", binh-chanh]
"""
WARD = """\
units:
  - {code: "26734", name: Phường Sài Gòn, kind: phuong, slug: sai-gon}
move:
  - {sites: ["79760031"], to: "26734"}
"""


@pytest.fixture
def city(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.yaml"
    shutil.copy(SMALL, path)
    return path


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_merge_keeps_every_address_and_line(city: Path, tmp_path: Path) -> None:
    r = reorganise(city, read_mapping(_mapping(tmp_path, MERGE)))
    assert r.plan.removed == {"785": "760"}
    assert set(r.plan.moves) == {"PGD-BINH-CHANH", "79785007"}
    assert {m.area for m in r.plan.moves.values()} == {22}  # Bình Chánh's area, pinned
    assert r.moved == () and r.vlans_changed == ()
    unit = r.after.districts["760"]
    assert (unit.kind, unit.slug, unit.number) == (DistrictKind.thanh_pho, "trung-tam", 1)
    assert sorted(r.after.districts) == ["760"]
    for code, site in r.before.sites.items():
        after = r.after.sites[code]
        assert (after.area, after.slot, after.prefixes) == (site.area, site.slot, site.prefixes)
        assert after.upstream == site.upstream  # the school still hangs under its old office
        assert after.district == "760"
    for name, d in r.before.devices.items():
        assert (r.after.devices[name].mgmt_ip, r.after.devices[name].loopback) == (
            d.mgmt_ip,
            d.loopback,
        )
    assert city.read_bytes() == SMALL.read_bytes()  # planned, not written
    usage = {row["area"]: row["name"] for row in pool_usage(r.after)}
    assert usage[22] == "760 Thành phố Trung tâm"  # the area kept, named by its unit


def test_the_text_is_edited_in_place(city: Path, tmp_path: Path) -> None:
    original = city.read_text(encoding="utf-8")
    city.write_text(original.replace("districts:\n", "districts:  # the units\n"), "utf-8")
    r = reorganise(city, read_mapping(_mapping(tmp_path, MERGE)))
    new = r.edited[city].decode("utf-8")
    assert "districts:  # the units\n" in new
    assert "Huyện Bình Chánh, kind: huyen" not in new
    assert (
        '  - {code: "760", number: 1, name: Thành phố Trung tâm, kind: thanh_pho, '
        "slug: trung-tam}\n" in new
    )
    assert 'district: "760", area: 22, address: "Ấp 2, Thị trấn Tân Túc"' in new
    assert '    district: "760"\n    area: 22\n    address: Đường Tân Túc' in new
    assert len(new.splitlines()) == len(original.splitlines())  # a unit gone, an area added


def test_a_school_moves_to_a_new_ward(city: Path, tmp_path: Path) -> None:
    r = reorganise(city, read_mapping(_mapping(tmp_path, WARD)))
    ward = r.after.districts["26734"]
    assert (ward.kind, ward.number, ward.parent) == (DistrictKind.phuong, None, None)
    school = r.after.sites["79760031"]
    assert (school.district, school.area, school.slot) == ("26734", 1, 31)
    assert r.moved == ()
    new = r.edited[city].decode("utf-8")
    assert '  - {code: "26734", name: Phường Sài Gòn, kind: phuong, slug: sai-gon}\n' in new


def test_unknown_units_and_sites_are_named(city: Path, tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="binh-chan"):
        reorganise(city, read_mapping(_mapping(tmp_path, MERGE.replace("binh-chanh", "binh-chan"))))
    with pytest.raises(MappingError, match="new: give its name, kind, slug"):
        reorganise(city, read_mapping(_mapping(tmp_path, 'units: [{code: "999"}]\n')))
    with pytest.raises(MappingError, match="number"):
        reorganise(city, read_mapping(_mapping(tmp_path, 'units: [{code: "760", number: 9}]\n')))
    with pytest.raises(MappingError, match="merged: Extra inputs"):
        read_mapping(_mapping(tmp_path, "merged: []\n"))


def test_reach_follows_in_yaml_and_json() -> None:
    yml = (
        b"# tokens\n"
        b"tokens:\n"
        b"  - id: a\n"
        b'    reach: {districts: ["785", "760"], sites: ["79785007"]}  # Binh Chanh\n'
        b"  - id: b\n"
        b"    reach:\n"
        b"      districts:\n"
        b"        - 785\n"
        b'        - "761"\n'
    )
    out, edits = rewrite_reach(Path("tokens.yaml"), yml, {"785": "760"})
    assert out == (
        b"# tokens\n"
        b"tokens:\n"
        b"  - id: a\n"
        b'    reach: {districts: ["760"], sites: ["79785007"]}  # Binh Chanh\n'
        b"  - id: b\n"
        b"    reach:\n"
        b"      districts:\n"
        b"        - 760\n"
        b'        - "761"\n'
    )
    assert [(o, n) for _, o, n in edits] == [("785", "760"), ("760", "760"), ("785", "760")]
    js = json.dumps({"operators": {"lan": {"reach": {"districts": ["785"]}}}}).encode()
    out, _ = rewrite_reach(Path("roles.json"), js, {"785": "760"})
    assert json.loads(out) == {"operators": {"lan": {"reach": {"districts": ["760"]}}}}


def test_the_command_is_a_dry_run_unless_written(city: Path, tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, MERGE)
    roles = tmp_path / "roles.yaml"
    roles.write_text('operators:\n  bc: {reach: {districts: ["785"]}}\n', encoding="utf-8")
    args = ["reorganise", str(mapping), "-i", str(city), "--roles", str(roles)]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "addresses and prefixes moved: 0" in done.output
    assert "a dry run" in done.output
    assert city.read_bytes() == SMALL.read_bytes() and "785" in roles.read_text()
    done = runner.invoke(app, [*args, "--write", "-f", "json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert report["addresses_moved"] == 0 and report["written"] is True
    assert {m["site"] for m in report["sites_moved"]} == {"PGD-BINH-CHANH", "79785007"}
    assert roles.read_text() == 'operators:\n  bc: {reach: {districts: ["760"]}}\n'
    assert sorted(load(city).districts) == ["760"]
    again = runner.invoke(app, args)  # Bình Chánh is no more
    assert again.exit_code == 2 and "binh-chanh" in again.output


def test_a_bad_mapping_exits_2(city: Path, tmp_path: Path) -> None:
    done = runner.invoke(app, ["reorganise", str(_mapping(tmp_path, "move: 3\n")), "-i", str(city)])
    assert done.exit_code == 2
