"""``docs/selection.md`` cannot drift: every ``<!-- command -->`` block is run as written
from the repository root with default options, and must print what the block quotes (spaces
aside: the console wraps long lines); every row of the ``<!-- selections -->`` table selects
the devices and sites it counts in the city's ``inventory.yaml``."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

import edunet
from edunet.cli.main import app
from edunet.select import select

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "selection.md"
BLOCK = re.compile(r"<!-- command -->\n```console\n\$ ([^\n]+)\n(.*?)```", re.S)
ROW = re.compile(r"^\| `(.+)` \| (\d+) \| (\d+) \|$", re.M)


def _flat(text: str) -> str:
    return " ".join(text.split())


def commands() -> list[tuple[str, str]]:
    found = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(found) >= 5
    return found


def selections() -> list[tuple[str, int, int]]:
    table = DOC.read_text(encoding="utf-8").split("<!-- selections -->", 1)[1]
    rows = [(q.replace("\\|", "|"), int(d), int(s)) for q, d, s in ROW.findall(table)]
    assert len(rows) >= 5
    return rows


@pytest.mark.parametrize(("command", "quoted"), commands())
def test_every_command_prints_what_the_doc_quotes(
    monkeypatch: pytest.MonkeyPatch, command: str, quoted: str
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("EDUNET_INVENTORY", raising=False)
    words = shlex.split(command)
    assert words[0] == "edunet"
    done = CliRunner().invoke(app, words[1:])
    assert _flat(quoted) in _flat(done.output), done.output
    assert (done.exit_code != 0) == quoted.startswith("error:"), done.output


@pytest.fixture(scope="module")
def city() -> edunet.Inventory:
    return edunet.load(ROOT / "inventory.yaml")


@pytest.mark.parametrize(("query", "devices", "sites"), selections())
def test_every_selection_counts_what_the_doc_says(
    city: edunet.Inventory, query: str, devices: int, sites: int
) -> None:
    chosen = select(city, query)
    assert (len(chosen.devices), len(chosen.sites)) == (devices, sites)
