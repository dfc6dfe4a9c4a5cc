"""``docs/selection.md`` cannot drift: every row of its ``<!-- selections -->`` table selects the
devices and sites it counts in the city's ``inventory.yaml``. (Its commands run, as written,
with the other pages' in ``test_doc_commands.py``.)"""

from __future__ import annotations

import re

import pytest
from support.processes import ROOT

import edunet
from edunet.select import select

DOC = ROOT / "docs" / "selection.md"
ROW = re.compile(r"^\| `(.+)` \| (\d+) \| (\d+) \|$", re.M)


def selections() -> list[tuple[str, int, int]]:
    table = DOC.read_text(encoding="utf-8").split("<!-- selections -->", 1)[1]
    rows = [(q.replace("\\|", "|"), int(d), int(s)) for q, d, s in ROW.findall(table)]
    assert len(rows) >= 5
    return rows


@pytest.fixture(scope="module")
def city() -> edunet.Inventory:
    return edunet.load(ROOT / "inventory.yaml")


@pytest.mark.parametrize(("query", "devices", "sites"), selections())
def test_every_selection_counts_what_the_doc_says(
    city: edunet.Inventory, query: str, devices: int, sites: int
) -> None:
    chosen = select(city, query)
    assert (len(chosen.devices), len(chosen.sites)) == (devices, sites)
