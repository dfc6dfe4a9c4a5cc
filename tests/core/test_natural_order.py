"""Names are listed in the order people read them: ap1, ap2, ap10 (not ap1, ap10, ap2)."""

from __future__ import annotations

import json
from pathlib import Path

from topology_builder import Net, topo
from typer.testing import CliRunner

from edunet.cli.main import app
from edunet.select import natural_key, naturally


def test_numbers_in_names_sort_by_value() -> None:
    assert naturally(["ap10", "ap2", "ap1", "AP3"]) == ["ap1", "ap2", "AP3", "ap10"]
    assert naturally(["sw-10-a", "sw-9-b", "sw-9"]) == ["sw-9", "sw-9-b", "sw-10-a"]
    assert naturally(["79760012", "79760003"]) == ["79760003", "79760012"]
    assert natural_key("ap01") != natural_key("ap1")  # a total order: ties broken by the name


def _school_with_aps() -> Net:
    return (
        Net()
        .site("DC", kind="dc")
        .site("S10", "s-rt", "s-sw", "s-ap1", "s-ap2", "s-ap10", pupils=100)
        .site("S9", pupils=100)
        .site("PGD", kind="pgd")
        .lan("s-rt", "s-sw")
        .lan("s-sw", "s-ap1")
        .lan("s-sw", "s-ap10")
        .lan("s-sw", "s-ap2")
        .up("S10", "PGD", "s10-up")
        .up("S9", "PGD", "s9-up")
        .up("PGD", "DC", "pgd-up")
    )


def test_topology_lists_names_naturally() -> None:
    t = topo(_school_with_aps())
    assert list(t.neighbours("s-sw")) == ["s-ap1", "s-ap2", "s-ap10", "s-rt"]
    assert list(t.site_neighbours("PGD")) == ["DC", "S9", "S10"]
    assert t.impact("pgd-up").sites_cut == ("PGD", "S9", "S10")


def test_cli_neighbours_keep_the_natural_order() -> None:
    sample = Path(__file__).parent.parent.parent / "inventory.yaml"
    result = CliRunner().invoke(
        app, ["topology", "neighbours", "79760002-rt1", "-n", "2", "-i", str(sample), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    names = [r["device"] for r in json.loads(result.stdout) if r["hops"] == 2]
    aps = [n for n in names if "-ap" in n]
    assert aps[-2:] == ["79760002-ap9", "79760002-ap10"]
    assert names == naturally(names)
