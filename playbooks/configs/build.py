"""The rendered configuration of every configurable device, as a generated file set."""

from __future__ import annotations

from edunet.generated import Renderer, RenderOptions, header
from edunet.model import Inventory
from playbooks.configs.context import configurable, template_family
from playbooks.configs.render import render_device

__all__ = ["OWNED_DIRS", "RENDERER", "config_path", "render_configs"]

OWNED_DIRS = ("playbooks/intended",)
_SUFFIX = {"cisco_ios": (".cfg", "!"), "mikrotik_routeros": (".rsc", "#")}


def config_path(inv: Inventory, device_name: str) -> str:
    device = inv.devices[device_name]
    suffix, _ = _SUFFIX[template_family(device)]
    return f"playbooks/intended/{inv.districts[device.district].slug}/{device.name}{suffix}"


def render_configs(inv: Inventory) -> dict[str, str]:
    """``playbooks/intended/<district>/<device>.cfg|.rsc``, secrets masked as ``********``."""
    files: dict[str, str] = {}
    for device in inv.devices.values():
        if not configurable(device):
            continue
        _, comment = _SUFFIX[template_family(device)]
        files[config_path(inv, device.name)] = header(comment) + render_device(inv, device)
    return files


def _render(inv: Inventory, options: RenderOptions) -> dict[str, str]:
    return render_configs(inv)


RENDERER = Renderer(OWNED_DIRS, _render)  # `edunet render configs`
