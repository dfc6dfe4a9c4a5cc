"""A site without uplinks has no way to the data center: an error, unless it says
``isolated: true`` (the case for ``uplinks: []`` is bad/64-school-without-uplinks.yaml)."""

from __future__ import annotations

from pathlib import Path

from one_problem import only_problem

import edunet

SMALL = Path(__file__).parent / "data" / "small.yaml"
TAN_TUC = "pupils: 1210}"


def write(tmp_path: Path, extra: str) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert text.count(TAN_TUC) == 1
    path = tmp_path / "inventory.yaml"
    path.write_text(text.replace(TAN_TUC, TAN_TUC[:-1] + extra + "}"), encoding="utf-8")
    return path


def test_an_isolated_school_loads_without_uplinks(tmp_path: Path) -> None:
    inv = edunet.load(write(tmp_path, ", uplinks: [], isolated: true"))
    site = inv.sites["79785007"]
    assert site.isolated and site.uplinks == () and site.upstream == ()
    assert not any(s.isolated for code, s in inv.sites.items() if code != "79785007")


def test_isolated_with_uplinks_is_a_contradiction(tmp_path: Path) -> None:
    p = only_problem(write(tmp_path, ", isolated: true"))
    assert "'isolated: true', but it has 1 uplink(s)" in p.message
    assert "remove 'isolated: true'" in p.hint


def test_a_school_without_devices_or_uplinks_must_say_so(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace(
        "sites:\n",
        "sites:\n  - {code: '79760099', kind: school, level: thcs, name: Trường THCS Mới, "
        'district: "760", address: Quận 1}\n',
        1,
    )
    path = tmp_path / "inventory.yaml"
    path.write_text(text, encoding="utf-8")
    assert "no uplinks" in only_problem(path).message
    path.write_text(text.replace("Quận 1}", "Quận 1, isolated: true}"), encoding="utf-8")
    assert edunet.load(path).sites["79760099"].isolated


def test_topology_path_of_an_isolated_school_is_no_route(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from edunet.cli.main import app

    path = write(tmp_path, ", uplinks: [], isolated: true")
    result = CliRunner().invoke(app, ["topology", "path", "79785007", "-i", str(path)])
    assert result.exit_code == 1
    assert "no path from 79785007 to the data center" in result.output
    assert "isolated: true" in result.output
