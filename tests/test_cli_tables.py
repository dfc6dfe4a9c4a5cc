"""CLI output a spreadsheet opens as it is: one table per CSV, raw numbers, the byte-order
mark the API's CSV has; JSON and CSV keep what the table shows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunet import summary, tabular
from edunet.cli.main import app
from edunet.load import load

SAMPLE = Path(__file__).parent.parent / "inventory.yaml"
runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, [*args, "-i", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    return result.stdout


def _table(out: str) -> list[list[str]]:
    assert out.startswith("\ufeff"), out[:20]
    return list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))


def test_csv_is_one_table_with_raw_numbers_and_a_bom() -> None:
    rows = _table(_run("summary", "-f", "csv"))
    assert rows[0] == ["field", "value"]
    assert ["pupils", "146262"] in rows  # not "146,262"
    assert all(len(r) == 2 for r in rows)  # no second table after the first


def test_validate_csv_holds_one_table_chosen_with_table() -> None:
    result = runner.invoke(app, ["validate", str(SAMPLE), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = _table(result.stdout)
    assert rows[0] == ["district", "name", "sites", "schools", "pupils", "devices"]
    assert len(rows) == 1 + 24 and all(len(r) == 6 for r in rows)
    roles = _table(_run("validate", "-f", "csv", "--table", "roles"))
    assert roles[0] == ["role", "devices", "models"] and len(roles) > 2
    wrong = runner.invoke(app, ["validate", str(SAMPLE), "-f", "csv", "--table", "nope"])
    assert wrong.exit_code == 2 and "districts, levels, roles" in wrong.output


def test_summary_keeps_levels_and_roles_in_json_and_csv() -> None:
    inv = load(SAMPLE)
    doc = json.loads(_run("summary", "-f", "json"))
    assert doc == {
        "totals": summary.totals(inv),
        "levels": summary.by_level(inv),
        "roles": summary.by_role(inv),
    }
    levels = _table(_run("summary", "-f", "csv", "--table", "levels"))
    assert levels[0] == ["level", "name", "schools", "share_pct", "pupils"]
    assert ["thcs", "THCS", "24", "15.0", "30355"] in levels


def test_impact_keeps_school_names_and_pupils() -> None:
    rows = _table(_run("topology", "impact", "pgd-q1-rt1", "-f", "csv"))
    assert rows[0] == ["site", "name", "district", "pupils"]
    assert ["79760002", "Trường THPT Nguyễn Văn Tiết", "760", "1630"] in rows
    doc = json.loads(_run("topology", "impact", "pgd-q1-rt1", "-f", "json"))
    assert doc["sites_cut"] == [s["site"] for s in doc["sites"]]
    assert {"site": "79760002", "name": "Trường THPT Nguyễn Văn Tiết", "district": "760",
            "pupils": 1630} in doc["sites"]  # fmt: skip
    assert doc["pupils_cut"] == sum(s["pupils"] for s in doc["sites"])


def test_cli_csv_is_spelt_as_the_api_writes_it() -> None:
    out = runner.invoke(app, ["topology", "spof", "-i", str(SAMPLE), "-f", "csv"]).stdout_bytes
    rows = _table(out.decode("utf-8"))
    again = tabular.to_csv(tabular.Table(tuple(rows[0]), tuple(tuple(r) for r in rows[1:])))
    assert out == again  # CRLF lines, a BOM, the same quoting


def test_lab_status_csv_holds_one_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Processes and faults were two tables in one CSV stream: now one, --table for the other."""
    from lab import faults, lifecycle

    procs = [
        {"name": "snmp-agents", "pid": 4242, "alive": True, "rss_mib": 80.5, "endpoints": 1443}
    ]
    state = {"up": True, "endpoints": 1443, "ssh_devices": 0, "ssh_port": None,
             "address_map": "10.0.0.0/8=127.0.0.0/8", "processes": procs}  # fmt: skip
    fault = {
        "key": "link-down:pgd-q1-up1",
        "kind": "link-down",
        "target": "pgd-q1-up1",
        "detail": "",
    }
    monkeypatch.setattr(lifecycle, "status", lambda sd: dict(state))
    monkeypatch.setattr(faults, "fault_rows", lambda sd: [fault])
    args = ["lab", "status", "--state-dir", str(tmp_path), "-f", "csv"]
    first = _table(runner.invoke(app, args).stdout)
    assert first == [["name", "pid", "alive", "rss_mib", "endpoints"],
                     ["snmp-agents", "4242", "true", "80.5", "1443"]]  # fmt: skip
    second = _table(runner.invoke(app, [*args, "--table", "faults"]).stdout)
    assert second == [list(fault), list(fault.values())]
