"""Which inventory device a discovered one is: by management address, then serial, then name;
and where a device the inventory lacks belongs, from its management subnet and the IP plan."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

from edunet.ipam import PoolExhausted
from edunet.model import Device, HardwareModel, Inventory
from exporters.discover.tell import Told

__all__ = ["Catalogue", "Matcher", "SiteGuess"]


@dataclass(frozen=True, slots=True)
class SiteGuess:
    site: str | None  # an inventory site's code; None: a site the inventory lacks
    district: str | None  # district code (None: the city core or outside the plan)
    area: int | None
    slot: int | None
    code: str  # the site's code: the inventory's, else from the device name's prefix


class Matcher:
    def __init__(self, inv: Inventory):
        self.inv = inv
        self.by_address = {str(d.mgmt_ip): d for d in inv.devices.values()}
        self.by_serial = {
            r.serial: inv.devices[r.device]
            for r in inv.hardware()
            if r.device is not None and r.device in inv.devices
        }
        self.by_name = {name.lower(): d for name, d in inv.devices.items()}
        self.by_slot = {(s.area, s.slot): s.code for s in inv.sites.values()}
        # area → unit: a unit's own number, and the areas its sites pin (kept from a merger)
        self.districts = {d.number: d.code for d in inv.districts.values() if d.number}
        for s in inv.sites.values():
            if s.area:
                self.districts.setdefault(s.area, s.district)
        self.subnets = {d.mgmt_prefix: d.site for d in inv.devices.values()}

    def device(self, told: Told) -> Device | None:
        return (
            self.by_address.get(told.address)
            or (self.by_serial.get(told.serial) if told.serial else None)
            or self.by_name.get(told.name.lower())
        )

    def named(self, name: str, address: str | None) -> Device | None:
        """The inventory device an LLDP neighbour is (by its advertised address, or name)."""
        found = self.by_address.get(address) if address is not None else None
        return found or self.by_name.get(name.lower())

    def site(self, address: str, name: str) -> SiteGuess:
        """The site of a management address: a known subnet's, else the IP plan's slot."""
        ip = IPv4Address(address)
        for subnet, code in self.subnets.items():
            if ip in subnet:
                site = self.inv.sites[code]
                return SiteGuess(site.code, site.district, site.area, site.slot, site.code)
        code = _code_from_name(name)
        plan = self.inv.plan
        if plan is None:
            return SiteGuess(None, None, None, None, code)
        areas = [0, *sorted(self.districts)]
        for area in areas:
            try:
                block = plan.area_management(area)
            except PoolExhausted:  # an area beyond the pool
                continue
            if ip not in block:
                continue
            shift = 32 - plan.plan.site_management_prefix
            slot = (int(ip) - int(block.network_address)) >> shift
            known = self.by_slot.get((area, slot))
            return SiteGuess(known, self.districts.get(area), area, slot, known or code)
        return SiteGuess(None, None, None, None, code)


def _code_from_name(name: str) -> str:
    """edunet names a device ``<site prefix>-<role><n>``: the prefix, as a site code."""
    prefix = name.rsplit("-", 1)[0] if "-" in name else name
    return prefix.upper()


class Catalogue:
    """The inventory's hardware models, by ENTITY-MIB model name or sysObjectID."""

    def __init__(self, inv: Inventory):
        self.by_name = {m.model.lower(): m for m in inv.models.values()}
        by_oid: dict[str, list[HardwareModel]] = {}
        for m in inv.models.values():
            if m.sys_object_id:
                by_oid.setdefault(m.sys_object_id, []).append(m)
        self.by_oid = by_oid

    def model(self, told: Told) -> tuple[HardwareModel | None, str]:
        """The model and how it was known: ``entity``, ``sysObjectID`` (only when one model of
        the catalogue has that sysObjectID), or ``""`` when neither tells."""
        if told.model and told.model.lower() in self.by_name:
            return self.by_name[told.model.lower()], "entity"
        candidates = self.by_oid.get(told.object_id, [])
        if len(candidates) == 1:
            return candidates[0], "sysObjectID"
        return None, ""
