"""Configuration modes: `end` and `do` everywhere, `hostname`, and global lines kept verbatim.

fake-switches models VLANs, interfaces, switchport and static routes. Lines it has no model
for (snmp-server, ntp, logging, aaa, banner …) are kept as typed and shown in the
running-config, so pushing them twice changes nothing. `username`, `enable secret`,
`snmp-server user` and `snmp-server community` are accepted and deliberately not kept, as
IOS never shows them: secrets never show up in any output. Static routes take an optional
administrative distance and several next hops per prefix.
"""

from __future__ import annotations

from typing import Any

from fake_switches import switch_configuration as conf_mod
from fake_switches.cisco.command_processor.config import ConfigCommandProcessor
from fake_switches.cisco.command_processor.enabled import EnabledCommandProcessor
from fake_switches.command_processing.base_command_processor import BaseCommandProcessor
from netaddr import IPAddress, IPNetwork  # type: ignore[import-untyped]
from netaddr.core import AddrFormatError  # type: ignore[import-untyped]

from lab.ssh.cli_base import add_extra, remove_extra, write_invalid
from lab.ssh.cli_session import CONFIG_MODES

OPAQUE_GLOBAL = (
    "snmp-server",
    "logging",
    "ntp",
    "aaa",
    "service",
    "banner",  # one line only: multi-line delimited banners are not modelled
    "spanning-tree",
    "clock",
    "cdp",
    "lldp",
    "errdisable",
    "vtp",
    "udld",
    "archive",
    "crypto",
)
# kept nowhere: IOS never shows these (they hold keys and communities)
HIDDEN = (("snmp-server", "user"), ("snmp-server", "community"))
OPAQUE_IP = ("domain-name", "domain", "name-server", "ssh", "http", "scp", "default-gateway")
DEFAULT_HOSTNAME = "Switch"

_orig_move_to = BaseCommandProcessor.move_to
_orig_config_do_ip = ConfigCommandProcessor.do_ip
_orig_config_do_no_ip = ConfigCommandProcessor.do_no_ip
_orig_config_do_vlan = ConfigCommandProcessor.do_vlan


def _do_end(self: Any, *_: str) -> None:
    self.is_done = True
    self._end = True  # the parents unwind to privileged EXEC (see cli_session._delegate)


def _do_do(self: Any, *args: str) -> None:
    """`do CMD` in any config mode runs the command in privileged EXEC."""
    parent = getattr(self, "_exec_parent", None)
    if parent is None or not args or not parent.parse_and_execute_command(" ".join(args)):
        write_invalid(self, " ".join(args))


def _move_to(self: Any, new_processor: Any, *args: Any) -> None:
    # every config mode, however deep, remembers the privileged EXEC processor for `do`
    if isinstance(self, EnabledCommandProcessor):
        new_processor._exec_parent = self
    else:
        new_processor._exec_parent = getattr(self, "_exec_parent", None)
    _orig_move_to(self, new_processor, *args)


def _config_do_hostname(self: Any, *args: str) -> None:
    if len(args) != 1:
        write_invalid(self, "hostname")
        return
    self.switch_configuration.name = args[0]


def _config_do_no_hostname(self: Any, *_: str) -> None:
    self.switch_configuration.name = DEFAULT_HOSTNAME


def _make_opaque(keyword: str) -> tuple[Any, Any]:
    def do(self: Any, *args: str) -> None:
        if not args:
            write_invalid(self, keyword)
            return
        if (keyword, args[0]) not in HIDDEN:
            add_extra(self.switch_configuration, " ".join((keyword, *args)))

    def do_no(self: Any, *args: str) -> None:
        if not args or (keyword, args[0]) not in HIDDEN:
            remove_extra(self.switch_configuration, " ".join((keyword, *args)))

    return do, do_no


def _is_route(cmd: str) -> bool:
    return len(cmd) >= 2 and "route".startswith(cmd)


def _route_args(args: tuple[str, ...]) -> tuple[IPNetwork, IPAddress, int | None] | None:
    """`PREFIX MASK NEXT-HOP [DISTANCE]`, or None when IOS would not take it."""
    if len(args) not in (3, 4) or (len(args) == 4 and not args[3].isdigit()):
        return None
    try:
        prefix, hop = IPNetwork(f"{args[0]}/{args[1]}"), IPAddress(args[2])
    except (AddrFormatError, ValueError):
        return None
    distance = int(args[3]) if len(args) == 4 else None
    if distance is not None and not 1 <= distance <= 255:
        return None
    return prefix, hop, distance


