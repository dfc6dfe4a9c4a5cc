"""Render a device's intended configuration from its context with the platform's templates."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import jinja2

from edunet.model import Device, Inventory
from playbooks.configs.context import configurable, device_context, template_family
from playbooks.configs.text import MASK

__all__ = ["TEMPLATES", "SecretValues", "render_device", "template_env"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# ssh_user, ssh_password, enable, snmp_user, snmp_auth, snmp_priv, snmp_community
SecretValues = Mapping[str, str]
SECRET_NAMES = (
    "ssh_user",
    "ssh_password",
    "enable",
    "snmp_user",
    "snmp_auth",
    "snmp_priv",
    "snmp_community",
)


@cache
def template_env() -> jinja2.Environment:
    # StrictUndefined: a context key a template misspells fails the render, not the device
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # device configs, not HTML
    )


def masked_secrets() -> dict[str, str]:
    return dict.fromkeys(SECRET_NAMES, MASK)


def render_section(
    inv: Inventory, device: Device, section: str, secrets: SecretValues | None = None
) -> str:
    """One section (``device``, ``vlans``, ``interfaces``, ``routing``, ``management`` …)."""
    if not configurable(device):
        raise ValueError(
            f"{device.name}: platform {device.model.platform.name} has no configuration "
            "template (templates exist for cisco_ios, cisco_xe and mikrotik_routeros)"
        )
    template = template_env().get_template(f"{template_family(device)}/{section}.j2")
    values = {**masked_secrets(), **(secrets or {})}
    return template.render(device_config=device_context(inv, device), secrets=values)


def render_device(inv: Inventory, device: Device, secrets: SecretValues | None = None) -> str:
    """The whole intended configuration; every secret is ``********`` unless given."""
    return render_section(inv, device, "device", secrets)
