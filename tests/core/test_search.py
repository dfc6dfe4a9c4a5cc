"""``edunet.select.search``: what a piece of text finds, best first, on the small city and
the committed sample city."""

from __future__ import annotations

import gc

import pytest

from edunet.model import Inventory
from edunet.select import Match, Rank, search
from edunet.select import search_text as search_module


def first(inv: Inventory, text: str, **kw: object) -> Match:
    found = search(inv, text, **kw)  # type: ignore[arg-type]
    assert found, f"{text!r} finds nothing"
    return found[0]


def test_a_school_by_its_name_without_diacritics(small: Inventory) -> None:
    m = first(small, "le ngoc han")
    assert (m.kind, m.key, m.name, m.rank) == (
        "site",
        "79760012",
        "Trường Tiểu học Lê Ngọc Hân",
        Rank.word,
    )
    assert first(small, "LÊ NGỌC HÂN").key == "79760012"  # case and diacritics alike


def test_a_district_by_its_name_and_d_folds_to_d(sample_city: Inventory) -> None:
    m = first(sample_city, "cu chi")
    assert (m.kind, m.key, m.name) == ("district", "783", "Huyện Củ Chi")
    # đ carries no combining mark; it folds to d all the same
    assert first(sample_city, "ton duc thang").name == "Trường THPT Tôn Đức Thắng"
    assert first(sample_city, "TÔN ĐỨC THẮNG").name == "Trường THPT Tôn Đức Thắng"


def test_exact_code_and_serial_come_first(sample_city: Inventory) -> None:
    m = first(sample_city, "FXS2132PASS")
    assert (m.kind, m.key, m.field, m.rank) == ("device", "so-gddt-rt1", "serial", Rank.exact)
    m = first(sample_city, "79771001")
    assert (m.kind, m.key, m.field, m.rank) == ("site", "79771001", "code", Rank.exact)
    m = first(sample_city, "so-gddt-rt1")
    assert (m.kind, m.key, m.rank) == ("device", "so-gddt-rt1", Rank.exact)
    m = first(sample_city, "SGD-2017-002040")
    assert (m.key, m.field) == ("so-gddt-rt1", "asset_tag")


def test_ranks_exact_then_word_then_prefix_then_substring(sample_city: Inventory) -> None:
    found = search(sample_city, "cu chi")
    ranks = [m.rank for m in found]
    assert ranks == sorted(ranks)
    assert ranks[0] is Rank.exact  # the district's slug
    # the schools of Củ Chi are found by their addresses, whole words
    assert any(m.field == "address" and m.rank is Rank.word for m in found)
    codes = search(sample_city, "79760")
    assert codes and all(m.rank is Rank.prefix and m.field == "code" for m in codes[:5])
    assert [m.key for m in codes if m.kind == "site"] == sorted(
        m.key for m in codes if m.kind == "site"
    )
    inside = first(sample_city, "PASS")  # inside a serial, not at its start
    assert (inside.field, inside.rank) == ("serial", Rank.substring)


def test_an_address_fragment_and_a_management_address(sample_city: Inventory) -> None:
    m = first(sample_city, "tinh lo 8")  # "115/30 Tỉnh lộ 8, Xã Phạm Văn Cội, …"
    assert (m.key, m.field, m.rank) == ("PGD-CU-CHI", "address", Rank.word)
    ip = str(sample_city.devices["pgd-q1-rt1"].mgmt_ip)
    m = first(sample_city, ip)
    assert (m.key, m.field, m.rank) == ("pgd-q1-rt1", "mgmt_ip", Rank.exact)


def test_words_apart_are_found_last(sample_city: Inventory) -> None:
    found = search(sample_city, "nguyen van tiet quan 1")  # a name and an address
    assert [(m.key, m.rank) for m in found] == [("79760002", Rank.words)]
    # whole words only: q1 is not in pgd-q10-rt1
    assert [m.key for m in search(sample_city, "pgd-q1-rt1")] == ["pgd-q1-rt1"]


def test_kinds_narrow_the_search(small: Inventory) -> None:
    assert {m.kind for m in search(small, "79760012", kinds=("device",))} == {"device"}
    assert [m.key for m in search(small, "79760012", kinds=("site",))] == ["79760012"]
    with pytest.raises(ValueError, match="cannot search"):
        search(small, "x", kinds=("vlan",))


def test_nothing_to_search_for_finds_nothing(small: Inventory) -> None:
    assert search(small, "") == search(small, " - ") == []
    assert search(small, "zzzz nothing") == []


def test_the_index_is_built_once_per_inventory_and_dropped_with_it(small: Inventory) -> None:
    search(small, "a")
    index = search_module._INDEXES[id(small)]
    search(small, "b")
    assert search_module._INDEXES[id(small)] is index
    copy = Inventory(**{f: getattr(small, f) for f in small.__dataclass_fields__})
    search(copy, "a")
    key = id(copy)
    assert key in search_module._INDEXES
    del copy
    gc.collect()
    assert key not in search_module._INDEXES


def test_a_misspelling_is_respelled_only_when_nothing_else_is_found(
    sample_city: Inventory,
) -> None:
    found = search(sample_city, "le ngoc hna")
    assert [(m.key, m.rank) for m in found] == [
        ("79771001", Rank.spelling),
        ("79787006", Rank.spelling),
    ]
    assert first(sample_city, "thu duk").name == "Quận Thủ Đức"
    assert search(sample_city, "xyzzy") == []
    # a word that is found as it is, is never respelled
    assert all(m.rank is not Rank.spelling for m in search(sample_city, "tan"))
