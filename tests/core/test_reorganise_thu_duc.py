"""The reorganisation test of the sample city: Quận 2, Quận 9 and Quận Thủ Đức become Thành
phố Thủ Đức (2021). Not one address, prefix or VLAN moves; the next render has one alert route,
one target file and one Grafana folder for the new unit and none for the three old ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from edunet import load
from edunet.cli.main import app
from edunet.diff import diff
from edunet.model import DistrictKind, Inventory

ROOT = Path(__file__).resolve().parents[2]
OLD = {"762": "thu-duc", "763": "q9", "769": "q2"}  # Quận Thủ Đức, Quận 9, Quận 2
MAPPING = """\
# Resolution 1111/NQ-UBTVQH14 (2020): Thành phố Thủ Đức from 1 January 2021
merge:
  - into: {code: "769", name: Thành phố Thủ Đức, kind: thanh_pho, slug: thu-duc}
    units: ["762", "763", "769"]
"""
runner = CliRunner()

pytestmark = pytest.mark.slow  # the sample city loaded four times, rendered twice


def _addresses(inv: Inventory) -> dict[str, object]:
    """Every address, prefix and VLAN the IP plan gives out, by its holder."""
    out: dict[str, object] = {}
    for s in inv.sites.values():
        out[f"site {s.code}"] = (s.area, s.slot, tuple((v.name, v.id, v.prefix) for v in s.vlans))
    for d in inv.devices.values():
        out[f"device {d.name}"] = (d.mgmt_ip, d.mgmt_prefix, d.loopback)
    for link in inv.links.values():
        out[f"link {link.id}"] = (link.p2p, link.a.ip, link.b.ip)
    for vm in inv.vms.values():
        out[f"vm {vm.name}"] = vm.ip
    return out


def _routes(root: Path) -> list[dict[str, Any]]:
    text = (root / "monitors/alertmanager/alertmanager.yml").read_text(encoding="utf-8")
    routes: list[dict[str, Any]] = yaml.safe_load(text)["route"]["routes"]
    return routes


def _targets(root: Path, slug: str) -> dict[str, set[str]]:
    path = root / f"monitors/prometheus/targets/snmp-{slug}.yml"
    groups = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for g in groups:
        out.setdefault(g["labels"]["district_code"], set()).update(g["targets"])
    return out


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A copy of the sample city reorganised with --write, and the next render of it."""
    work = tmp_path_factory.mktemp("thu-duc")
    inventory, mapping, tokens = work / "inventory.yaml", work / "mapping.yaml", work / "t.yaml"
    shutil.copy(ROOT / "inventory.yaml", inventory)
    mapping.write_text(MAPPING, encoding="utf-8")
    tokens.write_text('tokens:\n  - {id: noc, reach: {districts: ["763", "760"]}}\n', "utf-8")
    args = ["reorganise", str(mapping), "-i", str(inventory), "--tokens", str(tokens)]
    done = runner.invoke(app, [*args, "--write", "-f", "json"])
    assert done.exit_code == 0, done.output
    out = work / "rendered"
    for part in ("monitors", "dashboards"):
        rendered = runner.invoke(app, ["render", part, "-i", str(inventory), "-o", str(out)])
        assert rendered.exit_code == 0, rendered.output
    return inventory, out, done.output


def test_zero_addresses_prefixes_and_vlans_moved(merged: tuple[Path, Path, str]) -> None:
    inventory, _, report = merged
    assert json.loads(report)["addresses_moved"] == 0
    before, after = load(ROOT / "inventory.yaml"), load(inventory)
    d = diff(before, after)
    assert d.moved == ()  # what `edunet diff` calls "addresses moved"
    assert _addresses(after) == _addresses(before)
    moved = [s for s in after.sites.values() if before.sites[s.code].district in ("762", "763")]
    assert len(moved) == 17 and {s.district for s in moved} == {"769"}
    assert all(s.upstream == before.sites[s.code].upstream for s in after.sites.values())
    unit = after.districts["769"]
    assert (unit.name, unit.kind, unit.slug) == (
        "Thành phố Thủ Đức",
        DistrictKind.thanh_pho,
        "thu-duc",
    )
    assert not {"762", "763"} & set(after.districts)
    shown = runner.invoke(app, ["diff", str(ROOT / "inventory.yaml"), str(inventory)])
    # exit 1: the inventories differ (units and sites), as diff(1) says so
    assert shown.exit_code == 1 and "no address or prefix moved" in shown.output


def test_validate_passes(merged: tuple[Path, Path, str]) -> None:
    done = runner.invoke(app, ["validate", str(merged[0])])
    assert done.exit_code == 0, done.output


def test_the_alert_routes_follow(merged: tuple[Path, Path, str]) -> None:
    before = {tuple(r["matchers"]): r["receiver"] for r in _routes(ROOT)}
    after = {tuple(r["matchers"]): r["receiver"] for r in _routes(merged[1])}
    for code, slug in OLD.items():
        assert before[(f'district_code="{code}"',)] == f"noc-{slug}"
    assert after[('district_code="769"',)] == "noc-thu-duc"  # one route for the new unit
    assert ('district_code="762"',) not in after and ('district_code="763"',) not in after
    assert not {"noc-q2", "noc-q9"} & set(after.values())
    assert len(after) == len(before) - 2


def test_target_files_and_dashboards_follow(merged: tuple[Path, Path, str]) -> None:
    _, out, _ = merged
    old_targets: set[str] = set()
    for slug in OLD.values():
        for names in _targets(ROOT, slug).values():
            old_targets |= names
    assert _targets(out, "thu-duc") == {"769": old_targets}
    targets = out / "monitors/prometheus/targets"
    assert not (targets / "snmp-q2.yml").exists() and not (targets / "snmp-q9.yml").exists()
    folders = out / "dashboards/grafana/districts"
    assert sorted(p.name for p in (folders / "thu-duc").iterdir()) == [
        "edunet-district-769.json",
        "edunet-hardware-769.json",
        "edunet-links-769.json",
        "edunet-school-769.json",
    ]
    assert not (folders / "q2").exists() and not (folders / "q9").exists()
    board = json.loads((folders / "thu-duc/edunet-district-769.json").read_text("utf-8"))
    (fixed,) = [v for v in board["templating"]["list"] if v["name"] == "district"]
    assert fixed["query"] == "Thành phố Thủ Đức"


def test_the_tokens_reach_follows(merged: tuple[Path, Path, str]) -> None:
    tokens = merged[0].parent / "t.yaml"
    assert (
        tokens.read_text("utf-8") == 'tokens:\n  - {id: noc, reach: {districts: ["769", "760"]}}\n'
    )
