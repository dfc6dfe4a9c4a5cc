"""Everything this unit generates, as one file set: Prometheus configuration and targets, the
rules, the Alertmanager configuration, and vmalert's command line when there are shards."""

from __future__ import annotations

from edunet.generated import Renderer, RenderOptions
from edunet.model import Inventory
from monitors.alertmanager_config import render_alertmanager
from monitors.file_sd import render_targets
from monitors.prometheus_config import render_prometheus
from monitors.rules import render_rules
from monitors.settings import MonitoringSettings, settings_for_render
from monitors.vmalert import render_vmalert

__all__ = ["OWNED_DIRS", "RENDERER", "render_monitors"]

# directories whose every file is generated: a file there that the render no longer makes is stale
OWNED_DIRS = ("monitors/prometheus", "monitors/alertmanager")


def render_monitors(inv: Inventory, settings: MonitoringSettings) -> dict[str, str]:
    files: dict[str, str] = {}
    parts = (render_prometheus, render_targets, render_rules, render_alertmanager, render_vmalert)
    for part in parts:
        produced = part(inv, settings)
        clash = files.keys() & produced.keys()
        if clash:  # two generators writing one file is a bug, not a merge
            raise RuntimeError(f"generated twice: {sorted(clash)}")
        files.update(produced)
    return files


def _render(inv: Inventory, options: RenderOptions) -> dict[str, str]:
    return render_monitors(inv, settings_for_render(inv, options))


RENDERER = Renderer(OWNED_DIRS, _render)  # `edunet render monitors`
