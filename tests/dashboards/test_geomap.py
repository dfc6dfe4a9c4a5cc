"""The City and District dashboards map every site with a location: a Geomap panel whose
markers sit at edunet:site_info's lat/lon and show edunet:site_up."""

from __future__ import annotations

import json

import pytest
from support.processes import ROOT

from monitors import contract as c


@pytest.mark.parametrize("uid", ["edunet-city", "edunet-district"])
def test_the_dashboard_maps_the_sites(uid: str) -> None:
    board = json.loads((ROOT / "dashboards" / "grafana" / f"{uid}.json").read_text("utf-8"))
    maps = [p for p in board["panels"] if p["type"] == "geomap"]
    assert len(maps) == 1
    expr = maps[0]["targets"][0]["expr"]
    assert str(c.SITE_UP) in expr and f"group_left(lat, lon) {c.SITE_INFO}" in expr
    layer = maps[0]["options"]["layers"][0]
    assert layer["location"] == {"mode": "coords", "latitude": "lat", "longitude": "lon"}


def test_site_info_carries_the_sample_citys_locations() -> None:
    rules = (ROOT / "monitors" / "prometheus" / "rules" / "edunet-topology.rules.yml").read_text()
    assert rules.count("lat: '10.") + rules.count("lat: '11.") >= 180
