"""Each API entity is spelled once, in its field table (``api/entities/``): its response
model, its OpenAPI schema and a real answer show exactly the table's fields, in the table's
order, and every sort column is a field that the list route accepts in ``sort=``."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_harness import Api, make_api
from fastapi.testclient import TestClient

import api.entities
from api.fields import Field, Table

Objects = Callable[[Any], list[dict[str, Any]]]


def _items(body: Any) -> list[dict[str, Any]]:
    return list(body["items"])


def _whole(body: Any) -> list[dict[str, Any]]:
    return [body]


def _ends(body: Any) -> list[dict[str, Any]]:
    return [i[end] for i in body["items"] for end in ("a", "b")]


# where a real answer shows each entity: response model title -> (URL, its objects in the body)
SHOWN: dict[str, tuple[str, Objects]] = {
    "DeviceOut": ("/devices", _items),
    "DeviceDetail": ("/devices/79760012-rt1", _whole),
    "HardwareOut": ("/devices/79760012-rt1", lambda b: [b["hardware"]]),
    "ModelOut": ("/devices/79760012-rt1", lambda b: [b["hardware_model"]]),
    "SiteOut": ("/sites", _items),
    "SiteDetail": ("/sites/79760012", _whole),
    "VlanOut": ("/sites/79760012", lambda b: list(b["vlans"])),
    "LinkOut": ("/links", _items),
    "EndpointOut": ("/links", _ends),
    "PrefixOut": ("/prefixes", _items),
    "SitePrefixes": ("/prefixes/79760012", _whole),
    "ApplicationOut": ("/applications", _items),
    "ApplicationDetail": ("/applications/portal", _whole),
    "VmOut": ("/vms", _items),
    "SpofOut": ("/topology/spof?min_sites=1", _items),
    "HardwareRowOut": ("/procurement/hardware?on=2025-09-05", _items),
}
# the list route whose sort= takes each entity's columns
LISTED: dict[str, str] = {
    "DeviceOut": "/devices",
    "SiteOut": "/sites",
    "LinkOut": "/links",
    "PrefixOut": "/prefixes",
    "ApplicationOut": "/applications",
    "VmOut": "/vms",
    "SpofOut": "/topology/spof?min_sites=1",
    "HardwareRowOut": "/procurement/hardware?on=2025-09-05",
}


def _tables() -> list[Table[Any]]:
    found: dict[int, Table[Any]] = {}
    for module in pkgutil.iter_modules(api.entities.__path__, "api.entities."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Table):
                found[id(value)] = value
    return sorted(found.values(), key=lambda t: t.title)


TABLES = _tables()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    app, settings, tokens = make_api(Path(tmp_path_factory.mktemp("fields")))
    with TestClient(app) as client:
        yield Api(app, client, settings, tokens)


def _body(api: Api, url: str) -> Any:
    r: Any = api.get("/api/v1" + url)
    assert r.status_code == 200, (url, r.text)
    return r.json()


def test_every_entity_is_checked_against_a_real_answer() -> None:
    assert TABLES
    assert sorted(t.title for t in TABLES) == sorted(SHOWN)
    # a detail answer extends a listed entity and keeps its columns, but has no list itself
    assert {t.title for t in TABLES if t.columns and t.base is None} == set(LISTED)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.title)
def test_the_response_model_has_the_table_fields(served: Api, table: Table[Any]) -> None:
    assert tuple(table.model.model_fields) == table.names
    schemas = served.app.openapi()["components"]["schemas"]
    # a list shows its items as "<title>Row", every field optional since fields= may cut it
    shown = [schemas[name] for name in (table.title, table.title + "Row") if name in schemas]
    assert shown, f"{table.title} is in no answer of the OpenAPI schema"
    for schema in shown:
        assert tuple(schema["properties"]) == table.names


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.title)
def test_a_real_answer_has_the_table_fields_in_order(served: Api, table: Table[Any]) -> None:
    url, objects = SHOWN[table.title]
    shown = objects(_body(served, url))
    assert shown
    for obj in shown:
        assert tuple(obj) == table.names


@pytest.mark.parametrize("table", [t for t in TABLES if t.title in LISTED], ids=lambda t: t.title)
def test_every_sort_column_is_a_field_the_list_sorts_by(served: Api, table: Table[Any]) -> None:
    assert set(table.columns) <= set(table.names)
    url = LISTED[table.title]
    joiner = "&" if "?" in url else "?"
    everything = _body(served, f"{url}{joiner}limit=500")
    by_field = {f.name: f for f in table.fields}
    for column in table.columns:
        body = _body(served, f"{url}{joiner}limit=500&sort={column}")
        assert body["total"] == everything["total"]
        if by_field[column].sort is True:  # sorted by the value shown: nulls last
            values = [item[column] for item in body["items"]]
            present = [v for v in values if v is not None]
            assert present == sorted(present)
            assert values == present + [None] * (len(values) - len(present))


def test_a_table_refuses_a_field_named_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        Table[Any]("Twice", None, Field("name", str), Field("name", str))


def test_the_example_is_the_fields_examples_and_the_view_reads_each_field() -> None:
    class Thing:
        name = "a"
        size = 3

    table = Table[Thing](
        "ThingOut",
        "A thing.",
        Field("name", str, example="x", sort=True),
        Field("double", int, read=lambda t: t.size * 2, example=6),
    )
    assert table.example == {"name": "x", "double": 6}
    assert table.view(Thing()) == {"name": "a", "double": 6}
    assert list(table.columns) == ["name"]
    assert table.model.model_json_schema()["examples"] == [{"name": "x", "double": 6}]


def test_a_field_read_from_the_inventory_needs_view_in() -> None:
    table = Table[str]("Placed", None, Field("n", int, read_in=lambda inv, s: len(inv.sites)))
    with pytest.raises(TypeError, match="view_in"):
        table.view("x")
