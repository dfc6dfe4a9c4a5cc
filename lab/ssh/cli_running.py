"""The running-config in the order and format IOS prints it, and the saved startup-config.

IOS prints global settings in a fixed order whatever order they were typed in: `service`
before the hostname, AAA and the clock, VLANs, interfaces, then `ip http`, static routes,
`ip ssh`, logging, SNMP, the banner, the `line` blocks and NTP last. Within a group the
order is IOS's too where it is fixed (`ip ssh time-out` before `version`), else as typed.
"""

from __future__ import annotations

from typing import Any

from fake_switches.cisco.command_processor import enabled as enabled_mod
from fake_switches.switch_configuration import AggregatedPort, VlanPort

from lab.ssh.cli_base import extra_lines, line_blocks

# (first words, group): the first match wins, so longer prefixes come first
_GROUPS: list[tuple[tuple[str, ...], int]] = [
    (("service",), 0),
    (("logging", "buffered"), 10),
    (("logging", "console"), 10),
    (("aaa",), 11),
    (("clock",), 12),
    (("ip", "domain-name"), 13),
    (("ip", "domain-lookup"), 13),
    (("ip", "domain"), 13),
    (("ip", "name-server"), 13),
    (("crypto",), 14),
    (("archive",), 14),
    (("errdisable",), 15),
    (("vtp",), 15),
    (("udld",), 15),
    (("spanning-tree",), 16),
    (("lldp",), 25),
    (("cdp",), 25),
    (("ip", "default-gateway"), 40),
    (("ip", "http"), 41),
    (("ip",), 50),
    (("logging",), 60),
    (("snmp-server",), 70),
    (("banner",), 80),
    (("ntp",), 90),
]
HOSTNAME, VLANS, INTERFACES, ROUTES, LINES, NTP = 5, 20, 30, 45, 85, 90
_SUB_ORDER = {
    ("ip", "ssh"): ("time-out", "authentication-retries", "version"),
    ("ip", "http"): ("server", "authentication", "secure-server"),
    ("snmp-server",): (
        "engineID", "group", "view", "community", "location", "contact", "chassis-id",
        "enable", "host",
    ),
}  # fmt: skip


def _rank(line: str) -> tuple[int, int]:
    words = line.removeprefix("no ").split()
    group = next((g for prefix, g in _GROUPS if tuple(words[: len(prefix)]) == prefix), 99)
    for prefix, order in _SUB_ORDER.items():
        if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
            word = words[len(prefix)]
            return group, order.index(word) if word in order else len(order)
    return group, 0


def _ordered_interfaces(conf: Any) -> list[Any]:
    """Loopbacks, port-channels, physical ports (as the model lists them), then SVIs."""
    ports = conf.ports
    loopbacks = [p for p in ports if getattr(p, "is_loopback", False)]
    subs = [p for p in ports if getattr(p, "parent", None) is not None]
    svis = [p for p in ports if isinstance(p, VlanPort) and p.vlan_id is not None]
    physical = []
    for port in conf.get_physical_ports():  # each one followed by its sub-interfaces
        mine = [s for s in subs if s.parent == port.name]
        physical += [port, *sorted(mine, key=lambda s: int(s.name.rsplit(".", 1)[1]))]
    return [
        *sorted(loopbacks, key=lambda p: int(p.name[len("Loopback") :] or 0)),
        *[p for p in ports if isinstance(p, AggregatedPort)],
        *physical,
        *sorted(svis, key=lambda p: int(p.vlan_id)),
    ]


def interface_lines(port: Any) -> list[str]:
    """fake-switches' block, plus routed ports, and `shutdown` after the addresses."""
    data: list[str] = enabled_mod.build_running_interface(port)
    down = " shutdown" in data
    if down:
        data.remove(" shutdown")
    encapsulation = getattr(port, "encapsulation", None)
    if encapsulation:  # after the description, before the addresses
        data.insert(2 if port.description else 1, f" encapsulation {encapsulation}")
    if not isinstance(port, VlanPort):
        routed: list[str] = [" no switchport"] if getattr(port, "routed", False) else []
        if getattr(port, "dhcp", False):
            routed.append(" ip address dhcp")
        ips = getattr(port, "ips", [])
        routed += [f" ip address {ip.ip} {ip.netmask} secondary" for ip in ips[1:]]
        routed += [f" ip address {ips[0].ip} {ips[0].netmask}"] if ips else []
        at = next((i for i, ln in enumerate(data) if ln.startswith(" channel-group")), len(data))
        data[at:at] = routed
    return [*data, " shutdown"] if down else data


def _route_line(route: Any) -> str:
    distance = getattr(route, "distance", None)
    tail = f" {distance}" if distance is not None else ""
    return f"ip route {route.destination} {route.mask} {route.next_hop}{tail}"


def running_config_lines(conf: Any) -> list[str]:
    """The whole running-config, `version` to `end`, with `!` between groups."""
    sections: dict[int, list[list[str]]] = {}

    def put(rank: tuple[int, int], block: list[str]) -> None:
        sections.setdefault(rank[0], []).append(block)

    for line in sorted(extra_lines(conf), key=_rank):
        put(_rank(line), [line])
    put((HOSTNAME, 0), [f"hostname {conf.name}"])
    for vlan in sorted(conf.vlans, key=lambda v: v.number):
        if vlan.number != 1:  # IOS never shows VLAN 1 (nor 1002-1005)
            put((VLANS, 0), [*enabled_mod.build_running_vlan(vlan), "!"])
    for port in _ordered_interfaces(conf):
        put((INTERFACES, 0), [*interface_lines(port), "!"])
    for route in conf.static_routes:
        put((ROUTES, 0), [_route_line(route)])
    for header, subs in sorted(line_blocks(conf).items(), key=lambda kv: _line_order(kv[0])):
        put((LINES, 0), [header, *subs])
    data = ["version 12.2", "!"]  # as `show version` says
    for group in sorted(sections):
        data += [ln for block in sections[group] for ln in block]
        if data[-1] != "!" and group != NTP:  # IOS ends `ntp server …` right with `end`
            data.append("!")
    return [*data, "end"]


def _line_order(header: str) -> tuple[int, int]:
    words = header.split()
    kinds = ("con", "aux", "vty")
    kind = kinds.index(words[1]) if words[1] in kinds else len(kinds)
    return kind, int(words[2])


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
