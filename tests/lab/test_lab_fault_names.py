"""``edunet lab fault`` finds devices, ports, sites and applications as every command does
(``edunet.select``): any case, by name, and says what was meant when it finds nothing."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from edunet.cli.main import app

SMALL = "tests/core/data/small.yaml"


def _fault(state_dir: Path, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(app, ["lab", "fault", *args, "--state-dir", str(state_dir)])
    return done.exit_code, done.output


def test_names_in_any_spelling(tmp_path: Path) -> None:
    code, out = _fault(tmp_path, "flap", "79760012-SW1", "gigabitethernet1/0/1", "-i", SMALL)
    assert code == 0, out
    code, out = _fault(tmp_path, "app-slow", "education portal", "-i", SMALL)
    assert code == 0, out
    code, out = _fault(tmp_path, "list", "-f", "json")
    keys = [row["key"] for row in json.loads(out[out.index("[") :])]
    assert keys == ["flap:79760012-sw1:GigabitEthernet1/0/1", "app:portal"]


def test_unknown_names_say_what_was_meant(tmp_path: Path) -> None:
    code, out = _fault(tmp_path, "reboot", "79760012-sw", "-i", SMALL)
    assert (
        code == 1 and "no device '79760012-sw' in the inventory; did you mean '79760012-sw1'" in out
    )
    code, out = _fault(tmp_path, "flap", "79760012-sw1", "Gi0/1", "-i", SMALL)
    assert code == 1 and "no port 'Gi0/1' on 79760012-sw1" in out
    code, out = _fault(tmp_path, "clear", "flap:nowhere", "-i", SMALL)
    assert code == 1 and "no fault 'flap:nowhere' among the active faults" in out
