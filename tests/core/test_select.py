"""The selection language and the lookup (``edunet.select``) on the small city: 7 sites,
districts 760 (Quận 1, slug q1) and 785 (Huyện Bình Chánh, slug binh_chanh)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edunet.model import Inventory
from edunet.select import (
    NotFound,
    Query,
    SelectionError,
    Term,
    find,
    fold,
    lookup,
    parse,
    select,
)


def names(inv: Inventory, query: str) -> set[str]:
    return set(select(inv, query).devices)


def where(inv: Inventory, keep: object) -> set[str]:
    assert callable(keep)
    return {d.name for d in inv.devices.values() if keep(d)}


# --- parsing ---------------------------------------------------------------------------------


def test_parse_reads_terms_and_operators() -> None:
    q = parse("district=q1&level=thcs, *-sw1 !79760012-sw1")
    assert q.terms == (
        Term("+", "district", "q1"),
        Term("&", "level", "thcs"),
        Term("+", None, "*-sw1"),
        Term("!", None, "79760012-sw1"),
    )
    assert str(q) == "district=q1&level=thcs,*-sw1!79760012-sw1"
    assert parse(["district=q1", "&role=router"]) == parse("district=q1&role=router")
    assert parse("a,&!b").terms[1] == Term("!", None, "b")  # '&!': and not
    assert parse("") == parse([]) == Query()
    assert parse(" District = Quận 1 ").terms == (Term("+", "district", "Quận 1"),)


def test_a_parsed_selection_is_frozen_and_hashable() -> None:
    q = parse("district=q1&level=thcs")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.terms = ()  # type: ignore[misc]
    assert hash(q) == hash(parse("district=q1&level=thcs"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("distrct=q1", "no key 'distrct'; did you mean 'district'?"),
        ("colour=red", "use one of district, site, level, role, platform, kind"),
        ("district=", "no value after '='"),
        ("district=q1&", "nothing after '&'"),
        ("a&&b", "'&&' is no operator"),
        ("a!!b", "'!!' is no operator"),
    ],
)
def test_parse_refuses_what_the_language_does_not_know(text: str, message: str) -> None:
    with pytest.raises(SelectionError, match=message.replace("?", r"\?")):
        parse(text)


# --- each term -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["760", "1", "q1", "Q1", "Quận 1", "quan 1", "QUAN 1", "district_q1", "q*", "Quận ?"],
)
def test_district_by_code_number_slug_or_name(small: Inventory, spelling: str) -> None:
    expect = where(small, lambda d: d.district == "760")
    if spelling == "district_q1":  # the Ansible group's name is not the district's
        with pytest.raises(SelectionError):
            select(small, f"district={spelling}")
        return
    assert names(small, f"district={spelling}") == expect


def test_district_by_part_of_its_name(small: Inventory) -> None:
    expect = where(small, lambda d: d.district == "785")
    for spelling in ("binh chanh", "Bình Chánh", "binh_chanh", "binh-chanh", "huyen binh chanh"):
        assert names(small, f"district={spelling}") == expect


def test_site_by_code_or_name(small: Inventory) -> None:
    expect = set(small.sites["79760012"].devices)
    for spelling in ("79760012", "Trường Tiểu học Lê Ngọc Hân", "le ngoc han", "LÊ NGỌC HÂN"):
        assert names(small, f"site={spelling}") == expect
    assert names(small, "site=pgd-*") == where(small, lambda d: d.site.startswith("PGD-"))
    assert names(small, "site=*tieu hoc*") == where(
        small, lambda d: small.sites[d.site].kind == "school"
    )


def test_level_role_platform_and_kind(small: Inventory) -> None:
    assert names(small, "level=tieu_hoc") == where(
        small, lambda d: small.sites[d.site].level == "tieu_hoc"
    )
    assert names(small, "level=Tieu Hoc") == names(small, "level=tieu_hoc")
    assert names(small, "role=router") == where(small, lambda d: d.role == "router")
    assert names(small, "role=*switch") == where(small, lambda d: d.role.endswith("switch"))
    assert names(small, "platform=cisco_ios") == where(
        small, lambda d: d.platform.name == "cisco_ios"
    )
    assert names(small, "kind=district_office") == where(
        small, lambda d: small.sites[d.site].kind == "district_office"
    )


def test_bare_names_globs_and_regexes(small: Inventory) -> None:
    assert names(small, "79760012-sw1") == {"79760012-sw1"}
    assert names(small, "79760012-SW1") == {"79760012-sw1"}
    ip = str(small.devices["79760012-sw1"].mgmt_ip)
    assert names(small, ip) == {"79760012-sw1"}
    assert names(small, "*-sw?") == where(small, lambda d: d.name[:-1].endswith("-sw"))
    assert names(small, "7976001[0-9]-*") == set(small.sites["79760012"].devices)
    assert names(small, "~^pgd-q1-") == {"pgd-q1-rt1", "pgd-q1-sw1"}


def test_groups_a_caller_adds(small: Inventory) -> None:
    groups = {"core": {"pgd-q1-rt1", "ttdl-rt1"}}
    assert select(small, "core&role=router", groups).devices == ("ttdl-rt1", "pgd-q1-rt1")
    with pytest.raises(
        SelectionError, match="no device or group 'cor' in the inventory; did you mean 'core'"
    ):
        select(small, "cor", groups)


# --- combining -------------------------------------------------------------------------------


def test_and_or_not(small: Inventory) -> None:
    q1, routers = names(small, "district=q1"), names(small, "role=router")
    assert names(small, "district=q1&role=router") == q1 & routers
    assert names(small, "district=q1,role=router") == q1 | routers
    assert names(small, "district=q1!role=router") == q1 - routers
    assert names(small, "!role=router") == set(small.devices) - routers
    assert names(small, "&role=router") == routers
    # & and ! apply to the whole selection, wherever they are written
    assert names(small, "role=router&district=q1,kind=school") == names(
        small, "role=router,kind=school&district=q1"
    )


def test_results_are_in_inventory_order_with_their_sites(small: Inventory) -> None:
    chosen = select(small, "*-rt1,district=q1")
    assert list(chosen.devices) == [n for n in small.devices if n in chosen.devices]
    assert list(chosen.sites) == [
        c for c in small.sites if any(small.devices[n].site == c for n in chosen.devices)
    ]
    assert select(small).devices == tuple(small.devices)


# --- errors say what was meant ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("district=atlantis", "'district=atlantis': no district 'atlantis' in the inventory"),
        ("district=q11", "did you mean 'q1'?"),
        ("level=thc", "'level=thc': no level 'thc'; did you mean 'thcs'?"),
        ("role=switch", "did you mean 'core_switch' or 'access_switch'?"),
        ("platform=cisco", "did you mean 'cisco_xe' or 'cisco_ios'?"),
        ("kind=schol", "did you mean 'school'?"),
        ("site=NOPE*", "'site=NOPE*': no site matches"),
        ("79760012-sw", "no device '79760012-sw' in the inventory; did you mean '79760012-sw1'"),
        ("level=thpt", "'level=thpt' matches no device"),  # a level, but no such school here
        ("nowhere-*", "'nowhere-*' matches no device"),
        ("~(", "'~(': missing )"),
        ("site=truong tieu hoc", "names 3 sites: 79760012 (Trường Tiểu học Lê Ngọc Hân), "),
    ],
)
def test_errors_name_close_matches(small: Inventory, text: str, message: str) -> None:
    with pytest.raises(SelectionError) as e:
        select(small, text)
    assert message in str(e.value)


# --- lookup ----------------------------------------------------------------------------------


def test_lookup_by_any_spelling(small: Inventory) -> None:
    assert lookup(small, "site", "79760012") == "79760012"
    assert lookup(small, "site", "pgd-q1") == "PGD-Q1"
    assert lookup(small, "site", "le ngoc han") == "79760012"
    assert lookup(small, "site", "Trường Tiểu học Lê Ngọc Hân") == "79760012"
    assert lookup(small, "district", "Huyện Bình Chánh") == "785"
    assert lookup(small, "district", "1") == "760"
    ip = str(small.devices["pgd-q1-rt1"].mgmt_ip)
    assert lookup(small, "device", ip) == "pgd-q1-rt1"
    app = next(iter(small.applications.values()))
    assert lookup(small, "application", fold(app.name)) == app.code
    assert lookup(small, "application", app.code.lower()) == app.code
    link = next(iter(small.links))
    assert lookup(small, "link", link.upper()) == link


def test_lookup_misses_with_did_you_mean(small: Inventory) -> None:
    with pytest.raises(NotFound, match="no site 'PGD-Q2' in the inventory; did you mean 'PGD-Q1'"):
        lookup(small, "site", "PGD-Q2")
    with pytest.raises(NotFound, match="names 3 sites"):
        lookup(small, "site", "tieu hoc")
    with pytest.raises(NotFound, match="no kind of thing 'school'"):
        lookup(small, "school", "79760012")
    assert find("port", "GI0/1", ["Gi0/1", "Gi0/2"]) == "Gi0/1"
    assert find("district", "Quan 1", ["Quận 1"]) == "Quận 1"


# --- properties ------------------------------------------------------------------------------

TERMS = [
    "district=q1",
    "district=binh chanh",
    "site=79760012",
    "site=pgd-*",
    "level=tieu_hoc",
    "role=router",
    "role=*switch",
    "platform=cisco_ios",
    "kind=school",
    "*-rt1",
    "ttdl-*",
    "~-ap[0-9]$",
]
terms = st.sampled_from(TERMS)


@settings(max_examples=60, deadline=None)
@given(a=terms, b=terms)
def test_operators_are_set_algebra(small: Inventory, a: str, b: str) -> None:
    sa, sb = names(small, a), names(small, b)
    assert names(small, f"{a},{b}") == sa | sb
    assert names(small, f"{a}&{b}") == sa & sb
    assert names(small, f"{a}!{b}") == sa - sb
    assert names(small, f"!{b}") == set(small.devices) - sb


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "&", "!"]), terms), min_size=1, max_size=5))
def test_order_does_not_matter_and_text_round_trips(
    small: Inventory, parts: list[tuple[str, str]]
) -> None:
    text = ",".join(op + t for op, t in parts)
    q = parse(text)
    assert parse(str(q)) == q
    again = ",".join(op + t for op, t in reversed(parts))
    assert select(small, q) == select(small, again)


@given(st.text(max_size=30))
def test_fold_is_idempotent_and_plain(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once == once.strip() and "  " not in once and "_" not in once
