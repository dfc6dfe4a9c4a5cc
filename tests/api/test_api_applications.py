"""``/api/v1/applications`` and ``/api/v1/vms`` on the small city (the portal on two VMs)."""

from __future__ import annotations

from typing import Any

from api_harness import Api


def _get(api: Api, url: str) -> Any:
    return api.client.get(url, headers=api.headers("inventory:read"))


def _names(api: Api, query: str) -> list[str]:
    r = _get(api, f"/api/v1/vms?{query}")
    assert r.status_code == 200, r.text
    return [v["name"] for v in r.json()["items"]]


def test_lists_applications(api: Api) -> None:
    body = _get(api, "/api/v1/applications").json()
    assert body["total"] == 1
    assert body["items"][0]["code"] == "portal"
    assert body["items"][0]["vms"] == ["portal-01", "portal-02"]
    assert _get(api, "/api/v1/applications?criticality=critical").json()["total"] == 1
    assert _get(api, "/api/v1/applications?exposure=internal").json()["total"] == 0


def test_one_application_has_its_vms(api: Api) -> None:
    body = _get(api, "/api/v1/applications/portal").json()
    assert [v["node"] for v in body["vm_list"]] == ["ttdl-srv1", "ttdl-srv2"]
    assert body["vm_list"][0]["ip"] == "10.0.40.10/24"
    assert body["serving"] == ["portal-01", "portal-02"]
    r = _get(api, "/api/v1/applications/lms")
    assert r.status_code == 404 and r.json()["detail"] == "no application 'lms'"


def test_vm_filters_and_pagination(api: Api) -> None:
    assert _names(api, "") == ["portal-01", "portal-02"]
    assert _names(api, "node=ttdl-srv2") == ["portal-02"]
    assert _names(api, "application=portal&segment=dmz") == ["portal-01", "portal-02"]
    assert _names(api, "segment=applications") == []
    assert _names(api, "sort=-name&limit=1&offset=0") == ["portal-02"]
    last = _get(api, "/api/v1/vms?limit=1&offset=1").json()
    assert last["items"][0]["name"] == "portal-02" and last["next_offset"] is None
    assert _get(api, "/api/v1/vms?offset=2").json()["items"] == []
    assert _get(api, "/api/v1/vms?nodes=x").status_code == 422


def test_one_vm_and_404(api: Api) -> None:
    assert _get(api, "/api/v1/vms/portal-02").json()["vlan_id"] == 140
    assert _get(api, "/api/v1/vms/portal-09").status_code == 404


def test_applications_need_inventory_read(api: Api) -> None:
    for url in ("/api/v1/applications", "/api/v1/vms/portal-01"):
        assert api.client.get(url).status_code == 401
        assert api.client.get(url, headers=api.headers("procurement:read")).status_code == 403
        assert _get(api, url).status_code == 200
