"""The YAML text of a generated city: readable, commented and the same byte for byte.

Not a general YAML writer: it writes the plain values :func:`edunet.sample.generate`
returns (dicts, lists, strings, numbers, booleans, dates) so that any YAML loader reads
them back as the same values.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import cache
from typing import Any, cast

import yaml
import yaml.resolver

from edunet.schema import Document

SECTION_ORDER = tuple(Document.model_fields)  # the top-level sections, as the schema lists them
_BLOCK_ITEMS = {"hardware_models", "profiles", "sites", "applications"}  # one line per field
_SPACED = {"hardware_models", "profiles", "applications"}  # a blank line between items

_COMMENTS = {
    "city": "The city: its GSO province code, its name and the education network's domain.",
    "credentials": (
        "Credential profiles, by name only. The secrets are read at run time from the\n"
        "environment (EDUNET_SNMP_V3_DEFAULT_*, EDUNET_SSH_NETOPS_*, ...) or a vault file."
    ),
    "defaults": "The profiles a device uses when neither it nor its site names one.",
    "ip_plan": (
        "Address pools. Each is split per area (0 = the city core, n = district number n)\n"
        "and then per site slot (a school's serial, 0 for a district office), so adding or\n"
        "removing a site never renumbers another."
    ),
    "vlans": (
        "The city's VLAN catalogue. The order is fixed: it places each VLAN in every site's\n"
        "/24 block, so only ever append. VLANs without a prefix_length (the data-center\n"
        "segments) are pinned per site."
    ),
    "districts": (
        "The 24 districts of 2013-2015 with their GSO codes. number is the IP-plan area:\n"
        "never change or reuse one."
    ),
    "hardware_models": (
        "The hardware catalogue. interfaces are ranges (GigabitEthernet1/0/1-24 is 24 ports);\n"
        "a site's uplinks use its gateway's uplink_ports in order. Prices in VND."
    ),
    "profiles": (
        "Standard LANs: one per kind of school, and the district office. A site names its\n"
        "profile and lists only what differs. The first device is the site's gateway;\n"
        "'to: district' is the school's district office."
    ),
    "links": "Explicit links between devices; the sites' uplinks make the rest of the core.",
    "applications": (
        "The programme's shared systems, hosted on the data center's Proxmox nodes\n"
        "(ttdl-srv1 ... ttdl-srv6). VM addresses come from the data-center segments."
    ),
    "services": (
        "What every device is configured to use (NTP, syslog, DNS) and the monitoring\n"
        "server, by device or VM name. The login banner defaults to the programme's."
    ),
}
_IP_PLAN_NOTES = {
    "management": "one /16 per area, one /26 per site: the management VLAN",
    "sites": "one /14 per area, one /24 per site: its LAN VLANs",
    "loopbacks": "router and firewall loopbacks",
    "p2p": "/31s of routed uplinks and core links",
}

_RESOLVER: Any = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = frozenset(",[]{}:?#")


@cache
def _text(s: str, flow: bool) -> str:
    """A string as a plain scalar where YAML reads it back as the same string, else quoted."""
    plain = (
        s != ""
        and s[0] not in _INDICATORS
        and not s[0].isspace()
        and not s[-1].isspace()
        and ": " not in s
        and " #" not in s
        and not s.endswith(":")
        and s.isprintable()
        and not (flow and not _FLOW_UNSAFE.isdisjoint(s))
        and _RESOLVER.resolve(yaml.ScalarNode, s, (True, False)) == _STR_TAG
    )
    return s if plain else json.dumps(s, ensure_ascii=False)


def _scalar(v: object, flow: bool) -> str:
    t = type(v)
    if t is str:
        return _text(cast(str, v), flow)
    if t is int:
        return str(v)
    if t is dt.date:
        return cast(dt.date, v).isoformat()
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    return _text(str(v), flow)  # IP networks and addresses, subclasses of str


def _flow(v: object) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_text(str(k), True)}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join([_flow(x) for x in v]) + "]"
    return _scalar(v, True)


_CONTAINERS = (dict, list, tuple)
_FLOW_WIDTH = 132  # a mapping that nests small mappings stays on one line up to this width


def _one_line(v: dict[Any, Any] | list[Any] | tuple[Any, ...], nest: bool = False) -> str | None:
    """The flow form of a container if it is small enough for one line, else None.

    Members that are scalars or lists of scalars always are (a hardware record is one
    line however long); with ``nest``, one more level of nesting is while the line stays
    short (an uplink with its SLA).
    """
    members = v.values() if isinstance(v, dict) else v
    nested = False
    for x in members:
        if isinstance(x, _CONTAINERS):
            inner = x.values() if isinstance(x, dict) else x
            for y in inner:
                if isinstance(y, _CONTAINERS):
                    return None
            nested = nested or isinstance(x, dict)
            if nested and (not nest or len(v) > 8):
                return None
    text = _flow(v)
    return text if not nested or len(text) <= _FLOW_WIDTH else None


def _mapping(d: dict[Any, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for k, x in d.items():
        key = _text(str(k), False)
        if isinstance(x, _CONTAINERS):
            line = _one_line(x) if x else _flow(x)
            if line is not None:
                out.append(f"{pad}{key}: {line}")
            elif isinstance(x, dict):
                out.append(f"{pad}{key}:")
                _mapping(x, indent + 2, out)
            else:
                out.append(f"{pad}{key}:")
                _sequence(x, indent + 2, out)
        else:
            out.append(f"{pad}{key}: {_scalar(x, False)}")


def _sequence(
    items: Sequence[Any], indent: int, out: list[str], block: bool = False, spaced: bool = False
) -> None:
    pad = " " * indent
    for i, x in enumerate(items):
        if spaced and i:
            out.append("")
        if isinstance(x, _CONTAINERS):
            line = None if block and isinstance(x, dict) and x else _one_line(x, nest=True)
            if line is not None:
                out.append(f"{pad}- {line}")
            elif isinstance(x, dict):
                start = len(out)
                _mapping(x, indent + 2, out)
                out[start] = f"{pad}- {out[start][indent + 2 :]}"
            else:
                out.append(f"{pad}-")
                _sequence(x, indent + 2, out)
        else:
            out.append(f"{pad}- {_scalar(x, False)}")


def _comment(text: str, indent: int = 0) -> list[str]:
    return [" " * indent + "# " + line if line else "#" for line in text.split("\n")]


def _sites(sites: Sequence[Any], districts: dict[str, tuple[str, int]], out: list[str]) -> None:
    """The sites, with a comment before each group: core, district offices, each district."""
    groups: list[tuple[str, list[Any]]] = []
    for s in sites:
        site = s if isinstance(s, dict) else {}
        kind = site.get("kind")
        if kind in ("department", "datacenter"):
            key = "core"
        elif kind == "district_office":
            key = "offices"
        else:
            key = str(site.get("district"))
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(s)
    for i, (key, members) in enumerate(groups):
        if i:
            out.append("")
        if key == "core":
            note = "City core (IP-plan area 0): the Department and the data center."
        elif key == "offices":
            note = "District offices (Phòng GD&ĐT): slot 0 of their district's area."
        else:
            name, number = districts.get(key, (key, 0))
            n = len(members)
            note = f"{name} ({key}, area {number}): {n} school{'s' if n != 1 else ''}"
        out.extend(_comment(note, 2))
        _sequence(members, 2, out, block=True)


def render(doc: dict[str, object], *, seed: int | None = None) -> str:
    """Readable, deterministic YAML of a document from :func:`edunet.sample.generate`.

    Sections come in a fixed order with a comment before each; small nested things (an
    uplink, a hardware record) stay on one line. ``seed`` defaults to the one the
    document was generated with; it only appears in the header.
    """
    if seed is None:
        seed = getattr(doc, "seed", None)
    sites = doc.get("sites") or []
    assert isinstance(sites, list)
    n = sum(1 for s in sites if isinstance(s, dict) and s.get("kind") == "school")
    command = f"edunet sample --schools {n}" + (f" --seed {seed}" if seed is not None else "")
    out = [
        "# SAMPLE DATA, not real data of the city: generated by",
        f"#   {command}",
        "# The districts and their codes are real; the schools, names, addresses, serial",
        "# numbers, asset tags and contracts are invented. The same command writes this file",
        "# again byte for byte. No secrets: credentials are profile names only.",
        "",
    ]
    districts: dict[str, tuple[str, int]] = {}
    for d in doc.get("districts") or []:  # type: ignore[attr-defined]
        if isinstance(d, dict):
            districts[str(d.get("code"))] = (str(d.get("name")), int(d.get("number") or 0))
    keys = [k for k in SECTION_ORDER if k in doc] + [k for k in doc if k not in SECTION_ORDER]
    for key in keys:
        value = doc[key]
        if key in _COMMENTS:
            out.append("")
            out.extend(_comment(_COMMENTS[key]))
        elif key == "sites":
            out.append("")
            out.extend(
                _comment(
                    f"The sites: the Department, the data center, {len(districts)} district "
                    f"offices and {n} schools.\nA school's code is 79 + district code + a "
                    "3-digit serial that is never reused; the serial\nis its IP-plan slot. "
                    "Hardware records are keyed by the device's short name (rt1, sw1, ap1)."
                )
            )
        if key == "ip_plan" and isinstance(value, dict):
            out.append("ip_plan:")
            width = max(len(f"{k}: {_scalar(v, False)}") for k, v in value.items())
            for k, v in value.items():
                line = f"  {k}: {_scalar(v, False)}"
                note = _IP_PLAN_NOTES.get(str(k))
                out.append(f"{line:<{width + 4}} # {note}" if note else line)
        elif key == "sites" and isinstance(value, list):
            out.append("sites:")
            _sites(value, districts, out)
        elif key == "city" and isinstance(value, dict):
            out.append("city:")
            _mapping(value, 2, out)
        elif isinstance(value, list):
            if not value:
                out.append(f"{key}: []")
                continue
            out.append(f"{key}:")
            _sequence(value, 2, out, block=key in _BLOCK_ITEMS, spaced=key in _SPACED)
        elif isinstance(value, dict):
            _mapping({key: value}, 0, out)
        else:
            out.append(f"{key}: {_scalar(value, False)}")
    return "\n".join(out) + "\n"
