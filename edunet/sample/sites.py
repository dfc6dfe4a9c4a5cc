"""What every generated site shares: the order of its fields and the shape of an uplink."""

from __future__ import annotations

SITE_KEYS = (
    "code",
    "name",
    "kind",
    "level",
    "district",
    "address",
    "location",
    "profile",
    "pupils",
    "core",
    "slot",
    "vlans",
    "prefixes",
    "snmp",
    "ssh",
    "uplinks",
    "endpoints",
    "devices",
    "hardware",
    "spares",
)
_RANK = {k: i for i, k in enumerate(SITE_KEYS)}


def ordered(site: dict[str, object]) -> dict[str, object]:
    """A site's keys in the order people read them: who, where, what differs, hardware."""
    return dict(sorted(site.items(), key=lambda kv: _RANK.get(kv[0], len(_RANK))))


def uplink(
    to: str, isp: str, medium: str, mbps: int, sla: dict[str, object] | None = None
) -> dict[str, object]:
    """One uplink of a site: where it goes (a site code, "district" or "internet") and how."""
    out: dict[str, object] = {"to": to, "isp": isp, "medium": medium, "bandwidth_mbps": mbps}
    if sla is not None:
        out["sla"] = sla
    return out
