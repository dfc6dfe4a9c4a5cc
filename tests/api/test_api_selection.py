"""``district=`` and ``site=`` take what the command line takes (``edunet.select.lookup``):
a code, a number, a slug or a name, with or without diacritics."""

from __future__ import annotations

from typing import Any

import pytest
from api_harness import Api


def _items(api: Api, url: str) -> list[Any]:
    r = api.client.get(url, headers=api.headers("inventory:read"))
    assert r.status_code == 200, r.text
    items: list[Any] = r.json()["items"]
    return items


@pytest.mark.parametrize("spelling", ["760", "1", "q1", "Quận 1", "quan 1"])
def test_a_district_by_any_spelling(api: Api, spelling: str) -> None:
    for path in ("sites", "devices", "links", "prefixes"):
        by_code = _items(api, f"/api/v1/{path}?district=760")
        assert by_code and _items(api, f"/api/v1/{path}?district={spelling}") == by_code, path


def test_a_site_by_code_or_name(api: Api) -> None:
    for path in ("devices", "links", "prefixes"):
        by_code = _items(api, f"/api/v1/{path}?site=79760012")
        assert by_code and _items(api, f"/api/v1/{path}?site=le ngoc han") == by_code, path
    assert _items(api, "/api/v1/devices?site=ttdl") == _items(api, "/api/v1/devices?site=TTDL")


def test_a_name_that_names_nothing_keeps_nothing(api: Api) -> None:
    assert _items(api, "/api/v1/sites?district=atlantis") == []
    assert _items(api, "/api/v1/devices?site=tieu hoc") == []  # three schools: none chosen
