"""What to probe, from the inventory: every site's probe address, the data center's key hosts
(its devices' management addresses and every application VM), and every application.

Addresses keep their inventory value in the labels (``host``) and are translated by the
address map only for sending, so the lab and a real deployment read the same series.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from urllib.parse import urlsplit

from edunet.model import Application, CheckKind, Inventory, Site
from edunet.reach import AddressMap, probe_address

__all__ = ["APP_LABELS", "LABELS", "AppTarget", "Target", "app_targets", "probe_targets"]

# One label set for every ICMP target, so series of sites and hosts sit in one family.
LABELS = (
    "target",
    "kind",
    "host",
    "site",
    "site_name",
    "district",
    "level",
    "role",
    "isp",
    "medium",
)
APP_LABELS = ("application", "name", "criticality", "vm", "check")


@dataclass(frozen=True, slots=True)
class Target:
    """One ICMP target: where packets go (translated) and the labels of its series."""

    address: IPv4Address  # as sent, after the address map
    labels: tuple[str, ...]  # values in LABELS order

    @property
    def name(self) -> str:
        return self.labels[0]


@dataclass(frozen=True, slots=True)
class AppTarget:
    """One application check: an application's VM, on the application's port."""

    application: str  # code
    name: str  # Vietnamese name
    criticality: str
    vm: str
    check: CheckKind
    address: IPv4Address  # the VM, after the address map
    port: int
    server_name: str  # SNI and Host: the URL's host
    path: str
    tls: bool  # https URL, or a TLS check

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.application, self.name, self.criticality, self.vm, self.check.value)


def _site_labels(inv: Inventory, site: Site) -> dict[str, str]:
    isp = medium = ""
    if site.uplinks:
        first = inv.links[site.uplinks[0]]
        isp, medium = first.isp or "", first.medium.value
    return {
        "site": site.code,
        "site_name": site.name,
        "district": inv.districts[site.district].name,
        "level": site.level.value if site.level is not None else "",
        "isp": isp,
        "medium": medium,
    }


def _target(
    amap: AddressMap, name: str, kind: str, role: str, host: IPv4Address, site: dict[str, str]
) -> Target:
    values = {"target": name, "kind": kind, "host": str(host), "role": role, **site}
    return Target(amap(host), tuple(values[k] for k in LABELS))


def probe_targets(inv: Inventory, amap: AddressMap) -> list[Target]:
    """Sites first (by their probe address), then the data center's devices and VMs.
    An address probed twice (a site's gateway is also a data-center device) is kept once."""
    out: list[Target] = []
    seen: set[IPv4Address] = set()

    def add(t: Target) -> None:
        if t.address not in seen:
            seen.add(t.address)
            out.append(t)

    for site in inv.sites.values():
        host = probe_address(inv, site)
        if host is not None:
            add(_target(amap, site.code, "site", site.kind.value, host, _site_labels(inv, site)))
    dc = inv.datacenter
    dc_labels = _site_labels(inv, dc)
    for device in inv.site_devices(dc.code):
        add(_target(amap, device.name, "device", device.role.value, device.mgmt_ip, dc_labels))
    for app in inv.applications.values():
        for vm_name in app.vms:
            vm = inv.vms[vm_name]
            add(_target(amap, vm.name, "vm", app.code, vm.ip.ip, dc_labels))
    return out


def app_targets(inv: Inventory, amap: AddressMap, port_offset: int = 0) -> list[AppTarget]:
    """One check per application VM that answers users (not its databases or storage);
    ``port_offset`` moves every port, as a lab run without root serves them."""
    out: list[AppTarget] = []
    for app in inv.applications.values():
        out.extend(_app_targets(inv, app, amap, port_offset))
    return out


def _app_targets(
    inv: Inventory, app: Application, amap: AddressMap, port_offset: int
) -> list[AppTarget]:
    url = urlsplit(app.url)
    # a TCP check only opens the port, whatever the URL says
    tls = app.check is CheckKind.tls or (url.scheme == "https" and app.check is CheckKind.http)
    return [
        AppTarget(
            application=app.code,
            name=app.name,
            criticality=app.criticality.value,
            vm=vm.name,
            check=app.check,
            address=amap(vm.ip.ip),
            port=app.port + port_offset,
            server_name=url.hostname or "",
            path=url.path or "/",
            tls=tls,
        )
        for vm in inv.serving_vms(app.code)
    ]
