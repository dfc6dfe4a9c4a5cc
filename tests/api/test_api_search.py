"""``q=`` on ``/api/v1/sites`` and ``/api/v1/devices``: what ``edunet find`` finds (the same
core function), best first unless ``sort=`` is given, with the other filters, on the small
city."""

from __future__ import annotations

from typing import Any

from api_harness import Api

from edunet.select import search


def _keys(api: Api, url: str, key: str) -> list[str]:
    r = api.client.get(url, headers=api.headers("inventory:read"))
    assert r.status_code == 200, r.text
    return [item[key] for item in r.json()["items"]]


def _sites(api: Api, query: str) -> list[str]:
    return _keys(api, f"/api/v1/sites?{query}", "code")


def _devices(api: Api, query: str) -> list[str]:
    return _keys(api, f"/api/v1/devices?{query}", "name")


def _inventory(api: Api) -> Any:
    return api.app.state.snapshots.current.inventory


def test_sites_by_a_name_without_diacritics(api: Api) -> None:
    assert _sites(api, "q=le%20ngoc%20han") == ["79760012"]
    assert _sites(api, "q=L%C3%8A%20NG%E1%BB%8CC%20H%C3%82N") == ["79760012"]  # "LÊ NGỌC HÂN"
    assert _sites(api, "q=binh%20chanh") == ["PGD-BINH-CHANH"]
    assert _sites(api, "q=zzzz") == []


def test_sites_best_first_unless_sorted_and_with_the_other_filters(api: Api) -> None:
    # "tan tuc": a school's name (Trường Tiểu học Tân Túc) before an address (Thị trấn Tân Túc)
    assert _sites(api, "q=tan%20tuc") == ["79785007", "PGD-BINH-CHANH"]
    assert _sites(api, "q=tan%20tuc&sort=-code") == ["PGD-BINH-CHANH", "79785007"]
    assert _sites(api, "q=tan%20tuc&kind=district_office") == ["PGD-BINH-CHANH"]
    assert _sites(api, "q=7976") == ["79760012", "79760031"]
    assert _sites(api, "q=7976&sort=-code") == ["79760031", "79760012"]


def test_devices_by_serial_name_and_management_address(api: Api) -> None:
    assert _devices(api, "q=HEX7A1B2C3") == ["79760012-rt1"]
    assert _devices(api, "q=hex7a") == ["79760012-rt1"]  # the start of a serial
    ip = str(_inventory(api).devices["ttdl-srv2"].mgmt_ip)
    assert _devices(api, f"q={ip}")[0] == "ttdl-srv2"
    assert _devices(api, "q=ttdl&role=server") == ["ttdl-srv1", "ttdl-srv2"]
    assert _devices(api, "q=ttdl&district=785") == []


def test_the_api_answers_what_the_core_search_answers(api: Api) -> None:
    inv = _inventory(api)
    for text in ("le ngoc han", "79760012", "rt1", "ben nghe", "tan tuc"):
        for kind, get in (("site", _sites), ("device", _devices)):
            want = [m.key for m in search(inv, text, kinds=(kind,))][:50]
            assert get(api, "q=" + text.replace(" ", "%20")) == want, (kind, text)


def test_q_is_documented_with_an_example(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    for path in ("/api/v1/sites", "/api/v1/devices"):
        params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        q = params["q"]
        assert "edunet find" in q["description"]
        assert q["schema"]["examples"] == ["le ngoc han"]
    r = api.client.get("/api/v1/sites?q=", headers=api.headers("inventory:read"))
    assert r.status_code == 422  # an empty search is refused, not the whole city
