"""The reach of a principal: the whole city, districts, sites."""

from __future__ import annotations

import pytest

from edunet.access import CITY, OutOfReach, Reach
from edunet.model import Inventory
from edunet.select.names import NotFound


def test_whole_city_covers_everything(sample_city: Inventory) -> None:
    assert CITY.whole_city
    assert CITY.site_codes(sample_city) == frozenset(sample_city.sites)
    assert CITY.out_of_reach(sample_city, sample_city.devices) == []


def test_a_district_covers_its_sites_devices_and_uplinks_only(sample_city: Inventory) -> None:
    inv = sample_city
    q1 = Reach.resolve(inv, districts=["Quận 1"])
    assert q1.districts == frozenset({"760"})
    sites = q1.site_codes(inv)
    assert sites and all(inv.sites[s].district == "760" for s in sites)
    assert all(q1.covers_device(d) == (d.district == "760") for d in inv.devices.values())
    seen = [link for link in inv.links.values() if q1.covers_link(link, inv)]
    assert seen and all(
        any(e.site is not None and inv.sites[e.site].district == "760" for e in (ln.a, ln.b))
        for ln in seen
    )
    other = next(d for d in inv.devices.values() if d.district != "760")
    assert q1.out_of_reach(inv, [other.name, "no-such-device"]) == [other.name, "no-such-device"]


def test_a_site_reach_and_its_file_form(sample_city: Inventory) -> None:
    inv = sample_city
    school = next(s for s in inv.schools() if s.district == "760")
    reach = Reach.resolve(inv, sites=[school.code])
    assert reach.site_codes(inv) == frozenset({school.code})
    assert Reach.from_data(reach.to_data()) == reach
    assert Reach.from_data(None) == CITY
    assert reach.describe() == f"site {school.code}"
    with pytest.raises(ValueError, match="unknown key"):
        Reach.from_data({"district": ["760"]})


def test_an_unknown_district_says_did_you_mean(sample_city: Inventory) -> None:
    with pytest.raises(NotFound, match="did you mean"):
        Reach.resolve(sample_city, districts=["Quan 77"])


def test_out_of_reach_names_what(sample_city: Inventory) -> None:
    q12 = Reach.resolve(sample_city, districts=["q12"])
    err = OutOfReach("operator an", q12, ["b", "a"])
    assert err.names == ("a", "b")
    assert "out of reach: a, b" in str(err)


def test_a_link_is_the_site_it_serves(sample_city: Inventory) -> None:
    """The Department stands in Quận 1, yet the other districts' offices' uplinks that end
    there are theirs, not Quận 1's."""
    inv = sample_city
    q1 = Reach.resolve(inv, districts=["760"])
    to_department = [
        ln
        for ln in inv.links.values()
        if ln.b.site == inv.department.code
        and ln.a.site is not None
        and inv.sites[ln.a.site].district != "760"
    ]
    assert inv.department.district == "760" and to_department
    assert not any(q1.covers_link(ln, inv) for ln in to_department)
    school = next(s for s in inv.schools() if s.district == "760" and s.uplinks)
    alone = Reach.resolve(inv, sites=[school.code])
    assert all(alone.covers_link(inv.links[i], inv) for i in school.uplinks)


def test_the_part_of_the_city_a_reach_covers(sample_city: Inventory) -> None:
    inv = sample_city
    assert CITY.within(inv) is inv
    part = Reach.resolve(inv, districts=["q1"]).within(inv)
    assert set(part.districts) == {"760"}
    assert part.sites and all(s.district == "760" for s in part.sites.values())
    assert set(part.devices) == {d for s in part.sites.values() for d in s.devices}
    assert all(part.links[i] is inv.links[i] for i in part.links)
    for code in part.sites:
        assert all(ln.id in part.links for ln in part.site_links(code))
    assert part.applications == inv.applications  # the city's services stay whole
