"""``edunet infra plan``: the committed plan is current, and an inventory change shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from edunet.cli.main import app
from infra import plan
from infra.offline import OfflineRun

ROOT = Path(__file__).parent.parent.parent

NEW_APP = """\
  - code: library-search
    name: Tra cứu thư viện
    name_en: Library search
    owner: Phòng Giáo dục Tiểu học
    criticality: medium
    slo: {availability_pct: 99.0}
    url: https://tracuu.hcm.edu.vn/
    port: 443
    vms:
      - {name: tracuu-app-01, vcpu: 2, memory_gb: 4, disks_gb: [40], segment: applications}

"""


def test_committed_plan_is_current(dc_run: OfflineRun) -> None:
    """infra/plan.json is what the program declares for inventory.yaml; regenerate it with
    `edunet infra plan --write` after an inventory or program change."""
    committed = json.loads(plan.COMMITTED.read_text(encoding="utf-8"))
    assert committed["generated"] == plan.HEADER and committed["kind"] == plan.LABEL
    assert plan.diff(committed["resources"], plan.entries(dc_run)) == []


def test_new_application_shows_in_the_difference(tmp_path: Path) -> None:
    text = (ROOT / "inventory.yaml").read_text(encoding="utf-8")
    services = re.search(r"^services:", text, re.M)
    assert services is not None
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(text[: services.start()] + NEW_APP + text[services.start() :], "utf-8")
    result = CliRunner().invoke(app, ["infra", "plan", "-i", str(inventory), "--check"])
    assert result.exit_code == 1, result.output
    assert "offline plan, not a Proxmox preview" in result.output
    added = [line for line in result.output.splitlines() if line.startswith("+ ")]
    assert any(
        line.startswith("+ VmLegacy/tracuu-app-01 ")
        and "address=10.0.10.31/24" in line
        and "vlan=110" in line
        for line in added
    ), added
    assert any(line.startswith("+ RulesLegacy/tracuu-app-01-fw ") for line in added)
    assert any(line.startswith("+ Job/backup-library-search ") for line in added)
    assert not [line for line in result.output.splitlines() if line.startswith(("- ", "~ "))]


def test_json_and_write_then_check(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    inventory = str(ROOT / "inventory.yaml")
    first = CliRunner().invoke(
        app,
        [
            "infra",
            "plan",
            "-i",
            inventory,
            "--format",
            "json",
            "--plan-file",
            str(target),
            "--write",
        ],
    )
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)
    assert doc["kind"] == plan.LABEL and doc["counts"]["VmLegacy"] == 38
    assert len(doc["difference"]) == len(doc["resources"])  # against no plan: all added
    again = CliRunner().invoke(
        app, ["infra", "plan", "-i", inventory, "--plan-file", str(target), "--check"]
    )
    assert again.exit_code == 0, again.output
    assert "no change" in again.output


def test_a_changed_property_is_listed_with_old_and_new(tmp_path: Path, dc_run: OfflineRun) -> None:
    entries = plan.entries(dc_run)
    old = json.loads(json.dumps(entries))
    old["VmLegacy/portal-web-01"]["vcpu"] = 2
    del old["Job/backup-awards"]
    changes = plan.diff(old, entries)
    assert [(c.sign, c.resource, c.props) for c in changes] == [
        ("+", "Job/backup-awards", entries["Job/backup-awards"]),
        ("~", "VmLegacy/portal-web-01", {"vcpu": [2, 4]}),
    ]


def test_csv_is_one_table_of_resources(tmp_path: Path) -> None:
    """The README says every listing takes csv: the plan too, one resource a row, with its
    change against the plan file."""
    import csv
    import io

    result = CliRunner().invoke(
        app,
        [
            "infra",
            "plan",
            "-i",
            str(ROOT / "inventory.yaml"),
            "-f",
            "csv",
            "--plan-file",
            str(tmp_path / "none.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert list(rows[0]) == ["type", "name", "change", "properties"]
    vms = [r for r in rows if r["type"] == "VmLegacy"]
    assert len(vms) == 38 and all(r["change"] == "added" for r in rows)
