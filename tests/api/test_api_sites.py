"""``/api/v1/sites`` on the small city (7 sites: Department, data center, 2 district
offices, 3 schools)."""

from __future__ import annotations

from typing import Any

from api_harness import Api


def _get(api: Api, url: str, **headers: str) -> Any:
    return api.client.get(url, headers=api.headers("inventory:read") | headers)


def test_lists_every_site_in_declaration_order(api: Api) -> None:
    r = _get(api, "/api/v1/sites")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 7
    assert [s["code"] for s in body["items"]][:3] == ["SO-GDDT", "TTDL", "PGD-Q1"]
    assert body["next_offset"] is None
    assert body["limit"] == 50


def test_filters_by_district_level_and_kind(api: Api) -> None:
    codes = lambda q: [s["code"] for s in _get(api, f"/api/v1/sites?{q}").json()["items"]]  # noqa: E731
    assert codes("district=785") == ["PGD-BINH-CHANH", "79785007"]
    assert codes("kind=school&district=760") == ["79760012", "79760031"]
    assert codes("level=tieu_hoc") == ["79760012", "79760031", "79785007"]
    assert codes("level=thpt") == []
    assert codes("district=999") == []


def test_pagination_edges(api: Api) -> None:
    first = _get(api, "/api/v1/sites?limit=3").json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3
    last = _get(api, "/api/v1/sites?limit=3&offset=6").json()
    assert len(last["items"]) == 1 and last["next_offset"] is None
    beyond = _get(api, "/api/v1/sites?offset=100").json()
    assert beyond["items"] == [] and beyond["total"] == 7
    pages = [
        s["code"]
        for o in (0, 2, 4, 6)
        for s in _get(api, f"/api/v1/sites?limit=2&offset={o}&sort=district").json()["items"]
    ]
    assert len(pages) == len(set(pages)) == 7  # stable order: no repeats across pages


def test_page_size_is_bounded(api: Api) -> None:
    r = _get(api, "/api/v1/sites?limit=501")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["invalid_params"][0]["name"] == "limit"


def test_sort_and_fields(api: Api) -> None:
    body = _get(api, "/api/v1/sites?kind=school&sort=-pupils&fields=code,pupils").json()
    assert body["items"] == [
        {"code": "79760012", "pupils": 1450},
        {"code": "79785007", "pupils": 1210},
        {"code": "79760031", "pupils": 980},
    ]
    bad = _get(api, "/api/v1/sites?sort=colour")
    assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "sort"
    bad = _get(api, "/api/v1/sites?fields=code,colour")
    assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "fields"


def test_one_site_has_vlans_and_devices(api: Api) -> None:
    r = _get(api, "/api/v1/sites/TTDL")
    assert r.status_code == 200
    body = r.json()
    assert {v["name"] for v in body["vlans"]} == {"management", "applications", "dmz"}
    dmz = next(v for v in body["vlans"] if v["name"] == "dmz")
    assert dmz["prefix"] == "10.0.40.0/24"
    assert [d["name"] for d in body["device_list"]] == ["ttdl-rt1", "ttdl-srv1", "ttdl-srv2"]
    assert _get(api, "/api/v1/sites/pgd-q1").json()["code"] == "PGD-Q1"


def test_unknown_site_is_a_404_problem(api: Api) -> None:
    r = _get(api, "/api/v1/sites/NOWHERE")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "no site 'NOWHERE'",
        "instance": "/api/v1/sites/NOWHERE",
    }


def test_sites_need_inventory_read(api: Api) -> None:
    assert api.client.get("/api/v1/sites").status_code == 401
    assert _get(api, "/api/v1/sites").status_code == 200
    r = api.client.get("/api/v1/sites", headers=api.headers("topology:read"))
    assert r.status_code == 403
    assert "inventory:read" in r.json()["detail"]
    assert api.client.get("/api/v1/sites", headers=api.headers("admin")).status_code == 200


def test_unknown_query_parameter_is_refused(api: Api) -> None:
    r = _get(api, "/api/v1/sites?distrct=760")
    assert r.status_code == 422
    assert r.json()["invalid_params"][0]["name"] == "distrct"
    assert "district" in r.json()["detail"]


def test_repeated_query_parameter_is_refused(api: Api) -> None:
    r = _get(api, "/api/v1/sites?district=760&district=785")
    assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "district"
