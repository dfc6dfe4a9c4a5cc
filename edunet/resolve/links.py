"""Links: each site's uplinks, the explicit core links, and the wiring inside a site."""

from __future__ import annotations

import re
from collections import Counter
from ipaddress import IPv4Interface, IPv4Network

from edunet import model, schema
from edunet.ipam import UPLINKS_PER_SLOT, PoolExhausted
from edunet.load import PathKey
from edunet.resolve.catalogue import items
from edunet.resolve.context import Ctx, Owner
from edunet.resolve.messages import suggest
from edunet.resolve.sites import SiteDraft

Role = schema.DeviceRole
DISTRICT = "district"
GENERATED_ID = re.compile(r"(-up[0-9]+$)|--")


def _sla(s: schema.UplinkSla | None) -> model.Sla | None:
    return model.Sla(s.availability_pct, s.restore_hours) if s else None


def _use_port(ctx: Ctx, device: str, port: str | None, link: str, path: PathKey) -> bool:
    if port is None:
        return True
    owner = ctx.used_ports.get((device, port))
    if owner is not None:
        ctx.error(
            path,
            f"link {link}: port {device}:{port} is already used by link {owner}",
            "use another port",
        )
        return False
    ctx.used_ports[(device, port)] = link
    return True


def _p2p_ends(net: IPv4Network) -> tuple[IPv4Interface, IPv4Interface]:
    """(downstream, upstream) ends of a /31: the upstream side takes the even address."""
    base = int(net.network_address)
    return IPv4Interface((base + 1, 31)), IPv4Interface((base, 31))


def _has_data_center(ctx: Ctx, drafts: dict[str, SiteDraft]) -> bool:
    return ctx.is_broken("site_kinds", schema.SiteKind.datacenter.value) or any(
        d.input.kind is schema.SiteKind.datacenter for d in drafts.values()
    )


def note_unknown_uplink_sites(ctx: Ctx, drafts: dict[str, SiteDraft]) -> None:
    """Uplink targets that are no site: one mistake however many uplinks name one.

    Each is reported once, at its first uplink (or, when the inventory has no data center,
    as the missing data center); links and services that name its devices stay quiet.
    """
    unknown = Counter(
        up.to
        for d in drafts.values()
        for up, _ in d.uplinks
        if up.to not in (DISTRICT, "internet")
        and up.to not in drafts
        and not ctx.is_broken("sites", up.to)
    )
    ctx.unknown_uplink_sites = dict(unknown)
    for code in unknown:
        ctx.mark_broken("sites", code)


