"""The intended configuration of every network device, rendered from the model."""

from playbooks.configs.context import ascii_text, configurable, device_context
from playbooks.configs.lines import ConfigDiff, config_diff, intended_lines, running_lines
from playbooks.configs.render import MASK, SecretValues, render_device, render_section

__all__ = [
    "MASK",
    "ConfigDiff",
    "SecretValues",
    "ascii_text",
    "config_diff",
    "configurable",
    "device_context",
    "intended_lines",
    "render_device",
    "render_section",
    "running_lines",
]