def _add_route(self: Any, *args: str) -> None:
    parsed = _route_args(args)
    if parsed is None:
        write_invalid(self, "ip route " + " ".join(args))
        return
    prefix, hop, distance = parsed
    conf = self.switch_configuration
    route = conf.new("Route", args[0], args[1], args[2])
    route.distance = distance  # shown after the next hop when set
    # one route per prefix and next hop: typing it again changes its distance
    same = [r for r in conf.static_routes if r.dest == prefix and r.next_hop == hop]
    if same:
        conf.static_routes[conf.static_routes.index(same[0])] = route
    else:
        conf.add_static_route(route)


def _remove_route(self: Any, *args: str) -> None:
    try:
        prefix = IPNetwork(f"{args[0]}/{args[1]}")
        hop = IPAddress(args[2]) if len(args) > 2 else None
    except (IndexError, AddrFormatError, ValueError):
        write_invalid(self, "no ip route " + " ".join(args))
        return
    conf = self.switch_configuration
    conf.static_routes = [
        r for r in conf.static_routes if r.dest != prefix or (hop is not None and r.next_hop != hop)
    ]


def _config_do_ip(self: Any, cmd: str = "", *args: str) -> None:
    if _is_route(cmd):
        _add_route(self, *args)
    elif cmd and "vrf".startswith(cmd):
        _orig_config_do_ip(self, cmd, *args)
    elif cmd in OPAQUE_IP and args:
        add_extra(self.switch_configuration, " ".join(("ip", cmd, *args)))
    else:
        write_invalid(self, "ip " + cmd)


def _config_do_no_ip(self: Any, cmd: str = "", *args: str) -> None:
    if _is_route(cmd):
        _remove_route(self, *args)
    elif cmd and "vrf".startswith(cmd):
        _orig_config_do_no_ip(self, cmd, *args)
    elif cmd in OPAQUE_IP:
        remove_extra(self.switch_configuration, " ".join(("ip", cmd, *args)))
    else:
        write_invalid(self, "no ip " + cmd)


def _accept_unkept(keyword: str) -> Any:
    """`username …` and `enable secret …` are accepted but never kept or shown."""

    def do(self: Any, *args: str) -> None:
        if not args:
            write_invalid(self, keyword)

    return do


def _config_do_vlan(self: Any, *args: str) -> None:
    if len(args) != 1 or not args[0].isdigit():
        write_invalid(self, "vlan " + " ".join(args))
        return
    _orig_config_do_vlan(self, args[0])


def _port_by_partial_name(self: Any, name: str) -> Any:
    """`Gi1/0/1` names GigabitEthernet1/0/1 only: upstream matched on the number's suffix,
    so `Gi0/1` took GigabitEthernet1/0/1 (or Gi0/0/1) on a switch that has no Gi0/1."""
    kind, number = conf_mod.split_port_name(name.lower().replace(" ", ""))
    for port in self.ports:
        port_kind, port_number = conf_mod.split_port_name(port.name.lower())
        if port_kind.startswith(kind) and port_number == number:
            return port
    return None


def install() -> None:
    BaseCommandProcessor.move_to = _move_to
    for cls in CONFIG_MODES:
        cls.do_end = _do_end
        cls.do_do = _do_do
    c = ConfigCommandProcessor
    c.do_hostname = _config_do_hostname
    c.do_no_hostname = _config_do_no_hostname
    c.do_ip = _config_do_ip
    c.do_no_ip = _config_do_no_ip
    c.do_vlan = _config_do_vlan
    for keyword in ("username", "enable"):
        setattr(c, "do_" + keyword, _accept_unkept(keyword))
        setattr(c, "do_no_" + keyword, _accept_unkept(keyword))
    for keyword in OPAQUE_GLOBAL:
        do, do_no = _make_opaque(keyword)
        attr = keyword.replace("-", "_")
        setattr(c, "do_" + attr, do)
        setattr(c, "do_no_" + attr, do_no)
    conf_mod.SwitchConfiguration.get_port_by_partial_name = _port_by_partial_name
