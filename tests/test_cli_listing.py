"""``edunet sites``, ``edunet devices`` and ``edunet find`` on the committed sample city:
filters as the selection language reads them, natural order, the three formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from edunet.cli.main import app
from edunet.load import load
from edunet.select import natural_key, search

SAMPLE = Path(__file__).parent.parent / "inventory.yaml"
runner = CliRunner()


def _run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "-i", str(SAMPLE)])
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.stderr


def _json(*args: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(_run(*args, "-f", "json"))
    return data


def test_sites_filtered_by_plain_options_and_by_a_selection_alike() -> None:
    plain = _json("sites", "--district", "Quận 1", "--level", "thcs")
    selected = _json("sites", "-l", "district=q1&level=thcs")
    assert [s["code"] for s in plain] == [s["code"] for s in selected] == ["79760006"]
    assert plain[0]["name"] == "Trường THCS Võ Trường Toản"
    assert plain[0]["district"] == "Quận 1"
    offices = _json("sites", "--kind", "district_office")
    assert len(offices) == 24 and {s["kind"] for s in offices} == {"district_office"}


def test_sites_and_devices_are_in_natural_order() -> None:
    codes = [s["code"] for s in _json("sites")]
    assert codes == sorted(codes, key=natural_key) and len(codes) == 186
    names = [d["name"] for d in _json("devices", "--site", "79760002")]
    assert names == sorted(names, key=natural_key)
    aps = [n for n in names if "-ap" in n]
    assert aps.index("79760002-ap2") < aps.index("79760002-ap10")


def test_devices_by_role_model_status_and_level() -> None:
    found = _json("devices", "--role", "router", "--district", "binh chanh")
    assert found and {d["role"] for d in found} == {"router"}
    assert {d["district"] for d in found} == {"Huyện Bình Chánh"}
    model = found[0]["model"]
    same = _json("devices", "--model", model.lower(), "--district", "binh-chanh")
    assert {d["model"] for d in same} == {model}
    spares_aside = _json("devices", "--status", "in_service", "--level", "thpt")
    assert spares_aside and {d["status"] for d in spares_aside} == {"in_service"}
    inv = load(SAMPLE)
    assert {inv.sites[d["site"]].level.value for d in spares_aside} == {"thpt"}  # type: ignore[union-attr]


def test_a_filter_that_names_nothing_says_what_was_meant() -> None:
    assert "did you mean 'thcs'" in _run("devices", "--level", "thc", code=1)
    assert "did you mean 'Quận 9'" in _run("sites", "--district", "Quận 99", code=1)
    assert "no key 'distrct'" in _run("sites", "-l", "distrct=q1", code=1)


def test_csv_is_one_table_with_a_bom() -> None:
    out = _run("devices", "-l", "district=q1&level=thcs", "-f", "csv")
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0] == ["name", "site", "district", "role", "model", "mgmt_ip", "serial", "status"]
    assert len(rows) == 12 and all(len(r) == 8 for r in rows)


def test_query_orders_by_relevance() -> None:
    found = _json("sites", "-q", "le ngoc han")
    assert [s["code"] for s in found] == ["79771001", "79787006"]
    assert [s["code"] for s in _json("sites", "-q", "le ngoc han", "--level", "thpt")] == [
        "79787006"
    ]
    devices = _json("devices", "-q", "FXS2132PASS")
    assert [d["name"] for d in devices] == ["so-gddt-rt1"]


def test_find_answers_what_the_core_search_answers() -> None:
    rows = _json("find", "cu chi", "--top", "3")
    assert rows[0] == {
        "kind": "district",
        "key": "783",
        "name": "Huyện Củ Chi",
        "field": "slug",
        "value": "cu-chi",
        "match": "exact",
    }
    assert [r["key"] for r in rows] == [m.key for m in search(load(SAMPLE), "cu chi")[:3]]
    only_sites = _json("find", "cu chi", "--kind", "site")
    assert {r["kind"] for r in only_sites} == {"site"} and len(only_sites) > 3


def test_find_nothing_exits_1() -> None:
    assert "nothing found for 'zzzz'" in _run("find", "zzzz", code=1)
