"""The full-scale generated city: it validates clean, and its addresses never move.

Adding or removing a school must not renumber any other site: every address is a pure
function of the site's stable keys (district number, school serial), never of its
position in the file or of which other schools exist.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from edunet import load
from edunet.ipam_report import check
from edunet.model import Inventory
from edunet.sample import generate

pytestmark = pytest.mark.slow

SCHOOLS = 1930
SEED = 7


def _write(doc: dict[str, Any], path: Path) -> Path:
    text = yaml.dump(dict(doc), Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, "utf-8")
    return path


def _addresses(inv: Inventory, skip: set[str]) -> dict[str, str]:
    """Every allocated prefix and address, keyed by what owns it."""
    out: dict[str, str] = {}
    for s in inv.sites.values():
        if s.code in skip:
            continue
        for v in s.vlans:
            out[f"{s.code}/vlan/{v.name}"] = str(v.prefix)
    for d in inv.devices.values():
        if d.site in skip:
            continue
        out[f"{d.name}/mgmt"] = str(d.mgmt_interface)
        out[f"{d.name}/loopback"] = str(d.loopback)
    for link in inv.links.values():
        if link.a.site in skip or link.p2p is None:
            continue
        out[f"{link.id}/p2p"] = f"{link.p2p} {link.a.ip} {link.b.ip} {link.b.device}"
    for vm in inv.vms.values():
        out[f"{vm.name}/vm"] = str(vm.ip)
    return out


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Inventory]:
    doc = generate(SCHOOLS, SEED)
    path = _write(doc, tmp_path_factory.mktemp("city") / "city.yaml")
    return dict(doc), load(path)


def test_full_city_validates_clean(city: tuple[dict[str, Any], Inventory]) -> None:
    _, inv = city
    assert len(inv.schools()) == SCHOOLS
    assert len(inv.districts) == 24
    assert check(inv) == []
    assert len(inv.devices) > 10_000


def test_adding_and_removing_a_school_renumbers_nothing_else(
    city: tuple[dict[str, Any], Inventory], tmp_path: Path
) -> None:
    doc, before = city
    sites: list[dict[str, Any]] = doc["sites"]
    schools = [s for s in sites if s["kind"] == "school"]
    removed = schools[len(schools) // 2]
    template = schools[len(schools) // 3]
    district = template["district"]
    used = {s["code"] for s in sites}
    new_code = next(
        code for code in (f"79{district}{n:03d}" for n in range(999, 0, -1)) if code not in used
    )
    added = copy.deepcopy(template)
    added["code"] = new_code
    added["name"] = "Trường Tiểu học Mới Thành Lập"
    added.pop("hardware", None)  # serials and asset tags are unique across the city
    added.pop("spares", None)
    changed = copy.deepcopy(doc)
    changed["sites"] = [s for s in sites if s["code"] != removed["code"]] + [added]
    after = load(_write(changed, tmp_path / "changed.yaml"))

    assert removed["code"] not in after.sites and new_code in after.sites
    skip = {removed["code"], new_code}
    old, new = _addresses(before, skip), _addresses(after, skip)
    assert old.keys() == new.keys()
    moved = {k: (old[k], new[k]) for k in old if old[k] != new[k]}
    assert moved == {}
    # the new school got addresses of its own, from its own slot
    site = after.sites[new_code]
    assert site.slot == int(new_code[-3:])
    assert check(after) == []
