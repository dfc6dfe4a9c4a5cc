"""The `edunet` command on the small city and on the committed sample."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from edunet.cli.main import app

SMALL = str(Path(__file__).parent / "core" / "data" / "small.yaml")
SAMPLE = str(Path(__file__).parent.parent / "inventory.yaml")
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_validate_sample_prints_counts_by_district_level_and_role() -> None:
    code, out = run("validate", SAMPLE)
    assert code == 0, out
    for text in ("Quận 1", "Huyện Cần Giờ", "mam_non", "Mầm non", "access_switch", "valid"):
        assert text in out


def test_validate_json_has_totals() -> None:
    code, out = run("validate", SMALL, "--format", "json")
    assert code == 0
    data = json.loads(out[out.index("{") :])
    assert data["valid"] is True
    assert data["totals"]["schools"] == 3
    assert {d["district"] for d in data["districts"]} == {"760", "785"}


def test_validate_missing_file_exits_2() -> None:
    code, out = run("validate", "no-such-inventory.yaml")
    assert code == 2
    assert "no such file" in out and "Traceback" not in out


def test_summary_csv() -> None:
    code, out = run("summary", "-i", SMALL, "-f", "csv")
    assert code == 0
    assert out.startswith("\ufeff")  # Excel reads UTF-8 only with the mark
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0] == ["field", "value"]
    assert ["schools", "3"] in rows


def test_ipam_show_and_check() -> None:
    code, out = run("ipam", "show", "79760012", "-i", SMALL, "-f", "json")
    assert code == 0
    rows = json.loads(out)
    assert {
        "kind": "vlan",
        "name": "lab",
        "vlan": 30,
        "address": "10.132.12.64/26",
        "gateway": "10.132.12.65",
        "note": "Phòng máy học sinh",
    } in rows
    code, out = run("ipam", "check", "-i", SMALL)
    assert code == 0 and "sound" in out
    code, out = run("ipam", "show", "79760013", "-i", SMALL)
    assert code == 1 and "did you mean" in out


def test_topology_commands() -> None:
    code, out = run("topology", "path", "79760012", "-i", SMALL, "-f", "json")
    assert code == 0
    paths = json.loads(out)
    assert paths and paths[0]["route"].startswith("79760012-rt1")
    code, out = run("topology", "impact", "PGD-Q1", "-i", SMALL, "-f", "json")
    assert code == 0
    impact = json.loads(out)
    assert set(impact["sites_cut"]) == {"PGD-Q1", "79760012"}  # 79760031 has its own ISP
    code, out = run("topology", "spof", "-i", SMALL, "--min-sites", "2", "-f", "csv")
    assert code == 0 and "so-gddt-rt1" in out
    code, out = run("topology", "neighbours", "PGD-Q1", "-i", SMALL, "-n", "1", "-f", "json")
    assert code == 0
    assert {r["site"] for r in json.loads(out)} >= {"SO-GDDT", "79760012", "79760031"}
    code, out = run("topology", "impact", "nothing-here", "-i", SMALL)
    assert code == 1 and "unknown" in out


def test_sample_writes_a_city_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "city.yaml"
    code, out = run("sample", "--schools", "48", "--seed", "3", "-o", str(target))
    assert code == 0, out
    code, out = run("validate", str(target), "-f", "json")
    assert code == 0, out


def test_sample_creates_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "nodir" / "deeper" / "city.yaml"
    code, out = run("sample", "--schools", "12", "-o", str(target))
    assert code == 0, out
    assert target.is_file() and "Traceback" not in out


def test_sample_into_a_folder_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("not a folder\n", encoding="utf-8")
    code, out = run("sample", "--schools", "12", "-o", str(tmp_path / "plain" / "city.yaml"))
    assert code == 2, out
    assert "plain is a file" in out and "Traceback" not in out


def test_sample_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "inventory.yaml"
    target.write_text("the real inventory\n", encoding="utf-8")
    code, out = run("sample", "--schools", "12", "-o", str(target))
    assert code == 2, out
    assert "--force" in out and "Traceback" not in out
    assert target.read_text(encoding="utf-8") == "the real inventory\n"
    code, out = run("sample", "--schools", "12", "-o", str(target), "--force")
    assert code == 0, out
    assert "sample: true" in target.read_text(encoding="utf-8")


def test_validate_takes_the_inventory_as_an_option_too() -> None:
    code, out = run("validate", "-i", SMALL, "-f", "json")
    assert code == 0, out
    assert json.loads(out[out.index("{") :])["totals"]["schools"] == 3
    code, out = run("validate", "--inventory", SMALL)
    assert code == 0, out
    code, out = run("validate", SMALL, "-i", SAMPLE)  # two different inventories: which?
    assert code == 2 and "Traceback" not in out


def test_version() -> None:
    from importlib.metadata import version

    code, out = run("--version")
    assert code == 0
    assert out.strip() == f"edunet {version('edunet')}"


def test_every_option_says_what_it_does() -> None:
    import typer

    def options(command: Any, path: str) -> list[tuple[str, Any]]:
        found = [(path, p) for p in command.params if p.param_type_name == "option"]
        for name, sub in getattr(command, "commands", {}).items():
            found += options(sub, f"{path} {name}")
        return found

    checked = {"--forks", "--skip-tags", "--hops"}
    for path, option in options(typer.main.get_command(app), "edunet"):
        if checked & set(option.opts):
            assert option.help, f"{path} {option.opts[0]} has no help"
            checked -= set(option.opts)
    assert not checked  # each was found


def test_render_under_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("not a folder\n", encoding="utf-8")
    code, out = run("render", "-i", SMALL, "--out", str(tmp_path / "plain" / "out"))
    assert code == 2, out
    assert "plain is a file" in out and "Traceback" not in out


def test_impact_of_an_isp_counts_the_uplinks_it_carries() -> None:
    """Every school of the sample has a VNPT uplink: VNPT down cuts those with no other ISP."""
    result = runner.invoke(app, ["topology", "impact", "isp:VNPT", "-i", SAMPLE])
    assert result.exit_code == 0, result.output
    assert "ISP VNPT down" in result.stderr and "site isp:" not in result.stderr
    cut = int(result.stderr.split("down: ")[1].split()[0])
    assert cut > 100
    spof = runner.invoke(app, ["topology", "spof", "-i", SAMPLE, "-f", "json"])
    kinds = {r["element"]: r["kind"] for r in json.loads(spof.stdout)}
    assert kinds["isp:FPT"] == "isp" and kinds["isp:VNPT"] == "isp"