def build_uplinks(ctx: Ctx, drafts: dict[str, SiteDraft]) -> None:
    # "to: district" is the office of the site's IP-plan area, where its line was laid: a
    # unit formed by a merger has several offices, and a reorganisation moves no fibre
    by_area: dict[int, str] = {}
    by_district: dict[str, str] = {}
    for code, d in drafts.items():
        if d.input.kind is schema.SiteKind.district_office:
            if d.area != 0:  # the core area holds no district's schools
                by_area.setdefault(d.area, code)
            by_district.setdefault(d.input.district, code)
    has_dc = _has_data_center(ctx, drafts)
    told: set[str] = set()
    for code, d in drafts.items():
        what = f"site {code}"
        for index, (up, path) in enumerate(d.uplinks):
            if not d.gateways:
                ctx.error(path, f"{what}: has an uplink but no gateway device", "add a router")
                break
            link_id = f"{code.lower()}-up{index + 1}"
            near = d.gateways[index % len(d.gateways)]
            hw = ctx.devices[near].model
            port = up.port
            if port is None:
                k = index // len(d.gateways)
                if k >= len(hw.uplink_ports):
                    ctx.error(
                        path,
                        f"{what}: uplink {index + 1} needs a port, but {near} ({hw.model}) has "
                        f"{len(hw.uplink_ports)} uplink port(s)",
                        "give the uplink a 'port:', or a gateway model with more uplink ports",
                    )
                    continue
                port = hw.uplink_ports[k]
            elif port not in hw.interfaces:
                ctx.error(
                    (*path, "port"),
                    f"{what}: {near} ({hw.model}) has no port {port!r}",
                    suggest(port, hw.interfaces, "ports"),
                )
                continue
            if not _use_port(ctx, near, port, link_id, path):
                continue
            if up.to == "internet":
                ctx.links[link_id] = model.Link(
                    link_id,
                    model.INTERNET,
                    model.Endpoint(near, port, code),
                    model.Endpoint(None, None, None),
                    up.medium,
                    up.bandwidth_mbps,
                    up.isp,
                    _sla(up.sla),
                    None,
                    up.circuit_id,
                )
                d.link_ids.append(link_id)
                continue
            target = (
                by_area.get(d.area, by_district.get(d.input.district))
                if up.to == DISTRICT
                else up.to
            )
            if target is None or target not in drafts:
                if up.to == DISTRICT and ctx.is_broken("district_offices", d.input.district):
                    pass  # the office itself was reported
                elif up.to == DISTRICT:
                    ctx.error(
                        (*path, "to"),
                        f"{what}: uplink to its district office, but district "
                        f"{d.input.district} has no district office site",
                        "add the district office (kind: district_office) or name the site in 'to:'",
                    )
                elif up.to in ctx.unknown_uplink_sites and has_dc and up.to not in told:
                    told.add(up.to)
                    more = ctx.unknown_uplink_sites[up.to] - 1
                    ctx.error(
                        (*path, "to"),
                        f"{what}: uplink to unknown site {up.to!r}"
                        + (f" ({more} more uplink(s) name it)" if more else ""),
                        suggest(up.to, [*drafts, DISTRICT, "internet"], "sites"),
                    )
                continue
            if target == code:
                ctx.error((*path, "to"), f"{what}: uplink to itself", "name the upstream site")
                continue
            far_site = drafts[target]
            if not far_site.gateways:
                ctx.error(
                    (*path, "to"),
                    f"{what}: upstream site {target} has no gateway device to terminate the uplink",
                    f"add a router to {target}",
                )
                continue
            # spread downstream sites over the upstream's routers by their stable keys
            far = far_site.gateways[(d.area + d.slot + index) % len(far_site.gateways)]
            p2p = near_ip = far_ip = None
            try:
                assert ctx.plan is not None
                p2p = ctx.plan.uplink_p2p(d.area, d.slot, index)
                near_ip, far_ip = _p2p_ends(p2p)
            except PoolExhausted as e:
                hint = (
                    "a site keeps its /31s by uplink position: remove an uplink"
                    if index >= UPLINKS_PER_SLOT
                    else "widen ip_plan.p2p or lower area_p2p_prefix"
                )
                ctx.error(path, f"{what}: uplink {index + 1}: {e}", hint)
                continue
            ctx.prefixes.append((p2p, Owner(f"uplink {link_id}", path)))
            ctx.links[link_id] = model.Link(
                link_id,
                "uplink",
                model.Endpoint(near, port, code, near_ip),
                model.Endpoint(far, None, target, far_ip),
                up.medium,
                up.bandwidth_mbps,
                up.isp,
                _sla(up.sla),
                p2p,
                up.circuit_id,
            )
            d.link_ids.append(link_id)
            d.upstream.append(target)


def check_connected(ctx: Ctx, drafts: dict[str, SiteDraft]) -> None:
    """Every site but the data center has an uplink, or says it has none on purpose."""
    for code, d in drafts.items():
        s = d.input
        if s.kind is schema.SiteKind.datacenter:
            continue
        where = (*d.path, "uplinks") if s.uplinks is not None else d.path
        if s.isolated and d.uplinks:
            ctx.error(
                (*d.path, "isolated"),
                f"site {code}: 'isolated: true', but it has {len(d.uplinks)} uplink(s)",
                "remove 'isolated: true', or the uplinks",
            )
        elif not s.isolated and not d.uplinks:
            ctx.error(
                where,
                f"site {code}: no uplinks, so no way to the data center",
                "add an uplink (e.g. {to: district, isp: VNPT, medium: metronet, "
                "bandwidth_mbps: 100}), or write 'isolated: true' if it is cut off on purpose",
                key=True,
            )


def _endpoint(ctx: Ctx, text: str, path: PathKey, what: str) -> model.Endpoint | None:
    device, _, port = text.partition(":")
    dev = ctx.devices.get(device)
    if dev is None:
        if not ctx.device_is_broken(device):
            ctx.error(
                path, f"{what}: unknown device {device!r}", suggest(device, ctx.devices, "devices")
            )
        return None
    if port and port not in dev.model.interfaces:
        ctx.error(
            path,
            f"{what}: {device} ({dev.model.model}) has no port {port!r}",
            suggest(port, dev.model.interfaces, "ports"),
        )
        return None
    return model.Endpoint(device, port or None, dev.site)


