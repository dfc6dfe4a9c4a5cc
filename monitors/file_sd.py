"""Prometheus file_sd target lists from the inventory: the SNMP-managed devices of each
district (one file per district, so a change in one district rewrites one file) and the node
exporters of the data center's servers and VMs.

SNMP targets are device names — the SNMP exporter looks the device up in the inventory and
translates its address itself — so they need no address map; node exporters are scraped
directly and their addresses go through ``settings.address_map``.
"""

from __future__ import annotations

from collections import defaultdict
from ipaddress import IPv4Address
from typing import Any

from edunet.generated import header, yaml_text
from edunet.model import Device, DeviceRole, Inventory, Site
from monitors.settings import MonitoringSettings

__all__ = ["NODES_FILE", "TARGETS_DIR", "node_groups", "polled", "render_targets", "snmp_groups"]

TARGETS_DIR = "monitors/prometheus/targets"
NODES_FILE = f"{TARGETS_DIR}/nodes.yml"

TargetGroup = dict[str, Any]  # {"targets": [...], "labels": {...}}


def _dump(groups: list[TargetGroup]) -> str:
    body = yaml_text(groups)
    return header() + body


def _site_labels(inv: Inventory, site: Site) -> dict[str, str]:
    district = inv.districts[site.district]
    return {
        "site": site.code,
        "site_name": site.name,
        "district": district.name,
        "district_code": district.code,
        "level": site.level.value if site.level is not None else "",
    }


def polled(device: Device) -> bool:
    """The SNMP exporter polls this device: its platform speaks SNMP and it has a profile."""
    return device.model.platform.snmp and device.snmp is not None


def snmp_groups(inv: Inventory, district: str) -> list[TargetGroup]:
    """A district's SNMP-managed devices, one target group per (site, role)."""
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    for device in inv.devices.values():
        if device.district == district and polled(device):
            by_key[(device.site, device.role.value)].append(device.name)
    groups: list[TargetGroup] = []
    for (site_code, role), names in sorted(by_key.items()):
        labels = {**_site_labels(inv, inv.sites[site_code]), "role": role}
        groups.append({"targets": sorted(names), "labels": labels})
    return groups


def _node_target(settings: MonitoringSettings, ip: IPv4Address) -> str:
    return f"{settings.address_map(ip)}:{settings.node_exporter_port}"


def node_groups(inv: Inventory, settings: MonitoringSettings) -> list[TargetGroup]:
    """The data center's node exporters: its servers (management address) and every VM."""
    dc = inv.datacenter
    base = {k: v for k, v in _site_labels(inv, dc).items() if k != "level"}
    groups: list[TargetGroup] = []
    for device in inv.site_devices(dc.code):
        if device.role is not DeviceRole.server:
            continue
        labels = {"instance_name": device.name, "application": ""}
        groups.append(
            {
                "targets": [_node_target(settings, device.mgmt_ip)],
                "labels": {**labels, **base, "role": "server"},
            }
        )
    for vm in inv.vms.values():
        labels = {"instance_name": vm.name, "application": vm.application}
        groups.append(
            {
                "targets": [_node_target(settings, vm.ip.ip)],
                "labels": {**labels, **base, "role": "vm"},
            }
        )
    return groups


def render_targets(inv: Inventory, settings: MonitoringSettings) -> dict[str, str]:
    """Every file_sd file: ``targets/snmp-<district slug>.yml`` and ``targets/nodes.yml``."""
    files: dict[str, str] = {}
    for district in inv.districts.values():
        path = f"{TARGETS_DIR}/snmp-{district.slug}.yml"
        files[path] = _dump(snmp_groups(inv, district.code))
    files[NODES_FILE] = _dump(node_groups(inv, settings))
    return dict(sorted(files.items()))
