"""``/api/v1/prefixes`` on the small city (7 sites, 24 VLANs)."""

from __future__ import annotations

from typing import Any

from api_harness import Api


def _get(api: Api, url: str) -> Any:
    return api.client.get(url, headers=api.headers("inventory:read"))


def _rows(api: Api, query: str) -> list[tuple[str, str]]:
    r = _get(api, f"/api/v1/prefixes?{query}")
    assert r.status_code == 200, r.text
    return [(p["site"], p["vlan"]) for p in r.json()["items"]]


def test_lists_every_vlan_of_every_site(api: Api) -> None:
    body = _get(api, "/api/v1/prefixes?limit=500").json()
    assert body["total"] == 24
    first = body["items"][0]
    assert (first["site"], first["vlan"], first["vlan_id"]) == ("SO-GDDT", "management", 10)
    assert first["prefix"] == "10.32.0.64/26" and first["gateway"] == "10.32.0.65"


def test_filters(api: Api) -> None:
    assert _rows(api, "site=TTDL") == [
        ("TTDL", "management"),
        ("TTDL", "applications"),
        ("TTDL", "dmz"),
    ]
    assert _rows(api, "district=785&vlan=management") == [
        ("PGD-BINH-CHANH", "management"),
        ("79785007", "management"),
    ]
    assert _rows(api, "vlan=lab&district=760") == [("79760012", "lab"), ("79760031", "lab")]
    assert _rows(api, "site=NOWHERE") == []


def test_pagination_edges(api: Api) -> None:
    everything = _rows(api, "limit=500&sort=-prefix")
    paged = [r for o in range(0, 24, 7) for r in _rows(api, f"limit=7&offset={o}&sort=-prefix")]
    assert paged == everything
    last = _get(api, "/api/v1/prefixes?limit=7&offset=21").json()
    assert len(last["items"]) == 3 and last["next_offset"] is None
    assert _get(api, "/api/v1/prefixes?sort=colour").status_code == 422


def test_one_site_and_404(api: Api) -> None:
    body = _get(api, "/api/v1/prefixes/ttdl").json()
    assert body["site"] == "TTDL" and body["total"] == 3
    assert [p["prefix"] for p in body["items"]][1:] == ["10.0.10.0/24", "10.0.40.0/24"]
    r = _get(api, "/api/v1/prefixes/NOWHERE")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_prefixes_need_inventory_read(api: Api) -> None:
    assert api.client.get("/api/v1/prefixes").status_code == 401
    r = api.client.get("/api/v1/prefixes", headers=api.headers("topology:read"))
    assert r.status_code == 403
    assert _get(api, "/api/v1/prefixes").status_code == 200
