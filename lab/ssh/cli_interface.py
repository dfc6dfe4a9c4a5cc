"""Interface mode: routed ports, loopbacks, `ip address dhcp`, and IOS's fall-back to global.

Upstream modelled IP addresses on SVIs only, had no `switchport`/`no switchport` without
arguments and no loopbacks, and swallowed any `ip …` line in interface mode, so a global
`ip route …` typed right after an interface block (no `exit`) was silently lost. IOS
leaves the sub-mode and runs such a line in global configuration; so do these patches.
"""

from __future__ import annotations

import re
from typing import Any

from fake_switches.cisco.command_processor.config import ConfigCommandProcessor
from fake_switches.cisco.command_processor.config_interface import (
    ConfigInterfaceCommandProcessor,
)
from fake_switches.command_processing.command_processor import CommandProcessor
from fake_switches.switch_configuration import VlanPort
from netaddr import IPNetwork  # type: ignore[import-untyped]
from netaddr.core import AddrFormatError  # type: ignore[import-untyped]

from lab.ssh.cli_base import write_invalid

# `ip …` words interface mode knows; any other `ip` line belongs to global configuration
INTERFACE_IP_WORDS = (
    "address",
    "helper-address",
    "vrf",
    "access-group",
    "redirects",
    "proxy-arp",
    "verify",
)
LOOPBACK = re.compile(r"lo(o(p(b(a(c(k)?)?)?)?)?)?\s*(\d+)$", re.IGNORECASE)
SUBINTERFACE = re.compile(r"(.+\d)\.(\d+)$")

_orig_do_ip = ConfigInterfaceCommandProcessor.do_ip
_orig_do_no_ip = ConfigInterfaceCommandProcessor.do_no_ip
_orig_do_switchport = ConfigInterfaceCommandProcessor.do_switchport
_orig_do_no_switchport = ConfigInterfaceCommandProcessor.do_no_switchport
_orig_do_interface = ConfigCommandProcessor.do_interface


class LoopbackPort(VlanPort):  # type: ignore[misc]
    """A loopback: addressed like an SVI, always up, listed first in the running-config."""

    is_loopback = True

    def __init__(self, number: int) -> None:
        super().__init__(None, f"Loopback{number}")


class SubInterface(VlanPort):  # type: ignore[misc]
    """`interface GigabitEthernet0/0/1.10`: a routed port's 802.1Q sub-interface."""

    def __init__(self, parent: str, number: int) -> None:
        super().__init__(None, f"{parent}.{number}")
        self.parent = parent
        self.encapsulation: str | None = None  # "dot1Q 10" or "dot1Q 10 native"


def _belongs_here(words: list[str]) -> bool:
    if words[:1] == ["no"]:
        words = words[1:]
    if words[:1] == ["ip"]:
        return len(words) > 1 and any(w.startswith(words[1]) for w in INTERFACE_IP_WORDS)
    return True


def _get_command_func(self: Any, line: str) -> tuple[Any, list[str]]:
    if not _belongs_here(line.split()):
        return None, []  # the parent mode takes it (see cli_session._delegate)
    found: tuple[Any, list[str]] = CommandProcessor.get_command_func(self, line)
    return found


def _physical(port: Any) -> bool:
    return not isinstance(port, VlanPort)


def _ips(port: Any) -> list[Any]:
    if not hasattr(port, "ips"):
        port.ips = []
    ips: list[Any] = port.ips
    return ips


def _do_ip(self: Any, *args: str) -> None:
    port = self.port
    if not args or not "address".startswith(args[0]) or len(args) < 2:
        _orig_do_ip(self, *args)
        return
    if args[1] == "dhcp" and len(args) == 2 and _physical(port):
        port.ips, port.dhcp = [], True
        return
    try:
        network = IPNetwork(f"{args[1]}/{args[2]}")
    except (IndexError, AddrFormatError, ValueError):
        write_invalid(self, "ip address " + " ".join(args[1:]))
        return
    owner, _ = self.switch_configuration.get_port_and_ip_by_ip(network.ip)
    if owner is not None and owner is not port:  # upstream prints IOS's overlap message
        _orig_do_ip(self, *args)
        return
    # upstream crashed when a port's primary address was typed again
    secondary = len(args) == 4 and "secondary".startswith(args[3])
    ips = _ips(port)
    if _physical(port):
        port.dhcp = False
    if secondary:
        if network not in ips:
            ips.append(network)
    elif ips:
        ips[:] = [network, *(ip for ip in ips[1:] if ip != network)]
    else:
        ips.append(network)


def _do_no_ip(self: Any, *args: str) -> None:
    if args and "address".startswith(args[0]) and _physical(self.port):
        self.port.ips, self.port.dhcp = [], False
        return
    _orig_do_no_ip(self, *args)


def _do_switchport(self: Any, *args: str) -> None:
    if not args:  # back to layer 2
        self.port.routed, self.port.ips, self.port.dhcp = False, [], False
        return
    _orig_do_switchport(self, *args)


def _do_no_switchport(self: Any, *args: str) -> None:
    if args:
        _orig_do_no_switchport(self, *args)
        return
    if not _physical(self.port):
        write_invalid(self, "no switchport")
        return
    port = self.port
    port.routed = True  # a routed port: its layer-2 settings go
    port.mode = port.access_vlan = port.trunk_vlans = port.trunk_native_vlan = None


def _do_encapsulation(self: Any, *args: str) -> None:
    """`encapsulation dot1Q VLAN [native]`, on sub-interfaces only."""
    ok = len(args) in (2, 3) and args[0].lower() == "dot1q" and args[1].isdigit()
    ok = ok and 1 <= int(args[1]) <= 4094 and args[2:] in ((), ("native",))
    if ok and isinstance(self.port, SubInterface):
        self.port.encapsulation = " ".join(("dot1Q", *args[1:]))
    else:
        write_invalid(self, "encapsulation " + " ".join(args))


def _do_no_encapsulation(self: Any, *_: str) -> None:
    if isinstance(self.port, SubInterface):
        self.port.encapsulation = None


def _prompt(self: Any) -> str:
    mode = "config-subif" if isinstance(self.port, SubInterface) else "config-if"
    return f"{self.switch_configuration.name}({mode})#"


def _new_port(conf: Any, name: str) -> Any:
    """A loopback or a sub-interface of an existing port, or None."""
    loopback = LOOPBACK.match(name)
    if loopback:
        return LoopbackPort(int(loopback.group(7)))
    sub = SUBINTERFACE.match(name)
    parent = conf.get_port_by_partial_name(sub.group(1)) if sub else None
    if sub and parent is not None and not isinstance(parent, VlanPort):
        return SubInterface(parent.name, int(sub.group(2)))
    return None


def _config_do_interface(self: Any, *args: str) -> None:
    name = "".join(args)
    conf = self.switch_configuration
    port = _new_port(conf, name) if conf.get_port_by_partial_name(name) is None else None
    if port is None:
        _orig_do_interface(self, *args)
        return
    conf.add_port(port)
    self.move_to(self.config_interface_processor, port)


def install() -> None:
    c = ConfigInterfaceCommandProcessor
    c.get_command_func = _get_command_func
    c.do_ip = _do_ip
    c.do_no_ip = _do_no_ip
    c.do_switchport = _do_switchport
    c.do_no_switchport = _do_no_switchport
    c.get_prompt = _prompt
    c.do_encapsulation = _do_encapsulation
    c.do_no_encapsulation = _do_no_encapsulation
    ConfigCommandProcessor.do_interface = _config_do_interface
