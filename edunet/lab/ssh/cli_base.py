"""What the IOS command patches share: the error marker, kept global lines, the configs.

fake-switches keeps a switch's state in a ``SwitchConfiguration``; the few things it does
not model (global lines it has no command for, the saved startup-config, the lab's
config-reject fault) live as extra attributes on that object.
"""

from __future__ import annotations

from typing import Any

from fake_switches.cisco.command_processor import enabled as enabled_mod

INVALID = "% Invalid input detected at '^' marker."
# an attribute on SwitchConfiguration: while true, every configuration line is refused
CONFIG_REJECT_ATTR = "edunet_config_reject"


def write_invalid(proc: Any, line: str = "") -> None:
    """IOS's error marker, written past any active pipe so `| include` cannot hide it."""
    proc.finish_piping()
    prompt_len = len(proc.switch_configuration.name) + 1
    caret = " " * (prompt_len + max(0, len(line) - len(line.lstrip()))) + "^"
    proc.terminal_controller.write(caret + "\n" + INVALID + "\n\n")


def extra_lines(conf: Any) -> list[str]:
    """Global lines fake-switches has no model for, kept verbatim in the running-config."""
    if not hasattr(conf, "extra_global_lines"):
        conf.extra_global_lines = []
    lines: list[str] = conf.extra_global_lines
    return lines


def add_extra(conf: Any, line: str) -> None:
    lines = extra_lines(conf)
    if line not in lines:
        lines.append(line)


def remove_extra(conf: Any, line: str) -> None:
    """`no X ...` removes every kept line that starts with X ... (IOS-like enough)."""
    conf.extra_global_lines = [ln for ln in extra_lines(conf) if not ln.startswith(line)]


def running_config_lines(conf: Any) -> list[str]:
    """The running-config: hostname, kept global lines, VLANs, interfaces, routes, end."""
    data = ["version 12.2", "!", f"hostname {conf.name}", "!"]
    extras = extra_lines(conf)
    if extras:
        data += [*extras, "!"]
    for vlan in sorted(conf.vlans, key=lambda v: v.number):
        data += [*enabled_mod.build_running_vlan(vlan), "!"]
    for port in conf.get_physical_ports() + conf.get_vlan_ports():
        data += [*enabled_mod.build_running_interface(port), "!"]
    if conf.static_routes:
        data += [enabled_mod.build_static_routes(r) for r in conf.static_routes] + ["!"]
    return [*data, "end"]


def emit_config(proc: Any, lines: list[str]) -> None:
    proc.write_line("Building configuration...")
    proc.write_line("")
    proc.write_line(f"Current configuration : {len(chr(10).join(lines)) + 1} bytes")
    for ln in lines:
        proc.write_line(ln)
    proc.write_line("")


def save_startup(conf: Any) -> None:
    conf.commit()
    conf.startup_config_lines = running_config_lines(conf)


def startup_lines(conf: Any) -> list[str] | None:
    """The saved startup-config, or None before the first save."""
    lines: list[str] | None = getattr(conf, "startup_config_lines", None)
    return lines


def config_rejected(conf: Any) -> bool:
    return bool(getattr(conf, CONFIG_REJECT_ATTR, False))


def set_config_reject(conf: Any, on: bool) -> None:
    setattr(conf, CONFIG_REJECT_ATTR, on)
