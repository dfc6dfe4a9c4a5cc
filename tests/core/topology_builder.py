"""A compact way to write small inventories by hand for the topology tests.

    net = Net().site("DC", kind="dc").site("PGD", kind="pgd").site("A", pupils=500)
    net.up("A", "PGD", "a-up").up("PGD", "DC", "pgd-up")
    inv = net.inv()

A site gets one router ``<code in lower case>-rt`` unless devices are named; a device's
role comes from its name (``-rt`` router, ``-fw`` firewall, ``-cs`` core switch, ``-sw``
access switch, ``-ap`` access point, ``-srv`` server). Link ends are device names or site
codes (meaning the site's gateway, its first device).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from edunet.model import (
    City,
    Device,
    DeviceRole,
    District,
    DistrictKind,
    Endpoint,
    Endpoints,
    HardwareModel,
    Inventory,
    Link,
    Medium,
    Platform,
    SchoolLevel,
    Site,
    SiteKind,
)
from edunet.topology import Path, Topology

KINDS = {
    "dc": SiteKind.datacenter,
    "so": SiteKind.department,
    "pgd": SiteKind.district_office,
    "school": SiteKind.school,
}
ROLES = {
    "rt": DeviceRole.router,
    "fw": DeviceRole.firewall,
    "cs": DeviceRole.core_switch,
    "sw": DeviceRole.access_switch,
    "ap": DeviceRole.access_point,
    "srv": DeviceRole.server,
}
PLATFORM = Platform("linux", "linux", None, "ssh", True)


def _role(name: str) -> DeviceRole:
    tail = name.rsplit("-", 1)[-1].rstrip("0123456789")
    return ROLES.get(tail, DeviceRole.router)


def _model(role: DeviceRole) -> HardwareModel:
    return HardwareModel(
        f"test-{role.value}", "Test", role, PLATFORM, ("p1", "p2"), ("p1",), 1, 5,
        None, None, None, None,
    )  # fmt: skip


MODELS = {role: _model(role) for role in DeviceRole}


@dataclass
class _Site:
    kind: SiteKind
    pupils: int | None
    district: str
    devices: tuple[str, ...]


class Net:
    def __init__(self) -> None:
        self.sites: dict[str, _Site] = {}
        self.devices: dict[str, Device] = {}
        self.links: dict[str, Link] = {}

    def site(
        self,
        code: str,
        *devices: str,
        kind: str = "school",
        pupils: int | None = None,
        district: str = "760",
    ) -> Net:
        names = devices or (f"{code.lower()}-rt",)
        self.sites[code] = _Site(KINDS[kind], pupils, district, names)
        for name in names:
            n = len(self.devices) + 1
            role = _role(name)
            self.devices[name] = Device(
                name, code, district, role, MODELS[role],
                IPv4Address(f"10.0.{n // 250}.{n % 250 + 1}"), IPv4Network("10.0.0.0/16"),
                None, None, None, None, 1,
            )  # fmt: skip
        return self

    def _end(self, ref: str) -> Endpoint:
        name = ref if ref in self.devices else self.sites[ref].devices[0]
        return Endpoint(name, None, self.devices[name].site)

    def link(
        self, a: str, b: str, id: str | None = None, kind: str = "core", isp: str | None = None
    ) -> Net:
        lid = id or f"l{len(self.links) + 1}"
        assert lid not in self.links, lid
        medium = Medium.metronet if kind == "uplink" else Medium.fiber
        self.links[lid] = Link(
            lid, kind, self._end(a), self._end(b), medium, 1000, isp, None, None, None
        )
        return self

    def up(self, a: str, b: str, id: str | None = None, isp: str | None = None) -> Net:
        """An uplink from site (or device) ``a`` to the upstream ``b``, carried by ``isp``."""
        return self.link(a, b, id, "uplink", isp)

    def lan(self, a: str, b: str, id: str | None = None) -> Net:
        return self.link(a, b, id or f"{a}--{b}", "lan")

    def internet(self, a: str, isp: str, id: str | None = None) -> Net:
        """An Internet uplink from ``a`` to the cloud ``isp:<isp>``."""
        lid = id or f"l{len(self.links) + 1}"
        self.links[lid] = Link(
            lid, "internet", self._end(a), Endpoint(None, None, None), Medium.ftth, 300,
            isp, None, None, None,
        )  # fmt: skip
        return self

    def inv(self) -> Inventory:
        by_site: dict[str, list[str]] = {code: [] for code in self.sites}
        uplinks: dict[str, list[str]] = {code: [] for code in self.sites}
        upstream: dict[str, list[str]] = {code: [] for code in self.sites}
        for link in self.links.values():
            for end in (link.a, link.b):
                if end.site is not None and link.id not in by_site[end.site]:
                    by_site[end.site].append(link.id)
            if link.kind in ("uplink", "internet") and link.a.site is not None:
                uplinks[link.a.site].append(link.id)
                if link.b.site is not None:
                    upstream[link.a.site].append(link.b.site)
        sites = {}
        for slot, (code, s) in enumerate(self.sites.items()):
            sites[code] = Site(
                code, s.kind, f"Site {code}", s.district, "1 Test Street",
                SchoolLevel.thcs if s.kind is SiteKind.school else None,
                s.pupils, None, 0, slot, (), s.devices, s.devices[0],
                tuple(uplinks[code]), tuple(dict.fromkeys(upstream[code])), Endpoints(), (),
            )  # fmt: skip
        districts = {
            code: District(code, i + 1, f"District {code}", DistrictKind.quan, f"d{code}")
            for i, code in enumerate(sorted({s.district for s in self.sites.values()}))
        }
        return Inventory(
            city=City("79", "Thành phố Hồ Chí Minh", "edu.test"),
            sample=True,
            districts=districts,
            models={m.model: m for m in MODELS.values()},
            snmp_profiles={},
            ssh_profiles={},
            sites=sites,
            devices=dict(self.devices),
            links=dict(self.links),
            applications={},
            vms={},
            _by_site_links={code: tuple(ids) for code, ids in by_site.items()},
        )


def chain() -> Net:
    """[A] --a-up--> [PGD] --pgd-up--> [SO] --so-up--> [DC]"""
    return (
        Net()
        .site("DC", kind="dc")
        .site("SO", kind="so")
        .site("PGD", kind="pgd")
        .site("A", pupils=500)
        .up("A", "PGD", "a-up")
        .up("PGD", "SO", "pgd-up")
        .up("SO", "DC", "so-up")
    )


def topo(net: Net) -> Topology:
    return Topology.build(net.inv())


def hops(paths: list[Path]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(p.nodes, p.links) for p in paths]


def cut(t: Topology, element: str) -> tuple[tuple[str, ...], int, int]:
    """(sites cut, pupils cut, devices cut)"""
    i = t.impact(element)
    return i.sites_cut, i.pupils_cut, i.devices_cut
