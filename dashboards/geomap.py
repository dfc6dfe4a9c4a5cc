"""A Geomap of the sites' status: each site with a location at its point, green up, red down
(``edunet:site_up`` joined to the ``lat``/``lon`` labels of ``edunet:site_info``)."""

from __future__ import annotations

from grafana_foundation_sdk.builders import geomap
from grafana_foundation_sdk.builders.common import FrameGeometrySource, MapLayerOptions
from grafana_foundation_sdk.models import common

from dashboards.panels import DATASOURCE, Q, table_targets, up_down_mappings
from monitors import contract as c

__all__ = ["site_map"]

# the city's middle, and a zoom that shows Củ Chi to Cần Giờ
CITY_LAT, CITY_LON, CITY_ZOOM = 10.78, 106.70, 9


def site_map(title: str, description: str, selector: str, zoom: int = CITY_ZOOM) -> geomap.Panel:
    query = Q(f'{c.SITE_UP}{{{selector}}} * on(site) group_left(lat, lon) {c.SITE_INFO}{{lat!=""}}')
    markers = (
        MapLayerOptions()
        .type("markers")
        .name("Trường và Phòng GD&ĐT")
        .location(
            FrameGeometrySource()
            .mode(common.FrameGeometrySourceMode.COORDS)
            .latitude("lat")
            .longitude("lon")
        )
        .tooltip(True)
        .config(
            {
                "showLegend": True,
                "style": {
                    "color": {"field": "Value", "fixed": "dark-green"},
                    "size": {"fixed": 5},
                },
            }
        )
    )
    # the SDK types the centre as int; Grafana reads any number
    view = geomap.MapViewConfig().id("coords").zoom(zoom)
    view = view.lat(CITY_LAT).lon(CITY_LON)  # type: ignore[arg-type]
    return (
        geomap.Panel()
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .targets(list(table_targets([query])))
        .view(view)
        .layers([markers])
        .mappings(up_down_mappings())
        .span(24)
        .height(12)
    )
