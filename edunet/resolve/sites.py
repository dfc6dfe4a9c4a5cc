"""Sites: kind rules, the IP-plan slot, VLAN prefixes; devices are placed by resolve.devices."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from edunet import model, schema
from edunet.ipam import PoolExhausted
from edunet.load import PathKey
from edunet.resolve.catalogue import check_vlan_ref, items
from edunet.resolve.context import Ctx, Owner
from edunet.resolve.devices import build_endpoints, build_spares, expand_devices, place_devices
from edunet.resolve.messages import suggest

Role = schema.DeviceRole

CORE_SLOTS = 512  # uplink /31s of core sites stay in the lower half of area 0's p2p block


@dataclass
class SiteDraft:
    """A site whose devices exist but whose uplinks are not yet resolved."""

    input: schema.Site
    path: PathKey
    area: int
    slot: int
    vlans: tuple[model.Vlan, ...]
    devices: list[str]
    gateways: list[str]  # devices that carry uplinks: the gateway's role group
    uplinks: list[tuple[schema.Uplink, PathKey]]
    endpoints: model.Endpoints
    spares: tuple[model.HardwareRecord, ...]
    link_ids: list[str] = field(default_factory=list)
    upstream: list[str] = field(default_factory=list)


def build_sites(ctx: Ctx) -> dict[str, SiteDraft]:
    drafts: dict[str, SiteDraft] = {}
    slots: dict[tuple[int, int], tuple[str, PathKey]] = {}
    offices: dict[tuple[str, int], tuple[str, PathKey]] = {}
    valid = items(ctx, "sites")
    raw_sites = [r for r in ctx.source.data.get("sites") or [] if isinstance(r, dict)]
    for raw in raw_sites:  # sites that failed their schema
        if ctx.is_broken("sites", str(raw.get("code"))):
            _mark_site_broken(ctx, raw)
    for i, s in valid:
        path: PathKey = ("sites", i)
        if s.code in drafts:
            first = drafts[s.code].path
            ctx.error(
                (*path, "code"),
                f"site code {s.code!r} is already used ({ctx.line_of(first)})",
                "site codes never repeat; a school's code is never reused either",
            )
            continue
        draft = _build_site(ctx, s, path, slots, offices)
        if draft is not None:
            drafts[s.code] = draft
        else:  # reported once; whatever refers to this site stays quiet
            ctx.mark_broken("sites", s.code)
            _mark_site_broken(ctx, ctx.source.data["sites"][i])
    return drafts


def _mark_site_broken(ctx: Ctx, raw: dict[str, object]) -> None:
    """What a rejected site would have provided: its kind, its office, its devices' names."""
    # the district as it was meant: 760 unquoted, or “760” in curly quotes, is still 760
    kind, district = str(raw.get("kind")), re.sub(r"\D", "", str(raw.get("district")))
    ctx.mark_broken("site_kinds", kind)
    if kind == schema.SiteKind.district_office.value:
        ctx.mark_broken("district_offices", district)
    devices = raw.get("devices")
    for device in devices if isinstance(devices, list) else []:
        name = device.get("name") if isinstance(device, dict) else None
        if isinstance(name, str):
            ctx.mark_broken("devices", name)


def _build_site(
    ctx: Ctx,
    s: schema.Site,
    path: PathKey,
    slots: dict[tuple[int, int], tuple[str, PathKey]],
    offices: dict[tuple[str, int], tuple[str, PathKey]],
) -> SiteDraft | None:
    what = f"site {s.code}"
    district = ctx.districts.get(s.district)
    if district is None:
        if not ctx.is_broken("districts", s.district):
            ctx.error(
                (*path, "district"),
                f"{what}: unknown district {s.district!r}",
                _district_hint(ctx, s),
            )
        return None
    profile: schema.Profile | None = None
    profile_index = -1
    if s.profile is not None:
        found = ctx.profiles.get(s.profile)
        if found is None:  # a broken profile was reported where it is declared
            if not ctx.is_broken("profiles", s.profile):
                ctx.error(
                    (*path, "profile"),
                    f"{what}: unknown profile {s.profile!r}",
                    suggest(s.profile, ctx.profiles, "profiles"),
                )
            return None
        profile_index, profile = found
    area = _area(ctx, s, district, path, what)
    if area is None:
        return None
    if not _check_kind(ctx, s, path, what):
        return None
    if s.kind is schema.SiteKind.district_office:
        # one office per district and area: a unit formed by a merger keeps its former
        # districts' offices, each in its own area
        other = offices.get((s.district, area))
        if other is not None:
            ctx.error(
                path,
                f"{what}: district {s.district} already has its office {other[0]} "
                f"({ctx.line_of(other[1])})",
                "one district office per district; make this site another kind",
            )
            return None
        offices[(s.district, area)] = (s.code, path)
    slot = _slot(ctx, s, path, what)
    if slot is None:
        return None
    taken = slots.get((area, slot))
    if taken is not None:
        ctx.error(
            (*path, "slot") if s.slot is not None else (*path, "code"),
            f"{what}: IP-plan slot {slot} of area {area} is already site {taken[0]} "
            f"({ctx.line_of(taken[1])})",
            "two sites of one area cannot share a slot; pin a free 'slot:'",
        )
        return None
    slots[(area, slot)] = (s.code, path)

    vlans = _vlans(ctx, s, profile, area, slot, path, what)
    if vlans is None:
        return None
    devices = expand_devices(ctx, s, profile, profile_index, path, what)
    if devices is None:
        return None
    mgmt = next((v for v in vlans if v.management), None)
    if devices and mgmt is None:
        ctx.error(
            (*path, "vlans") if s.vlans is not None else path,
            f"{what}: has devices but no management VLAN",
            "add the management VLAN to the site's (or its profile's) vlans",
        )
        return None
    gateways = place_devices(ctx, s, devices, mgmt, area, slot, district, path, what)
    if gateways is None:
        return None

    uplinks = s.uplinks if s.uplinks is not None else (profile.uplinks if profile else [])
    # uplinks inherited from the profile are reported at the site's 'profile:' line
    from_site = s.uplinks is not None
    endpoints = build_endpoints(ctx, s.endpoints or (profile.endpoints if profile else None), path)
    spares = build_spares(ctx, s, path)
    return SiteDraft(
        input=s,
        path=path,
        area=area,
        slot=slot,
        vlans=vlans,
        devices=[d.name for d in devices],
        gateways=gateways,
        uplinks=[
            (u, (*path, "uplinks", j) if from_site else (*path, "profile"))
            for j, u in enumerate(uplinks)
        ],
        endpoints=endpoints,
        spares=spares,
    )


