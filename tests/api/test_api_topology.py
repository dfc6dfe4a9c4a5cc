"""``/api/v1/topology`` answers what ``edunet topology`` answers, from the same core.

TTDL ── SO-GDDT ── PGD-Q1 ── 79760012, 79760031 (also FTTH to Viettel)
  └──────────── PGD-BINH-CHANH (also to SO-GDDT) ── 79785007
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from api_harness import Api

from edunet.topology import topology_of


def _get(api: Api, url: str) -> Any:
    return api.client.get(url, headers=api.headers("topology:read"))


def _topo(api: Api) -> Any:
    return topology_of(api.app.state.snapshots.current.inventory)


def test_site_neighbours(api: Api) -> None:
    body = _get(api, "/api/v1/topology/neighbours/pgd-q1").json()
    assert body["level"] == "site" and body["node"] == "PGD-Q1"
    assert {n["name"]: n["hops"] for n in body["neighbours"]} == _topo(api).site_neighbours(
        "PGD-Q1", 1
    )


def test_device_neighbours_within_two_hops(api: Api) -> None:
    body = _get(api, "/api/v1/topology/neighbours/pgd-q1-rt1?hops=2").json()
    assert body["level"] == "device"
    expected = _topo(api).neighbours("pgd-q1-rt1", 2)
    assert {n["name"]: n["hops"] for n in body["neighbours"]} == expected
    # the core's order, as the CLI prints it: nearest first, then names as people sort them
    assert [n["name"] for n in body["neighbours"]] == list(expected)
    hops = [n["hops"] for n in body["neighbours"]]
    assert hops == sorted(hops)


def test_hops_are_bounded(api: Api) -> None:
    r = _get(api, "/api/v1/topology/neighbours/PGD-Q1?hops=17")
    assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "hops"


def test_path_to_the_data_center_and_between_sites(api: Api) -> None:
    body = _get(api, "/api/v1/topology/paths?a=79760012").json()
    [p] = _topo(api).path_to_datacenter("79760012")
    assert body["paths"] == [{"nodes": list(p.nodes), "links": list(p.links), "hops": p.hops}]
    between = _get(api, "/api/v1/topology/paths?a=79760012&b=79785007").json()
    assert between["paths"] and all(p["hops"] >= 1 for p in between["paths"])


def test_impact_matches_the_core(api: Api) -> None:
    body = _get(api, "/api/v1/topology/impact/pgd-q1-rt1").json()
    expected = asdict(_topo(api).impact("pgd-q1-rt1"))
    expected["sites_cut"] = list(expected["sites_cut"])
    expected["sites_cut_elsewhere"] = 0
    assert body == expected
    assert body["sites_cut"] == ["79760012", "PGD-Q1"]


def test_an_isp_down_takes_the_uplinks_it_carries(api: Api) -> None:
    """VNPT carries the district offices' and 79760012's MetroNet uplinks: the API answers
    what the core and the CLI answer, an ISP of kind "isp"."""
    body = _get(api, "/api/v1/topology/impact/isp:VNPT").json()
    core = _topo(api).impact("isp:VNPT")
    assert body["kind"] == "isp" and body["element"] == "isp:VNPT"
    assert body["sites_cut"] == list(core.sites_cut) and "79760012" in body["sites_cut"]
    assert "79760031" not in body["sites_cut"]  # its FTTH to Viettel keeps it up
    spofs = _get(api, "/api/v1/topology/spof?min_sites=1&limit=500").json()["items"]
    assert {s["kind"] for s in spofs if s["element"].startswith("isp:")} == {"isp"}


def test_spof_worst_first_and_paged(api: Api) -> None:
    body = _get(api, "/api/v1/topology/spof?min_sites=1&limit=2").json()
    core = _topo(api).spof(min_sites=1)
    assert body["total"] == len(core)
    assert [s["element"] for s in body["items"]] == [s.element for s in core[:2]]
    assert body["next_offset"] == (2 if len(core) > 2 else None)


def test_unknown_names_are_404_problems(api: Api) -> None:
    for url in (
        "/api/v1/topology/impact/nothing-here",
        "/api/v1/topology/paths?a=NOWHERE",
        "/api/v1/topology/neighbours/no-such-rt1",
    ):
        r = _get(api, url)
        assert r.status_code == 404, url
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"]


def test_topology_needs_topology_read(api: Api) -> None:
    url = "/api/v1/topology/spof"
    assert api.client.get(url).status_code == 401
    assert api.client.get(url, headers=api.headers("inventory:read")).status_code == 403
    assert api.client.get(url, headers=api.headers("topology:read")).status_code == 200
