"""Grafana's provisioning files: a file provider for the dashboards' folder and the Prometheus
datasource every dashboard's ``datasource`` variable defaults to."""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.variables import DATASOURCE_UID
from edunet.generated import header, yaml_text

__all__ = ["DashboardSettings", "provisioning_files"]


@dataclass(frozen=True, slots=True)
class DashboardSettings:
    # where Grafana reads the dashboards' JSON (the dashboards/grafana/ files are copied there)
    dashboards_path: str = "/var/lib/grafana/dashboards/edunet"
    # the NOC's own dashboards (dashboards/local/ copied there): edunet render never touches them
    local_dashboards_path: str = "/var/lib/grafana/dashboards/local"
    local_folder: str = "local"
    # one folder per district: dashboards/grafana/districts/<slug>/ copied there whole
    districts_path: str = "/var/lib/grafana/dashboards/districts"
    prometheus_url: str = "http://127.0.0.1:9090"
    folder: str = "edunet"


def _dump(data: object) -> str:
    return header() + yaml_text(data)


def provisioning_files(settings: DashboardSettings) -> dict[str, str]:
    providers = {
        "apiVersion": 1,
        "providers": [
            {
                "name": "edunet",
                "orgId": 1,
                "folder": settings.folder,
                "type": "file",
                "disableDeletion": False,
                "allowUiUpdates": False,
                "updateIntervalSeconds": 60,
                "options": {"path": settings.dashboards_path, "foldersFromFilesStructure": False},
            },
            {
                # a folder per sub-directory (a district's slug), so folder permissions give
                # a district team its own dashboards and no other district's
                "name": "districts",
                "orgId": 1,
                "type": "file",
                "disableDeletion": False,
                "allowUiUpdates": False,
                "updateIntervalSeconds": 60,
                "options": {"path": settings.districts_path, "foldersFromFilesStructure": True},
            },
            {
                "name": "local",
                "orgId": 1,
                "folder": settings.local_folder,
                "type": "file",
                "disableDeletion": False,
                "allowUiUpdates": False,
                "updateIntervalSeconds": 60,
                "options": {
                    "path": settings.local_dashboards_path,
                    "foldersFromFilesStructure": False,
                },
            },
        ],
    }
    datasources = {
        "apiVersion": 1,
        "datasources": [
            {
                "name": "edunet Prometheus",
                "uid": DATASOURCE_UID,
                "type": "prometheus",
                "access": "proxy",
                "url": settings.prometheus_url,
                "isDefault": True,
                "editable": False,
                "jsonData": {"httpMethod": "POST", "timeInterval": "60s"},
            }
        ],
    }
    return {
        "dashboards/provisioning/dashboards/edunet.yml": _dump(providers),
        "dashboards/provisioning/datasources/edunet.yml": _dump(datasources),
    }