def _area(
    ctx: Ctx, s: schema.Site, district: model.District, path: PathKey, what: str
) -> int | None:
    """The IP-plan area: pinned, else 0 for the core, else the district's number."""
    if s.area is not None:
        if s.core and s.area != 0:
            ctx.error(
                (*path, "area"),
                f"{what}: a core site is in area 0, not {s.area}",
                "remove 'area:' or 'core: true'",
            )
            return None
        return s.area
    if s.core:
        return 0
    if district.number is None:
        ctx.error(
            path,
            f"{what}: {district.name} ({district.code}) has no IP-plan area of its own",
            "pin the area the site's addresses come from, 'area: N' (its former district's "
            "number); edunet reorganise writes it",
            key=True,
        )
        return None
    return district.number


def _district_hint(ctx: Ctx, s: schema.Site) -> str:
    """The district a school's own code names comes first: 79760012 is of district 760."""
    city = ctx.city.code if ctx.city else "79"
    implied = re.fullmatch(re.escape(city) + r"([0-9]{3})[0-9]{3}", s.code)
    if implied is not None and implied[1] in ctx.districts:
        return f"did you mean {implied[1]!r}, the district in the school's code {s.code}?"
    return suggest(s.district, list(ctx.districts), "districts")


def _check_kind(ctx: Ctx, s: schema.Site, path: PathKey, what: str) -> bool:
    if s.kind is schema.SiteKind.school:
        if s.level is None:
            ctx.error(
                path,
                f"{what}: a school needs its level",
                "add 'level:' (mam_non, tieu_hoc, thcs, thpt, lien_cap, gdtx or chuyen_biet)",
                key=True,
            )
            return False
        prefix = (ctx.city.code if ctx.city else "79") + s.district
        if s.area is not None:  # moved by a reorganisation: the code stays as it was issued
            prefix = (ctx.city.code if ctx.city else "79") + "[0-9]{3}"
            if not re.fullmatch(prefix + r"[0-9]{3}", s.code):
                ctx.error(
                    (*path, "code"),
                    f"{what}: a school code is the city's code, a 3-digit district code and "
                    "a 3-digit serial",
                    "keep the code the Department issued",
                )
                return False
        elif not re.fullmatch(re.escape(prefix) + r"[0-9]{3}", s.code):
            ctx.error(
                (*path, "code"),
                f"{what}: a school code is {prefix} (city and district) followed by a "
                f"3-digit serial, e.g. {prefix}012",
                "keep the code the Department issued; if the district is wrong, fix 'district:'",
            )
            return False
    elif s.level is not None:
        ctx.error(
            (*path, "level"),
            f"{what}: only schools have a level, this site is a {s.kind.value}",
            "remove 'level:' or set 'kind: school'",
        )
        return False
    if s.pupils is not None and s.kind is not schema.SiteKind.school:
        ctx.error((*path, "pupils"), f"{what}: only schools have pupils", "remove 'pupils:'")
        return False
    return True


def _slot(ctx: Ctx, s: schema.Site, path: PathKey, what: str) -> int | None:
    if s.slot is not None:
        if s.core and s.slot >= CORE_SLOTS:
            ctx.error(
                (*path, "slot"),
                f"{what}: core sites take slots 0-{CORE_SLOTS - 1}",
                "the rest of the core area's point-to-point pool is kept for explicit links",
            )
            return None
        return s.slot
    if s.kind is schema.SiteKind.school:
        return int(s.code[-3:])
    if s.kind is schema.SiteKind.district_office and not s.core:
        return 0
    ctx.error(
        path,
        f"{what}: a {s.kind.value} site needs an explicit IP-plan slot",
        "add 'slot: N' with a number no other site of its area uses",
        key=True,
    )
    return None


