"""User and privileged EXEC commands as netmiko's `cisco_ios` and Ansible's `cisco.ios` use them.

Upstream compared the enable password as bytes to a str (so `enable` always failed), had
no `show privilege`, `terminal` or `disable`, printed nothing for an unknown `show`, and
crashed on `copy running-config startup-config`.
"""

from __future__ import annotations

from typing import Any

from fake_switches.cisco.command_processor import enabled as enabled_mod
from fake_switches.cisco.command_processor.default import DefaultCommandProcessor
from fake_switches.cisco.command_processor.enabled import EnabledCommandProcessor

from lab.ssh.cli_base import write_invalid
from lab.ssh.cli_running import (
    emit_config,
    running_config_lines,
    save_startup,
    startup_lines,
)

# Width of the Ports column of `show vlan` before wrapping. Upstream wraps at 30 characters
# (4 ports a line); a 2960 on IOS 15 wraps near 71. cisco.ios's `show vlan` parser glues a
# continuation line of 1-2 ports onto the next VLAN, so the width matters.
VLAN_PORTS_WIDTH = 71

_orig_do_show = EnabledCommandProcessor.do_show
_orig_do_copy = EnabledCommandProcessor.do_copy
_orig_get_port_groups = enabled_mod.get_port_groups


def _is(word: str, keyword: str, least: int) -> bool:
    """IOS abbreviations: `word` is a prefix of `keyword` at least `least` letters long."""
    return len(word) >= least and keyword.startswith(word)


# --- user EXEC -----------------------------------------------------------------------------


def _continue_enabling(self: Any, line: str) -> None:
    self.replace_input = False
    valid = [
        p.decode() if isinstance(p, bytes) else p
        for p in self.switch_configuration.privileged_passwords
    ]
    # an empty secret is accepted only when none is set (upstream always accepted it)
    if line in valid or (not valid and line == ""):
        self.move_to(self.enabled_processor)
    else:
        self.write_line("% Bad secrets")
        self.write_line("")


def _user_do_enable(self: Any, *_: str) -> None:  # `enable 15`: the level is ignored
    self.write("Password: ")
    self.replace_input = ""
    self.continue_to(self.continue_enabling)


def _write_version(self: Any) -> None:
    conf = self.switch_configuration
    self.write_line(
        enabled_mod.version_text(
            hostname=conf.name,
            vlan_port_count=len(conf.get_vlan_ports()),
            port_count=len(conf.get_physical_ports()),
        )
    )


def _user_do_show(self: Any, *args: str) -> None:
    if args and _is(args[0], "privilege", 4):
        self.write_line("Current privilege level is 1")
    elif args and _is(args[0], "version", 2):
        _write_version(self)
    else:
        write_invalid(self, " ".join(args))


def _noop(self: Any, *_: str) -> None:
    return None


def _quit(self: Any, *_: str) -> None:
    self.is_done = True


# --- privileged EXEC -----------------------------------------------------------------------


def _enabled_do_disable(self: Any, *_: str) -> None:
    self.is_done = True
    self._disabled = True


def _show_run(self: Any) -> None:
    emit_config(self, running_config_lines(self.switch_configuration))


def _show_startup(self: Any) -> None:
    lines = startup_lines(self.switch_configuration)
    if lines is None:
        self.write_line("startup-config is not present")
        return
    self.write_line(f"Using {len(chr(10).join(lines)) + 1} out of 524288 bytes")
    for ln in lines:
        self.write_line(ln)
    self.write_line("")


def _show_ip_interface_brief(self: Any) -> None:
    """Links are not simulated: physical ports are down, SVIs up unless shut down."""
    conf = self.switch_configuration
    fmt = "{:<22} {:<15} {:<3} {:<6} {:<21} {}"
    self.write_line(fmt.format("Interface", "IP-Address", "OK?", "Method", "Status", "Protocol"))
    svis = conf.get_vlan_ports()
    for port in conf.get_physical_ports() + svis:
        ips = getattr(port, "ips", [])
        address, method = (str(ips[0].ip), "manual") if ips else ("unassigned", "unset")
        if port.shutdown:
            status, proto = "administratively down", "down"
        elif port in svis:
            status, proto = "up", "up"
        else:
            status, proto = "down", "down"
        self.write_line(fmt.format(port.name, address, "YES", method, status, proto))


def _enabled_do_show(self: Any, *args: str) -> None:
    if not args:
        write_invalid(self, "show")
        return
    a0 = args[0].lower()
    if _is(a0, "privilege", 4):
        self.write_line("Current privilege level is 15")
    elif _is(a0, "startup-config", 3):
        _show_startup(self)
    elif _is(a0, "running-config", 3):
        if len(args) == 1 or args[1].lower() in ("all", "full", "brief"):
            self.show_run()
        else:
            _orig_do_show(self, *args)
    elif a0 == "ip" and len(args) == 3 and _is(args[1], "interface", 2) and args[2] == "brief":
        _show_ip_interface_brief(self)
    elif a0 == "ip" and len(args) < 2:
        write_invalid(self, "show ip")
    elif any(k.startswith(a0) for k in ("vlan", "version", "etherchannel", "ip")):
        _orig_do_show(self, *args)
    else:
        write_invalid(self, "show " + " ".join(args))


def _enabled_do_copy(self: Any, *args: str) -> None:
    if len(args) != 2:
        write_invalid(self, "copy " + " ".join(args))
        return
    src, dst = (a.lower() for a in args)
    if "running-config".startswith(src) and "startup-config".startswith(dst):
        self.write("Destination filename [startup-config]? ")
        self.continue_to(self.continue_copy_to_startup)
    elif src.startswith("tftp:") and ":" in dst:
        _orig_do_copy(self, *args)
    else:
        write_invalid(self, "copy " + " ".join(args))


def _continue_copy_to_startup(self: Any, _answer: str) -> None:
    self.write_line("Building configuration...")
    save_startup(self.switch_configuration)
    self.write_line("[OK]")


def _enabled_do_write(self: Any, *args: str) -> None:
    if args and not "memory".startswith(args[0].lower()):
        write_invalid(self, "write " + " ".join(args))
        return
    self.write_line("Building configuration...")
    save_startup(self.switch_configuration)
    self.write_line("[OK]")


def _get_port_groups(ports: list[str], max_line_length: int = 0) -> list[str]:
    groups: list[str] = _orig_get_port_groups(ports, max_line_length=VLAN_PORTS_WIDTH)
    return groups


def install() -> None:
    d = DefaultCommandProcessor
    d.continue_enabling = _continue_enabling
    d.do_enable = _user_do_enable
    d.do_show = _user_do_show
    d.do_terminal = _noop  # `terminal length 0`, `terminal width 511`
    d.do_disable = _noop
    d.do_exit = _quit
    d.do_logout = _quit
    d.do_quit = _quit

    e = EnabledCommandProcessor
    e.do_disable = _enabled_do_disable
    e.do_show = _enabled_do_show
    e.show_run = _show_run
    e.do_copy = _enabled_do_copy
    e.continue_copy_to_startup = _continue_copy_to_startup
    e.do_write = _enabled_do_write
    e.do_logout = _quit
    e.do_quit = _quit
    e.do_end = _noop  # harmless in EXEC mode, as on IOS

    enabled_mod.get_port_groups = _get_port_groups