def build_explicit_links(ctx: Ctx) -> None:
    taken: set[int] = set()
    for i, link in items(ctx, "links"):
        path: PathKey = ("links", i)
        what = f"link {link.id}"
        if link.id in ctx.links:
            ctx.error((*path, "id"), f"{what}: id is already used", "give the link a unique id")
            continue
        if GENERATED_ID.search(link.id):
            ctx.error(
                (*path, "id"),
                f"{what}: ids ending in -up<n> or containing -- are kept for the links "
                "edunet makes from uplinks and site wiring",
                "choose another id, e.g. so-ttdl-fibre-1",
            )
            continue
        a = _endpoint(ctx, link.a, (*path, "a"), what)
        b = _endpoint(ctx, link.b, (*path, "b"), what)
        if a is None or b is None:
            continue
        if a.device == b.device:
            ctx.error((*path, "b"), f"{what}: both ends are {a.device}", "connect two devices")
            continue
        assert a.device is not None and b.device is not None
        if not (
            _use_port(ctx, a.device, a.port, link.id, (*path, "a"))
            and _use_port(ctx, b.device, b.port, link.id, (*path, "b"))
        ):
            continue
        p2p = None
        if link.routed and ctx.plan is not None:
            p2p = ctx.plan.core_p2p(link.id, taken)
            ea, eb = _p2p_ends(p2p)
            a = model.Endpoint(a.device, a.port, a.site, ea)
            b = model.Endpoint(b.device, b.port, b.site, eb)
            ctx.prefixes.append((p2p, Owner(what, path)))
        ctx.links[link.id] = model.Link(
            link.id,
            "core",
            a,
            b,
            link.medium,
            link.bandwidth_mbps,
            link.isp,
            _sla(link.sla),
            p2p,
            link.circuit_id,
        )


# Tiers of a site's LAN, top down; a device hangs off the nearest non-empty tier above it.
TIERS: tuple[tuple[Role, ...], ...] = (
    (Role.router,),
    (Role.firewall,),
    (Role.core_switch,),
    (Role.access_switch,),
    (Role.access_point, Role.server, Role.workstation),
)


def build_lan_links(ctx: Ctx, drafts: dict[str, SiteDraft]) -> None:
    """Wire each site: dual-home to an upper tier of one or two devices, else round-robin."""
    for d in drafts.values():
        devices = [ctx.devices[n] for n in d.devices]
        tiers = [[dev for dev in devices if dev.role in roles] for roles in TIERS]
        free: dict[str, list[str]] = {}
        for t, tier in enumerate(tiers):
            upper = next((u for u in reversed(tiers[:t]) if u), None)
            if upper is None:
                continue
            for n, dev in enumerate(tier):
                parents = upper if len(upper) <= 2 else [upper[n % len(upper)]]
                own = (  # taken one at a time: a device has one or two parents
                    p
                    for p in dict.fromkeys((*dev.model.uplink_ports, *dev.model.interfaces))
                    if (dev.name, p) not in ctx.used_ports
                )
                for parent in parents:
                    link_id = f"{dev.name}--{parent.name}"
                    near = next(own, None)
                    far_ports = _free_ports(ctx, free, parent)
                    far = far_ports.pop(0) if far_ports else None
                    for device, port in ((dev.name, near), (parent.name, far)):
                        if port is not None:
                            ctx.used_ports[(device, port)] = link_id
                            if device == parent.name:
                                continue
                            if port in free.get(device, ()):
                                free[device].remove(port)
                    ctx.links[link_id] = model.Link(
                        link_id,
                        "lan",
                        model.Endpoint(dev.name, near, dev.site),
                        model.Endpoint(parent.name, far, parent.site),
                        schema.Medium.copper,
                        _lan_speed(dev, parent),
                        None,
                        None,
                        None,
                        None,
                    )


def _free_ports(ctx: Ctx, free: dict[str, list[str]], dev: model.Device) -> list[str]:
    """A device's free ports, listed when it is first a parent: a city has a hundred
    thousand devices of 8-48 ports, and most are never a parent."""
    ports = free.get(dev.name)
    if ports is None:
        uplinks = set(dev.model.uplink_ports)
        ports = free[dev.name] = [
            p
            for p in reversed(dev.model.interfaces)
            if p not in uplinks and (dev.name, p) not in ctx.used_ports
        ]
    return ports


def _lan_speed(a: model.Device, b: model.Device) -> int:
    if Role.access_point in (a.role, b.role) or Role.workstation in (a.role, b.role):
        return 1000
    return 10000 if a.role in (Role.core_switch, Role.server) else 1000
