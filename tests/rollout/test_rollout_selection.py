"""``--limit`` resolved against the model, grouped by site in rollout order."""

from __future__ import annotations

import pytest

from edunet.model import Inventory
from playbooks.rollout.selection import SelectionError, select


def test_no_limit_selects_every_device(small: Inventory) -> None:
    assert set(select(small).hosts) == set(small.devices)


def test_key_value_terms(small: Inventory) -> None:
    assert set(select(small, ["district=q1"]).hosts) == {
        d.name for d in small.devices.values() if d.district == "760"
    }
    # the district's code and its name (with diacritics) work as well as its slug
    by_code = select(small, ["district=785"]).hosts
    assert by_code == select(small, ["district=Huyện Bình Chánh"]).hosts
    assert select(small, ["district=binh_chanh"]).hosts == select(small, ["district=785"]).hosts
    assert select(small, ["site=79760012", "&role=access_switch"]).hosts == ("79760012-sw1",)
    primary = select(small, ["level=tieu_hoc"]).hosts
    assert primary and all(small.sites[small.devices[h].site].level == "tieu_hoc" for h in primary)


def test_groups_globs_and_exclusions(small: Inventory) -> None:
    by_group = select(small, ["platform_cisco_ios"]).hosts
    assert by_group == select(small, ["platform=cisco_ios"]).hosts
    assert select(small, ["site_79760012:!*-ap*"]).hosts == ("79760012-rt1", "79760012-sw1")
    assert select(small, ["~^pgd-q1-"]).hosts == ("pgd-q1-rt1", "pgd-q1-sw1")
    assert select(small, ["79760012-sw1,79785007-sw1"]).hosts == ("79760012-sw1", "79785007-sw1")


def test_sites_come_schools_first_core_last(small: Inventory) -> None:
    sel = select(small, ["platform=cisco_ios"])
    kinds = [small.sites[s.site].kind.value for s in sel.sites]
    assert kinds == sorted(
        kinds, key=["school", "district_office", "department", "datacenter"].index
    )
    assert [s.tier for s in sel.sites] == sorted(s.tier for s in sel.sites)
    assert sum(len(s.hosts) for s in sel.sites) == len(sel.hosts)


@pytest.mark.parametrize("bad", ["nowhere", "district=atlantis", "colour=red", "~("])
def test_a_term_that_matches_nothing_is_an_error(small: Inventory, bad: str) -> None:
    with pytest.raises(SelectionError):
        select(small, [bad])


def test_a_group_of_vms_selects_no_device(small: Inventory) -> None:
    """The data center's VMs are Ansible hosts, but a rollout selects devices only."""
    assert small.vms
    with pytest.raises(SelectionError, match="matches no device"):
        select(small, ["vms"])
    assert set(select(small, ["all"]).hosts) == set(small.devices)