def _vlans(
    ctx: Ctx,
    s: schema.Site,
    profile: schema.Profile | None,
    area: int,
    slot: int,
    path: PathKey,
    what: str,
) -> tuple[model.Vlan, ...] | None:
    plan = ctx.plan
    names = s.vlans if s.vlans is not None else (profile.vlans if profile else [])
    base: PathKey = (*path, "vlans") if s.vlans is not None else (*path, "profile")
    ok = True
    for j, name in enumerate(names):
        p = (*base, j) if s.vlans is not None else base
        ok = check_vlan_ref(ctx, name, p, what) and ok
    for name in s.prefixes:
        if ok and name not in names:  # after an unknown VLAN, its pin is not news
            ctx.error(
                (*path, "prefixes", name),
                f"{what}: prefix pinned for VLAN {name!r}, which the site does not have",
                f"add {name} to the site's vlans, or remove the pin",
                key=True,
            )
            ok = False
    if not ok or plan is None:
        return None
    out: list[model.Vlan] = []
    for name in names:
        vt = ctx.vlan_types[name]
        pinned = s.prefixes.get(name)
        try:
            if pinned is not None:
                prefix = pinned
            elif vt.management:
                prefix = plan.site_management(area, slot)
            elif name in plan.slices:
                prefix = plan.vlan_prefix(area, slot, name)
            else:
                ctx.error(
                    (*path, "prefixes") if s.prefixes else path,
                    f"{what}: VLAN {name!r} has no size in the catalogue, "
                    "so its prefix must be pinned",
                    f"add 'prefixes: {{{name}: 10.x.y.0/24}}' to the site",
                    key=True,
                )
                return None
        except PoolExhausted as e:
            ctx.error(
                (*path, "slot") if s.slot is not None else (*path, "code"),
                f"{what}: address pool exhausted: {e}",
                "pin a smaller 'slot:', pin the site's prefixes, or widen the pool in ip_plan",
            )
            return None
        if prefix.prefixlen > 30:
            ctx.error((*path, "prefixes", name), f"{what}: {prefix} is too small for a LAN", "")
            return None
        owner = Owner(
            f"VLAN {name} of site {s.code}",
            (*path, "prefixes", name) if pinned else path,
            pinned=pinned is not None,
        )
        ctx.prefixes.append((prefix, owner))
        gateway = IPv4Address(int(prefix.network_address) + 1)
        out.append(
            model.Vlan(name, vt.id, vt.title, prefix, gateway, vt.management, vt.dhcp, vt.wired)
        )
    return tuple(out)


def finish_sites(ctx: Ctx, drafts: dict[str, SiteDraft]) -> None:
    for code, d in drafts.items():
        s = d.input
        ctx.sites[code] = model.Site(
            code=code,
            kind=s.kind,
            name=s.name,
            district=s.district,
            address=s.address,
            level=s.level,
            pupils=s.pupils,
            profile=s.profile,
            area=d.area,
            slot=d.slot,
            vlans=d.vlans,
            devices=tuple(d.devices),
            gateway=d.gateways[0] if d.gateways else None,
            uplinks=tuple(d.link_ids),
            upstream=tuple(dict.fromkeys(d.upstream)),
            endpoints=d.endpoints,
            spares=d.spares,
            isolated=s.isolated,
            location=model.Location(s.location.lat, s.location.lon) if s.location else None,
        )
        ctx.site_paths[code] = d.path


def overlapping_prefixes(ctx: Ctx) -> None:
    """Report prefixes that overlap; pools may contain prefixes, nothing else may.

    Each overlap is reported once, at the prefix to change: the pinned one when only one
    of the two is pinned (the other was allocated by the plan), else the later one.
    """
    if ctx.is_broken("ip_plan", "pools"):
        return  # allocated from overlapping pools, prefixes overlap: not news
    entries = sorted(
        (int(net.network_address), net.prefixlen, n, net, owner)
        for n, (net, owner) in enumerate(ctx.prefixes)
    )
    reported: set[int] = set()  # a pin over several prefixes is one mistake
    open_: list[tuple[int, IPv4Network, Owner]] = []  # (last address, prefix, owner)
    for start, length, _, net, owner in entries:
        open_ = [e for e in open_ if e[0] >= start]
        for _, other, other_owner in open_:
            if other_owner.pool:
                continue  # pools contain the prefixes allocated from them
            here, there = (net, owner), (other, other_owner)
            if other_owner.pinned and not owner.pinned:
                here, there = there, here
            if id(here[1]) in reported or id(there[1]) in reported:
                break
            reported.add(id(here[1]))
            ctx.error(
                here[1].path,
                f"{here[1].what}: {here[0]} overlaps {there[0]} of {there[1].what} "
                f"({ctx.line_of(there[1].path)})",
                "pin a prefix that does not overlap, or remove the pin"
                if here[1].pinned
                else "pin a prefix for one of the two that does not overlap",
            )
            break
        open_.append((start + (1 << (32 - length)) - 1, net, owner))
