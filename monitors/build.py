"""Everything this unit generates, as one file set: Prometheus configuration and targets, the
rules, the Alertmanager configuration."""

from __future__ import annotations

from edunet.model import Inventory
from monitors.alertmanager_config import render_alertmanager
from monitors.file_sd import render_targets
from monitors.prometheus_config import render_prometheus
from monitors.rules import render_rules
from monitors.settings import MonitoringSettings

__all__ = ["OWNED_DIRS", "render_monitors"]

# directories whose every file is generated: a file there that the render no longer makes is stale
OWNED_DIRS = ("monitors/prometheus", "monitors/alertmanager")


def render_monitors(inv: Inventory, settings: MonitoringSettings) -> dict[str, str]:
    files: dict[str, str] = {}
    for part in (render_prometheus, render_targets, render_rules, render_alertmanager):
        produced = part(inv, settings)
        clash = files.keys() & produced.keys()
        if clash:  # two generators writing one file is a bug, not a merge
            raise RuntimeError(f"generated twice: {sorted(clash)}")
        files.update(produced)
    return files
