"""A token limited to Quận 1 (district 760) over the sample city: every route of the OpenAPI
schema walked, and no answer names another district's site, device, link or district;
lists hold Quận 1's objects only, another district's objects are 404s exactly as unknown
ones, downloads hold Quận 1's rows."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from api_harness import make_api
from fastapi.testclient import TestClient

from api.auth import Scope, create_token
from api.sight import HIDDEN
from edunet.access import CORE_KINDS, Reach, served_site
from edunet.model import Inventory

SAMPLE = Path(__file__).parent.parent.parent / "inventory.yaml"
Q1 = "760"
UNKNOWN = "NO-SUCH-9999"


@dataclass
class City:
    client: TestClient
    inv: Inventory
    q1: dict[str, str]  # headers of the Quận 1 token
    city: dict[str, str]  # headers of a whole-city token
    school: dict[str, str]  # headers of a token for one school of Quận 1
    other_school: str
    other_device: str
    other_link: str
    forbidden_names: frozenset[str]  # other districts' site codes, device names, link ids
    forbidden_exact: frozenset[str]  # and their district codes and names


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    app, settings, tokens = make_api(tmp_path_factory.mktemp("reach"), source=SAMPLE)
    q1 = create_token(settings.tokens_path(), [Scope.admin], "noc q1", Reach(frozenset({Q1})))
    inv: Inventory = app.state.snapshots.current.inventory
    mine = next(s for s in inv.schools() if s.district == Q1 and s.uplinks)
    school = create_token(
        settings.tokens_path(), [Scope.admin], "it", Reach(sites=frozenset({mine.code}))
    )
    app.state.tokens.reload_if_changed()
    seen = {c for c, s in inv.sites.items() if s.district == Q1 or s.kind in CORE_KINDS}
    hidden_sites = set(inv.sites) - seen
    served = {i: served_site(ln) for i, ln in inv.links.items()}
    other_school = next(s for s in inv.schools() if s.district != Q1)
    with TestClient(app) as client:
        yield City(
            client=client,
            inv=inv,
            q1={"Authorization": f"Bearer {q1}"},
            city={"Authorization": f"Bearer {tokens['admin']}"},
            school={"Authorization": f"Bearer {school}"},
            other_school=other_school.code,
            other_device=other_school.devices[0],
            other_link=other_school.uplinks[0],
            forbidden_names=frozenset(hidden_sites)
            | {d for d, dev in inv.devices.items() if dev.site in hidden_sites}
            | {i for i, s in served.items() if s in hidden_sites},
            forbidden_exact=frozenset(
                x for k, d in inv.districts.items() if k != Q1 for x in (k, d.name)
            ),
        )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def _cells(content_type: str, body: bytes) -> Iterator[str]:
    if content_type.startswith("text/csv"):
        for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
            yield from row
    elif "spreadsheetml" in content_type:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                yield from (str(c) for c in row if c is not None)
    elif "json" in content_type:
        yield from _strings(json.loads(body))
    else:
        yield body.decode()


def _leaks(city: City, strings: Iterator[str]) -> set[str]:
    found = set()
    for s in strings:
        if s in city.forbidden_exact or s in city.forbidden_names:
            found.add(s)
        elif len(s) > 4:
            # a name inside a longer text: split on what cannot be part of a name
            found |= {w for w in re.split(r"[^\w.:-]+", s) if w in city.forbidden_names}
    return found


def _examples(city: City) -> dict[str, list[str]]:
    """Objects of Quận 1 (and the core) to fill each path parameter with."""
    inv = city.inv
    school = next(s for s in inv.schools() if s.district == Q1 and s.uplinks)
    office = inv.district_office(Q1)
    assert office is not None and office.gateway is not None
    dc = inv.datacenter
    app = next(iter(inv.applications))
    return {
        "/api/v1/sites/{code}": [school.code, office.code],
        "/api/v1/devices/{name}": [school.devices[0], office.gateway],
        "/api/v1/links/{link_id}": [school.uplinks[0], office.uplinks[0]],
        "/api/v1/prefixes/{site}": [school.code],
        "/api/v1/applications/{code}": [app],
        "/api/v1/vms/{name}": list(inv.applications[app].vms[:1]),
        "/api/v1/topology/neighbours/{node}": [
            office.code,
            office.gateway,
            inv.department.code,
            dc.code,
        ],
        "/api/v1/topology/impact/{element}": [
            office.gateway,
            school.uplinks[0],
            dc.gateway or dc.devices[0],
            inv.department.code,
            "isp:VNPT",
        ],
    }


def _variants(city: City, path: str, params: set[str]) -> list[dict[str, str]]:
    """Queries for one route: its defaults, and whatever could pull in another district."""
    inv = city.inv
    school = next(s for s in inv.schools() if s.district == Q1)
    other = inv.sites[city.other_school]
    out: list[dict[str, str]] = [{}]
    if "a" in params:
        out = [{"a": school.code}, {"a": school.code, "b": inv.department.code}]
    if "q" in params:
        out += [{"q": other.name}, {"q": "truong"}, {"q": other.code}]
    if "district" in params:
        out += [{"district": other.district}, {"district": Q1}]
    if "site" in params:
        out.append({"site": other.code})
    if "hops" in params:
        out.append({"hops": "4"})
    if "min_sites" in params:
        out.append({"min_sites": "1"})
    if "format" in params:
        out += [{"format": "csv"}, {"format": "xlsx"}]
    if "by_district" in params:
        out.append({"by_district": "true"})
    if "include_expired" in params:
        out.append({"include_expired": "true", "months": "240"})
    return out


def _pages(city: City, url: str, query: dict[str, str]) -> Iterator[Any]:
    """Every answer a query gives, every page of a list."""
    query = dict(query)
    while True:
        r = city.client.get(url, params=query, headers=city.q1)
        assert r.status_code == 200, (url, query, r.text)
        yield r
        body = r.json() if "json" in r.headers["content-type"] else {}
        nxt = body.get("next_offset") if isinstance(body, dict) else None
        if nxt is None:
            return
        query |= {"offset": str(nxt), "limit": "500"}


def test_every_route_with_a_district_token_names_only_its_district(city: City) -> None:
    schema = city.client.get("/openapi.json").json()
    examples = _examples(city)
    walked = 0
    for path, ops in schema["paths"].items():
        for op in ops.values():
            params = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
            fills = examples.get(path, [""]) if "{" in path else [""]
            for fill in fills:
                url = re.sub(r"\{\w+\}", fill, path)
                for query in _variants(city, path, params):
                    for r in _pages(city, url, query):
                        walked += 1
                        leaks = _leaks(city, _cells(r.headers["content-type"], r.content))
                        assert not leaks, f"{url} {query}: {sorted(leaks)[:5]}"
    assert walked > 80


@pytest.mark.parametrize(
    "template",
    [
        "/api/v1/sites/{}",
        "/api/v1/devices/{}",
        "/api/v1/links/{}",
        "/api/v1/prefixes/{}",
        "/api/v1/topology/neighbours/{}",
        "/api/v1/topology/impact/{}",
        "/api/v1/topology/paths?a={}",
    ],
)
def test_another_districts_object_is_a_404_like_an_unknown_one(city: City, template: str) -> None:
    name = {
        "/api/v1/devices/{}": city.other_device,
        "/api/v1/links/{}": city.other_link,
    }.get(template, city.other_school)
    there = city.client.get(template.format(name), headers=city.q1)
    unknown = city.client.get(template.format(UNKNOWN), headers=city.q1)
    assert there.status_code == unknown.status_code == 404
    assert there.text.replace(name, UNKNOWN) == unknown.text
    assert city.client.get(template.format(name), headers=city.city).status_code == 200


def _all(city: City, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for r in _pages(city, url, {"limit": "500"}):
        items += r.json()["items"]
    return items


def test_every_list_holds_only_quan_1(city: City) -> None:
    inv = city.inv
    q1_sites = {c for c, s in inv.sites.items() if s.district == Q1}
    sites = _all(city, "/api/v1/sites")
    assert {s["code"] for s in sites} == q1_sites
    devices = _all(city, "/api/v1/devices")
    assert {d["name"] for d in devices} == {d for s in q1_sites for d in inv.sites[s].devices}
    links = _all(city, "/api/v1/links")
    assert links and all(ln["a"]["site"] in q1_sites for ln in links)
    assert all(p["district"] == Q1 for p in _all(city, "/api/v1/prefixes"))
    assert {s["code"] for s in _all(city, "/api/v1/status/sites")} == q1_sites
    rows = _all(city, "/api/v1/procurement/hardware")
    assert rows and {r["district"] for r in rows} == {Q1}
    summary = city.client.get("/api/v1/procurement/summary", headers=city.q1).json()
    assert summary["count"] == len(rows)
    assert [g["key"] for g in summary["by_district"]] == [Q1]
    spof = _all(city, "/api/v1/topology/spof?min_sites=1")
    assert spof and all(x["district"] in (Q1, None) for x in spof)


def test_the_hardware_csv_holds_only_quan_1_and_is_not_shared_across_reaches(
    city: City,
) -> None:
    url = "/api/v1/procurement/hardware?format=csv&on=2025-09-05"
    whole = city.client.get(url, headers=city.city)  # built first, cached for the city
    part = city.client.get(url, headers=city.q1)
    assert whole.status_code == part.status_code == 200
    rows = list(csv.DictReader(io.StringIO(part.content.decode("utf-8-sig"))))
    everything = list(csv.DictReader(io.StringIO(whole.content.decode("utf-8-sig"))))
    assert rows and {r["district"] for r in rows} == {Q1}
    assert len(rows) == sum(r["district"] == Q1 for r in everything) < len(everything)
    # an answer's tag tells the reaches apart: a city's 304 is no district's
    tag = city.client.get("/api/v1/devices", headers=city.city).headers["etag"]
    again = city.client.get("/api/v1/devices", headers=city.q1 | {"If-None-Match": tag})
    assert again.status_code == 200


def test_topology_counts_what_lies_outside_the_reach(city: City) -> None:
    inv = city.inv
    dc = inv.datacenter
    element = dc.gateway or dc.devices[0]
    mine = city.client.get(f"/api/v1/topology/impact/{element}", headers=city.q1).json()
    whole = city.client.get(f"/api/v1/topology/impact/{element}", headers=city.city).json()
    assert set(mine["sites_cut"]) <= {c for c, s in inv.sites.items() if s.district == Q1}
    assert mine["sites_cut_elsewhere"] + len(mine["sites_cut"]) == len(whole["sites_cut"])
    assert mine["schools_cut"] == whole["schools_cut"]  # counted over the whole city
    assert set(mine["by_district"]) <= {Q1}
    # a Quận 1 school's way to the data center: named through the core
    school = next(s for s in inv.schools() if s.district == Q1 and s.uplinks)
    paths = city.client.get(f"/api/v1/topology/paths?a={school.code}", headers=city.q1).json()
    assert paths["paths"] and all(
        HIDDEN not in p["nodes"] and p["nodes"][-1] in dc.devices for p in paths["paths"]
    )
    around = city.client.get(
        f"/api/v1/topology/neighbours/{inv.department.code}?hops=1", headers=city.q1
    ).json()
    assert around["elsewhere"] > 0  # the other districts' offices, counted only


def test_a_school_token_sees_its_school_and_its_uplinks(city: City) -> None:
    inv = city.inv
    school = next(s for s in inv.schools() if s.district == Q1 and s.uplinks)
    get = city.client.get
    sites = get("/api/v1/sites", headers=city.school).json()["items"]
    assert [s["code"] for s in sites] == [school.code]
    links = get("/api/v1/links?limit=500", headers=city.school).json()["items"]
    assert set(school.uplinks) <= {ln["id"] for ln in links}
    assert all(ln["a"]["site"] == school.code for ln in links)
    office = inv.district_office(Q1)
    assert office is not None
    assert get(f"/api/v1/sites/{office.code}", headers=city.school).status_code == 404
