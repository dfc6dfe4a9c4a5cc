"""Sites and their devices: profiles expanded, overrides applied, addresses allocated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from edunet import model, schema
from edunet.ipam import PoolExhausted
from edunet.load import PathKey
from edunet.resolve.catalogue import GATEWAY_ROLES, check_model_ref, check_vlan_ref, items
from edunet.resolve.context import Ctx, Owner
from edunet.resolve.messages import quote, suggest

Role = schema.DeviceRole

CORE_SLOTS = 512  # uplink /31s of core sites stay in the lower half of area 0's p2p block

ABBREVIATIONS: dict[Role, str] = {
    Role.router: "rt",
    Role.firewall: "fw",
    Role.core_switch: "cs",
    Role.access_switch: "sw",
    Role.access_point: "ap",
    Role.server: "srv",
    Role.workstation: "ws",
}


@dataclass
class DeviceDraft:
    name: str
    role: Role
    model: str
    path: PathKey
    pin: IPv4Address | None = None
    snmp: str | None = None
    ssh: str | None = None
    hardware: schema.HardwareRecord | None = None
    hardware_path: PathKey = ()


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
    offices: dict[str, tuple[str, PathKey]] = {}
    valid = items(ctx, "sites")
    for raw in ctx.source.data.get("sites") or []:  # sites that failed their schema
        if isinstance(raw, dict) and ctx.is_broken("sites", str(raw.get("code"))):
            _mark_site_broken(ctx, str(raw.get("kind")), str(raw.get("district")))
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
            _mark_site_broken(ctx, s.kind.value, s.district)
    return drafts


def _mark_site_broken(ctx: Ctx, kind: str, district: str) -> None:
    ctx.mark_broken("site_kinds", kind)
    if kind == schema.SiteKind.district_office.value:
        ctx.mark_broken("district_offices", district)


def _build_site(
    ctx: Ctx,
    s: schema.Site,
    path: PathKey,
    slots: dict[tuple[int, int], tuple[str, PathKey]],
    offices: dict[str, tuple[str, PathKey]],
) -> SiteDraft | None:
    what = f"site {s.code}"
    district = ctx.districts.get(s.district)
    if district is None:
        if not ctx.is_broken("districts", s.district):
            ctx.error(
                (*path, "district"),
                f"{what}: unknown district {s.district!r}",
                suggest(s.district, [f"{d.code}" for d in ctx.districts.values()], "districts"),
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
    if not _check_kind(ctx, s, path, what):
        return None
    if s.kind is schema.SiteKind.district_office:
        other = offices.get(s.district)
        if other is not None:
            ctx.error(
                path,
                f"{what}: district {s.district} already has its office {other[0]} "
                f"({ctx.line_of(other[1])})",
                "one district office per district; make this site another kind",
            )
            return None
        offices[s.district] = (s.code, path)
    slot = _slot(ctx, s, path, what)
    if slot is None:
        return None
    area = 0 if s.core else district.number
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
    devices = _devices(ctx, s, profile, profile_index, path, what)
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
    gateways = _place_devices(ctx, s, devices, mgmt, area, slot, district, path, what)
    if gateways is None:
        return None

    uplinks = s.uplinks if s.uplinks is not None else (profile.uplinks if profile else [])
    # uplinks inherited from the profile are reported at the site's 'profile:' line
    from_site = s.uplinks is not None
    endpoints = _endpoints(ctx, s.endpoints or (profile.endpoints if profile else None), path)
    spares = _spares(ctx, s, path)
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
        if not re.fullmatch(re.escape(prefix) + r"[0-9]{3}", s.code):
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
            f"VLAN {name} of site {s.code}", (*path, "prefixes", name) if pinned else path
        )
        ctx.prefixes.append((prefix, owner))
        gateway = IPv4Address(int(prefix.network_address) + 1)
        out.append(model.Vlan(name, vt.id, vt.title, prefix, gateway, vt.management, vt.dhcp))
    return tuple(out)


def _devices(
    ctx: Ctx,
    s: schema.Site,
    profile: schema.Profile | None,
    profile_index: int,
    path: PathKey,
    what: str,
) -> list[DeviceDraft] | None:
    prefix = s.code.lower()
    counters: dict[Role, int] = {}
    drafts: list[DeviceDraft] = []
    by_name: dict[str, DeviceDraft] = {}

    def next_name(role: Role) -> str:
        counters[role] = counters.get(role, 0) + 1
        return f"{prefix}-{ABBREVIATIONS[role]}{counters[role]}"

    if profile is not None:
        for j, pd in enumerate(profile.devices):
            for _ in range(pd.count):
                d = DeviceDraft(
                    next_name(pd.role),
                    pd.role,
                    pd.model,
                    ("profiles", profile_index, "devices", j),
                )
                drafts.append(d)
                by_name[d.name] = d
    ok = True
    for j, dev in enumerate(s.devices):
        dpath: PathKey = (*path, "devices", j)
        if check_model_ref(ctx, dev.model, dev.role, dpath, what) is None:
            ok = False
        existing = (
            (by_name.get(dev.name) or by_name.get(f"{prefix}-{dev.name}")) if dev.name else None
        )
        if existing is not None:  # override a profile device by name
            existing.role, existing.model, existing.path = dev.role, dev.model, dpath
            target = existing
        else:
            target = DeviceDraft(dev.name or next_name(dev.role), dev.role, dev.model, dpath)
            if dev.name:
                counters[dev.role] = counters.get(dev.role, 0) + 1
            drafts.append(target)
            by_name[target.name] = target
        target.pin, target.snmp, target.ssh = dev.mgmt_ip, dev.snmp, dev.ssh
        if dev.hardware is not None:
            target.hardware, target.hardware_path = dev.hardware, (*dpath, "hardware")
    for key, record in s.hardware.items():
        hpath: PathKey = (*path, "hardware", key)
        target_d = by_name.get(key) or by_name.get(f"{prefix}-{key}")
        if target_d is None:
            ctx.error(
                hpath,
                f"{what}: hardware record for {key!r}, but the site has no such device",
                suggest(key, [n[len(prefix) + 1 :] for n in by_name], "devices of this site"),
                key=True,
            )
            ok = False
            continue
        if target_d.hardware is not None:
            ctx.error(
                hpath,
                f"{what}: device {target_d.name} has two hardware records",
                "keep one",
                key=True,
            )
            ok = False
            continue
        target_d.hardware, target_d.hardware_path = record, hpath
    if not ok:
        return None
    # the gateway (first router or firewall) leads, whatever order overrides came in
    gw = next((d for d in drafts if d.role in GATEWAY_ROLES), None)
    if gw is not None and drafts[0] is not gw:
        drafts.remove(gw)
        drafts.insert(0, gw)
    return drafts


def _place_devices(
    ctx: Ctx,
    s: schema.Site,
    drafts: list[DeviceDraft],
    mgmt: model.Vlan | None,
    area: int,
    slot: int,
    district: model.District,
    path: PathKey,
    what: str,
) -> list[str] | None:
    """Give each device its addresses, credentials and hardware record; return the gateways."""
    plan = ctx.plan
    if not drafts:
        return []
    assert plan is not None and mgmt is not None
    gateway = drafts[0] if drafts[0].role in GATEWAY_ROLES else None
    if gateway is None:
        ctx.error(
            (*path, "devices") if s.devices else path,
            f"{what}: has devices but no router or firewall to be its gateway",
            "add a router (or firewall) to the site or its profile",
            key=True,
        )
        return None
    role_index: dict[str, int] = {}
    loop_index = 0
    ok = True
    for d in drafts:
        hw = ctx.models[d.model]
        is_gw = d is gateway
        group = "edge" if d.role in GATEWAY_ROLES else d.role.value
        index = 0 if is_gw else role_index.get(group, 0)
        if not is_gw:
            role_index[group] = index + 1
        try:
            ip = d.pin or plan.management_host(mgmt.prefix, d.role, index, is_gw)
            loopback = None
            if d.role in GATEWAY_ROLES:
                loopback = plan.loopback(area, slot, loop_index)
                loop_index += 1
        except PoolExhausted as e:
            ctx.error(
                d.path,
                f"{what}: device {d.name}: address pool exhausted: {e}",
                "pin 'mgmt_ip:' on the device, or move some devices to another site",
            )
            ok = False
            continue
        if d.name in ctx.devices:
            ctx.error(
                d.path if d.path[0] == "sites" else path,
                f"{what}: device name {d.name!r} is already used "
                f"({ctx.line_of(ctx.device_paths[d.name])})",
                "give the device a unique 'name:'",
            )
            ok = False
            continue
        ctx.claim_address(ip, f"device {d.name}", (*d.path, "mgmt_ip") if d.pin else d.path)
        if loopback is not None:
            ctx.claim_address(loopback, f"loopback of {d.name}", d.path)
        snmp = _credential(ctx, "snmp", d.snmp or s.snmp or ctx.defaults.snmp, d, path, what)
        ssh = _credential(ctx, "ssh", d.ssh or s.ssh or ctx.defaults.ssh, d, path, what)
        record = None
        if d.hardware is not None:
            record = _record(ctx, d.hardware, d.model, s.code, d.name, d.hardware_path)
        ctx.devices[d.name] = model.Device(
            name=d.name,
            site=s.code,
            district=district.code,
            role=d.role,
            model=hw,
            mgmt_ip=ip,
            mgmt_prefix=mgmt.prefix,
            loopback=loopback,
            snmp=snmp if hw.platform.snmp else None,  # type: ignore[arg-type]
            ssh=ssh,  # type: ignore[arg-type]
            hardware=record,
            ordinal=_ordinal(d.name),
        )
        ctx.device_paths[d.name] = d.path if d.path[0] == "sites" else path
    if not ok:
        return None
    return [d.name for d in drafts if d.role is gateway.role]


def _ordinal(name: str) -> int:
    m = re.search(r"(\d+)$", name)
    return int(m.group(1)) if m else 1


def _credential(
    ctx: Ctx, kind: str, ref: str | None, d: DeviceDraft, path: PathKey, what: str
) -> model.SnmpProfile | model.SshProfile | None:
    if ref is None:
        return None
    table: dict[str, model.SnmpProfile] | dict[str, model.SshProfile] = (
        ctx.snmp if kind == "snmp" else ctx.ssh
    )
    found = table.get(ref)
    if found is None and not ctx.is_broken(kind, ref):
        where = (*d.path, kind) if getattr(d, kind) else (*path, kind)
        ctx.error(
            where,
            f"{what}: device {d.name}: unknown {kind} credential profile {ref!r}",
            suggest(ref, table, f"{kind} profiles (credentials.{kind})"),
        )
    return found


def _record(
    ctx: Ctx, r: schema.HardwareRecord, model_name: str, site: str, device: str | None, p: PathKey
) -> model.HardwareRecord:
    owner = f"{device or 'a spare'} at {site}"
    ctx.claim_unique(ctx.serials, r.serial, "serial", owner, (*p, "serial"))
    ctx.claim_unique(ctx.asset_tags, r.asset_tag, "asset tag", owner, (*p, "asset_tag"))
    if r.warranty_end < r.purchased:
        ctx.error(
            (*p, "warranty_end"),
            f"{owner}: warranty ends {r.warranty_end}, before the purchase on {r.purchased}",
            "correct one of the dates",
        )
    if device is None and r.status is schema.HardwareStatus.in_service:
        ctx.error(
            (*p, "status"),
            f"{owner}: a spare cannot be in service",
            "use spare, in_repair or retired; a device in service belongs under 'devices:'",
        )
    if device is not None and r.status is schema.HardwareStatus.spare:
        ctx.error(
            (*p, "status"),
            f"{owner}: a deployed device cannot be a spare",
            "use in_service, in_repair or retired; list spares under the site's 'spares:'",
        )
    return model.HardwareRecord(
        r.serial,
        r.asset_tag,
        model_name,
        r.purchased,
        r.supplier,
        r.contract,
        r.warranty_end,
        r.cost_vnd,
        r.status,
        site,
        device,
    )


def _spares(ctx: Ctx, s: schema.Site, path: PathKey) -> tuple[model.HardwareRecord, ...]:
    out: list[model.HardwareRecord] = []
    for j, sp in enumerate(s.spares):
        p: PathKey = (*path, "spares", j)
        if sp.model not in ctx.models:
            if not ctx.is_broken("hardware_models", sp.model):
                ctx.error(
                    (*p, "model"),
                    f"site {s.code}: spare of unknown model {sp.model!r}",
                    suggest(sp.model, ctx.models, "models"),
                )
            continue
        out.append(_record(ctx, sp, sp.model, s.code, None, p))
    return tuple(out)


def _endpoints(ctx: Ctx, e: schema.Endpoints | None, path: PathKey) -> model.Endpoints:
    if e is None:
        return model.Endpoints()
    if e.workstation_model is not None:
        hw = ctx.models.get(e.workstation_model)
        if hw is None or hw.role is not Role.workstation:
            ctx.error(
                (*path, "endpoints", "workstation_model"),
                f"workstation model {quote(e.workstation_model)} is not a workstation "
                "in the catalogue",
                suggest(
                    e.workstation_model,
                    [m for m, h in ctx.models.items() if h.role is Role.workstation],
                    "workstation models",
                ),
            )
    return model.Endpoints(e.workstations, e.laptops, e.cameras, e.printers, e.workstation_model)


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
        )
        ctx.site_paths[code] = d.path


def overlapping_prefixes(ctx: Ctx) -> None:
    """Report prefixes that overlap; pools may contain prefixes, nothing else may."""
    entries = sorted(
        (int(net.network_address), net.prefixlen, n, net, owner)
        for n, (net, owner) in enumerate(ctx.prefixes)
    )
    open_: list[tuple[int, IPv4Network, Owner]] = []  # (last address, prefix, owner)
    for start, length, _, net, owner in entries:
        open_ = [e for e in open_ if e[0] >= start]
        for _, other, other_owner in open_:
            if other_owner.what.startswith("the IP plan's"):
                continue  # pools contain the prefixes allocated from them
            ctx.error(
                owner.path,
                f"{owner.what}: {net} overlaps {other} of {other_owner.what} "
                f"({ctx.line_of(other_owner.path)})",
                "pin a prefix that does not overlap, or remove the pin",
            )
            break
        open_.append((start + (1 << (32 - length)) - 1, net, owner))
