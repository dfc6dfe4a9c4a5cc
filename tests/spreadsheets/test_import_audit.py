"""``import --write`` leaves its audit lines; a dry run changes nothing and leaves none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sheets_harness import edunet
from test_round_trip import school_sheet


def test_import_write_is_audited_and_a_dry_run_is_not(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("EDUNET_AUDIT_LOG", str(log))
    monkeypatch.setenv("EDUNET_OPERATOR", "thu")
    sheet = school_sheet(tmp_path / "s.csv", "79760999,THCS Thử Nghiệm,thcs,Quận 1,1 Lê Lợi")
    code, out = edunet("import", "schools", sheet, "-i", city)
    assert code == 0, out
    assert not log.exists()
    code, out = edunet("import", "schools", sheet, "-i", city, "--write")
    assert code == 0, out
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert [(x["who"], x["what"], x["outcome"]) for x in lines] == [
        ("thu", "import schools --write", "started"),
        ("thu", "import schools --write", "ok"),
    ]
    assert lines[1]["detail"] == "1 added, 0 changed, 0 rejected"
    assert lines[1]["limit"] == str(sheet) and lines[1]["artifacts"] == str(city)
