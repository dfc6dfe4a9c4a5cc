"""``/api/v1/devices`` on the small city (21 devices; two carry a hardware record)."""

from __future__ import annotations

from typing import Any

from api_harness import Api


def _get(api: Api, url: str) -> Any:
    return api.client.get(url, headers=api.headers("inventory:read"))


def _names(api: Api, query: str) -> list[str]:
    r = _get(api, f"/api/v1/devices?{query}")
    assert r.status_code == 200, r.text
    return [d["name"] for d in r.json()["items"]]


def test_lists_devices(api: Api) -> None:
    body = _get(api, "/api/v1/devices").json()
    assert body["total"] == 21
    first = body["items"][0]
    assert first["name"] == "so-gddt-rt1"
    assert first["role"] == "router" and first["snmp_version"] in ("v2c", "v3", None)


def test_filters(api: Api) -> None:
    assert _names(api, "site=TTDL") == ["ttdl-rt1", "ttdl-srv1", "ttdl-srv2"]
    assert _names(api, "site=TTDL&role=server") == ["ttdl-srv1", "ttdl-srv2"]
    assert _names(api, "district=785&role=router") == ["pgd-binh-chanh-rt1", "79785007-rt1"]
    assert _names(api, "model=PowerEdge%20R740") == ["ttdl-srv1", "ttdl-srv2"]
    assert _names(api, "status=in_service") == ["ttdl-srv1", "79760012-rt1"]
    assert _names(api, "status=retired") == []
    assert _names(api, "site=NOWHERE") == []
    # the site's school level: the district office and the data center have none
    assert _names(api, "district=785&level=tieu_hoc") == [
        "79785007-rt1",
        "79785007-sw1",
        "79785007-ap1",
        "79785007-ap2",
    ]
    assert _names(api, "level=thpt") == []


def test_bad_filter_value_names_the_parameter(api: Api) -> None:
    r = _get(api, "/api/v1/devices?role=toaster")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["invalid_params"][0]["name"] == "role"
    assert "role" in r.json()["detail"]


def test_pagination_and_sort(api: Api) -> None:
    everything = _names(api, "limit=500&sort=-name")
    assert everything == sorted(everything, reverse=True)
    paged = [n for o in range(0, 21, 5) for n in _names(api, f"limit=5&offset={o}&sort=-name")]
    assert paged == everything
    last = _get(api, "/api/v1/devices?limit=5&offset=20").json()
    assert len(last["items"]) == 1 and last["next_offset"] is None
    assert _get(api, "/api/v1/devices?offset=-1").status_code == 422


def test_one_device_has_its_hardware_record_and_model(api: Api) -> None:
    body = _get(api, "/api/v1/devices/79760012-rt1").json()
    assert body["hardware"]["serial"] == "HEX7A1B2C3"
    assert body["hardware"]["warranty_end"] == "2020-08-15"
    assert body["hardware_model"]["model"] == body["model"]
    assert body["status"] == "in_service"
    assert _get(api, "/api/v1/devices/pgd-q1-rt1").json()["hardware"] is None


def test_device_carries_no_credential_fields(api: Api) -> None:
    body = _get(api, "/api/v1/devices/pgd-q1-rt1").json()
    keys = set(body) | set(body["hardware_model"])
    for word in ("community", "password", "key", "secret", "auth", "priv", "user"):
        assert not any(word in k for k in keys), word


def test_unknown_device_is_a_404_problem(api: Api) -> None:
    r = _get(api, "/api/v1/devices/pgd-q9-rt1")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "no device 'pgd-q9-rt1'"


def test_devices_need_inventory_read(api: Api) -> None:
    assert api.client.get("/api/v1/devices").status_code == 401
    r = api.client.get("/api/v1/devices", headers=api.headers("procurement:read"))
    assert r.status_code == 403
    r = api.client.get("/api/v1/devices", headers={"Authorization": "Bearer edn_x_y"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
