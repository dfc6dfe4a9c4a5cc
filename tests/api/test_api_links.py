"""``/api/v1/links`` on the small city (24 links: 7 uplinks, 3 Internet uplinks, 14 LAN)."""

from __future__ import annotations

from typing import Any

from api_harness import Api


def _get(api: Api, url: str) -> Any:
    return api.client.get(url, headers=api.headers("inventory:read"))


def _ids(api: Api, query: str) -> list[str]:
    r = _get(api, f"/api/v1/links?{query}")
    assert r.status_code == 200, r.text
    return [link["id"] for link in r.json()["items"]]


def test_lists_links(api: Api) -> None:
    body = _get(api, "/api/v1/links").json()
    assert body["total"] == 24
    first = body["items"][0]
    assert first["id"] == "so-gddt-up1" and first["p2p"] == "10.20.0.8/31"
    assert first["a"]["site"] == "SO-GDDT" and first["b"]["site"] == "TTDL"


def test_filters(api: Api) -> None:
    assert _ids(api, "kind=internet") == ["ttdl-up1", "ttdl-up2", "79760031-up2"]
    assert _ids(api, "kind=uplink&district=785") == [
        "pgd-binh-chanh-up1",
        "pgd-binh-chanh-up2",
        "79785007-up1",
    ]
    assert _ids(api, "site=79760031&kind=uplink") == ["79760031-up1"]
    assert _ids(api, "medium=ftth") == ["79760031-up2"]
    assert _ids(api, "isp=viettel") == ["ttdl-up2", "pgd-binh-chanh-up2", "79760031-up2"]
    assert _ids(api, "site=NOWHERE") == []
    r = _get(api, "/api/v1/links?medium=carrier-pigeon")
    assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "medium"


def test_pagination_edges(api: Api) -> None:
    everything = _ids(api, "limit=500&sort=-bandwidth_mbps,id")
    paged = [
        i
        for o in range(0, 24, 10)
        for i in _ids(api, f"limit=10&offset={o}&sort=-bandwidth_mbps,id")
    ]
    assert paged == everything and len(everything) == 24
    last = _get(api, "/api/v1/links?limit=10&offset=20").json()
    assert len(last["items"]) == 4 and last["next_offset"] is None
    assert _get(api, "/api/v1/links?offset=100").json()["items"] == []
    assert _get(api, "/api/v1/links?limit=0").status_code == 422
    only = _get(api, "/api/v1/links?fields=id,isp&limit=1").json()["items"][0]
    assert only == {"id": "so-gddt-up1", "isp": "VNPT"}


def test_one_link_and_404(api: Api) -> None:
    body = _get(api, "/api/v1/links/79760031-up2").json()
    assert body["kind"] == "internet" and body["b"]["device"] is None
    r = _get(api, "/api/v1/links/nope-up9")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "no link 'nope-up9'"


def test_links_need_inventory_read(api: Api) -> None:
    assert api.client.get("/api/v1/links").status_code == 401
    r = api.client.get("/api/v1/links", headers=api.headers("procurement:read"))
    assert r.status_code == 403
    assert _get(api, "/api/v1/links").status_code == 200
