"""The intended configuration of every network device, rendered from the model, and the
configuration text of any device (:mod:`playbooks.configs.text`, a public API: the lab's
simulated switches read it too)."""

from playbooks.configs.context import ascii_text, configurable, device_context
from playbooks.configs.render import SecretValues, render_device, render_section
from playbooks.configs.text import MASK, ConfigDiff, compared_lines, config_diff

__all__ = [
    "MASK",
    "ConfigDiff",
    "SecretValues",
    "ascii_text",
    "compared_lines",
    "config_diff",
    "configurable",
    "device_context",
    "render_device",
    "render_section",
]
