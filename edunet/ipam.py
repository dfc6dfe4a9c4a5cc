"""The IP plan: stable prefix and address allocation from stable keys.

Nothing here depends on the order or the presence of other sites. A site's addresses
are a pure function of its (area, slot) and the plan, so adding or removing a school
never renumbers another one:

* area: 0 for the city core (Department, data center), else the district's ``number``;
* slot: the site's stable number in its area — for a school the serial in its school
  code (``79`` + district + serial), for a district office 0; pinned with ``slot:``.

Pools (each split per area, then per slot):

============  ===========================  ===========================================
pool          per area                     per site slot
============  ===========================  ===========================================
management    ``area_management_prefix``   one ``site_management_prefix`` (the
                                           management VLAN; device addresses by role)
sites         ``area_sites_prefix``        one ``site_block_prefix`` carved into the
                                           catalogue's VLANs in catalogue order
loopbacks     ``area_loopbacks_prefix``    4 addresses (routers and firewalls)
p2p           ``area_p2p_prefix``          4 /31s (uplinks 1–4, by position)
============  ===========================  ===========================================
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from edunet.schema import DeviceRole
from edunet.schema import IpPlan as IpPlanInput

LOOPBACKS_PER_SLOT = 4
UPLINKS_PER_SLOT = 4

# Management host offsets by role inside a site's management prefix (a /26 by default).
# The site's gateway always takes offset 1, the first host, which is the VLAN's gateway.
ROLE_HOSTS: dict[DeviceRole, range] = {
    DeviceRole.router: range(1, 5),
    DeviceRole.firewall: range(1, 5),
    DeviceRole.core_switch: range(5, 9),
    DeviceRole.access_switch: range(9, 25),
    DeviceRole.access_point: range(25, 57),
    DeviceRole.server: range(57, 63),
    DeviceRole.workstation: range(0),  # endpoints take DHCP; pin an address if one is managed
}


class PoolExhausted(Exception):
    """A stable key falls outside its pool; the message says which and how big it is."""


@dataclass(frozen=True, slots=True)
class VlanSlice:
    """Where a catalogue VLAN sits inside every site block."""

    offset: int  # addresses from the start of the block
    prefix_length: int


def size(net: IPv4Network) -> int:
    """Addresses in a prefix (``num_addresses`` is a slow property in a hot loop)."""
    return 1 << (32 - net.prefixlen)


def _subnet(parent: IPv4Network, new_prefix: int, index: int, what: str) -> IPv4Network:
    if new_prefix < parent.prefixlen:
        raise PoolExhausted(f"{what}: /{new_prefix} does not fit inside {parent}")
    count = 1 << (new_prefix - parent.prefixlen)
    if not 0 <= index < count:
        raise PoolExhausted(
            f"{what}: number {index} is outside {parent}, which holds {count} /{new_prefix}s"
        )
    base = int(parent.network_address) + (index << (32 - new_prefix))
    return IPv4Network((base, new_prefix))


class IpPlan:
    """Allocation functions over one plan; cheap to call, no state besides the plan."""

    def __init__(self, plan: IpPlanInput, slices: dict[str, VlanSlice]):
        self.plan = plan
        self.slices = slices
        self._areas: dict[tuple[str, int], IPv4Network] = {}

    # --- per area (a handful of blocks, asked for at every site: kept) -------------------

    def _area(self, pool: str, area: int) -> IPv4Network:
        block = self._areas.get((pool, area))
        if block is None:
            p = self.plan
            parent, prefix, what = {
                "management": (p.management, p.area_management_prefix, "management pool"),
                "sites": (p.sites, p.area_sites_prefix, "sites pool"),
                "loopbacks": (p.loopbacks, p.area_loopbacks_prefix, "loopback pool"),
                "p2p": (p.p2p, p.area_p2p_prefix, "point-to-point pool"),
            }[pool]
            block = self._areas[(pool, area)] = _subnet(parent, prefix, area, what)
        return block

    def area_management(self, area: int) -> IPv4Network:
        return self._area("management", area)

    def area_sites(self, area: int) -> IPv4Network:
        return self._area("sites", area)

    def area_loopbacks(self, area: int) -> IPv4Network:
        return self._area("loopbacks", area)

    def area_p2p(self, area: int) -> IPv4Network:
        return self._area("p2p", area)

    # --- per site ----------------------------------------------------------------------

    def site_management(self, area: int, slot: int) -> IPv4Network:
        return _subnet(
            self.area_management(area),
            self.plan.site_management_prefix,
            slot,
            f"management pool of area {area}",
        )

    def site_block(self, area: int, slot: int) -> IPv4Network:
        return _subnet(
            self.area_sites(area), self.plan.site_block_prefix, slot, f"sites pool of area {area}"
        )

    def vlan_prefix(self, area: int, slot: int, vlan: str) -> IPv4Network:
        s = self.slices[vlan]
        block = self.site_block(area, slot)
        return IPv4Network((int(block.network_address) + s.offset, s.prefix_length))

    def loopback(self, area: int, slot: int, index: int) -> IPv4Address:
        pool = self.area_loopbacks(area)
        n = slot * LOOPBACKS_PER_SLOT + index
        if index >= LOOPBACKS_PER_SLOT or n >= size(pool):
            raise PoolExhausted(
                f"loopback pool of area {area} ({pool}) has no address {n} "
                f"(slot {slot}, router/firewall {index + 1})"
            )
        return IPv4Address(int(pool.network_address) + n)

    def uplink_p2p(self, area: int, slot: int, index: int) -> IPv4Network:
        if index >= UPLINKS_PER_SLOT:
            raise PoolExhausted(
                f"a site has at most {UPLINKS_PER_SLOT} uplinks (its /31s are kept by position)"
            )
        return _subnet(
            self.area_p2p(area),
            31,
            slot * UPLINKS_PER_SLOT + index,
            f"point-to-point pool of area {area}",
        )

    def core_p2p(self, link_id: str, taken: set[int]) -> IPv4Network:
        """An explicit link's /31 in the upper half of the core area, by a hash of its id."""
        pool = self.area_p2p(0)
        half = size(pool) // 4  # number of /31s in the upper half
        start = zlib.crc32(link_id.encode()) % half
        for step in range(half):
            index = 2 * half - 1 - (start + step) % half
            if index not in taken:
                taken.add(index)
                return _subnet(pool, 31, index, "core point-to-point pool")
        raise PoolExhausted(f"core point-to-point pool {pool} is full")

    def management_host(
        self, prefix: IPv4Network, role: DeviceRole, index: int, gateway: bool
    ) -> IPv4Address:
        """The management address of the ``index``-th (0-based) device of a role in a site."""
        hosts = ROLE_HOSTS[role]
        offset = 1 if gateway else (hosts.start + index + (1 if hosts.start == 1 else 0))
        if not gateway and offset >= hosts.stop:
            raise PoolExhausted(
                f"{role.value} number {index + 1} has no management address: "
                f"a site has room for {len(hosts) - (1 if hosts.start == 1 else 0)} "
                f"{role.value} devices (offsets {hosts.start}-{hosts.stop - 1} of its "
                "management prefix)"
            )
        if offset >= size(prefix) - 1:
            raise PoolExhausted(f"management prefix {prefix} has no host offset {offset}")
        return IPv4Address(int(prefix.network_address) + offset)


def vlan_slices(entries: list[tuple[str, int]], block_prefix: int) -> dict[str, VlanSlice]:
    """Fixed positions of the catalogue's VLANs in a site block, in catalogue order.

    Each prefix is aligned to its own size, so appending a VLAN type never moves the
    earlier ones. Raises :class:`PoolExhausted` when the catalogue outgrows the block.
    """
    size = 1 << (32 - block_prefix)
    cursor = 0
    out: dict[str, VlanSlice] = {}
    for name, length in entries:
        need = 1 << (32 - length)
        offset = (cursor + need - 1) // need * need
        if offset + need > size:
            raise PoolExhausted(
                f"VLAN {name!r} (/{length}) does not fit: the catalogue needs more than the "
                f"{size} addresses of a /{block_prefix} site block"
            )
        out[name] = VlanSlice(offset, length)
        cursor = offset + need
    return out
