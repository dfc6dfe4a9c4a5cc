"""The operator at the keyboard: the roles file, EDUNET_OPERATOR, and what a reach refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from edunet.access import CITY, OutOfReach
from edunet.model import Inventory
from edunet.operators import NotAnOperator, RolesError, check_reach, current, operator_name

ROLES = """\
operators:
  noc:
    reach: city
  lan:
    name: Nguyễn Thị Lan
    reach: {districts: [Quận 12]}
  minh:
    reach:
      sites: ["79761001"]
"""


def _env(tmp_path: Path, text: str = ROLES, who: str = "lan") -> dict[str, str]:
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    return {"EDUNET_ROLES": str(path), "EDUNET_OPERATOR": who}


def test_without_a_roles_file_everyone_reaches_the_city(
    sample_city: Inventory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no edunet-roles.yaml here
    op = current(sample_city, {"EDUNET_OPERATOR": "anyone"})
    assert (op.name, op.reach, op.roles_file) == ("anyone", CITY, None)
    assert operator_name({})  # the login name


def test_reach_from_the_file_as_people_write_it(sample_city: Inventory, tmp_path: Path) -> None:
    lan = current(sample_city, _env(tmp_path))
    assert lan.reach.districts == {"761"} and lan.reach.describe() == "district 761"
    check_reach(sample_city, lan, ["pgd-q12-rt1", "79761001-sw1"])
    with pytest.raises(OutOfReach) as e:
        check_reach(sample_city, lan, ["pgd-q12-rt1", "pgd-q1-rt1", "79760002-sw1"])
    assert e.value.names == ("79760002-sw1", "pgd-q1-rt1")
    assert str(e.value).endswith("out of reach: 79760002-sw1, pgd-q1-rt1")
    minh = current(sample_city, _env(tmp_path, who="minh"))
    assert minh.reach.sites == {"79761001"} and not minh.reach.districts
    assert current(sample_city, _env(tmp_path, who="noc")).reach.whole_city
    assert current(None, _env(tmp_path)).reach.districts == {"Quận 12"}  # as written


def test_an_operator_not_listed_is_refused(sample_city: Inventory, tmp_path: Path) -> None:
    with pytest.raises(NotAnOperator, match=r"operator 'eve' is not in .*operators: lan, minh"):
        current(sample_city, _env(tmp_path, who="eve"))


def test_a_roles_file_named_must_exist(sample_city: Inventory, tmp_path: Path) -> None:
    with pytest.raises(RolesError, match="no such file"):
        current(sample_city, {"EDUNET_ROLES": str(tmp_path / "nope.yaml")})


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("operators:\n  lan:\n    reach: {district: [q12]}\n", ":3:13:", "district"),
        ("operators:\n  lan:\n    name: Lan\n", ":2:3:", "reach"),
        ("operators:\n  lan:\n    reach: everywhere\n", ":3:12:", "write 'city'"),
        ("operators:\n  lan:\n    reach: {}\n", ":3:12:", "districts and/or sites"),
        ("operators:\n  lan:\n    reach: {districts: [q13]}\n", ":3:25:", "q13"),
        ("operator:\n  lan: {reach: city}\n", ":1:1:", "operator"),
        ("operators:\n  lan: [\n", ":3:1:", "not valid YAML"),
    ],
)
def test_a_broken_roles_file_is_placed_by_file_line_column(
    sample_city: Inventory, tmp_path: Path, text: str, where: str, says: str
) -> None:
    env = _env(tmp_path, text)
    with pytest.raises(RolesError) as e:
        current(sample_city, env)
    message = str(e.value)
    assert f"{env['EDUNET_ROLES']}{where}" in message, message
    assert says in message
