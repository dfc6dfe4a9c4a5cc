"""A site's devices: profile devices expanded, overrides applied, addresses and records given."""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address

from edunet import model, schema
from edunet.ipam import PoolExhausted
from edunet.load import PathKey
from edunet.resolve.catalogue import GATEWAY_ROLES, check_model_ref
from edunet.resolve.context import Ctx
from edunet.resolve.messages import quote, suggest

Role = schema.DeviceRole

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


def expand_devices(
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


def place_devices(
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
        ctx.claim_address(
            ip,
            f"device {d.name}",
            (*d.path, "mgmt_ip") if d.pin else d.path,
            pinned=d.pin is not None,
        )
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


def build_spares(ctx: Ctx, s: schema.Site, path: PathKey) -> tuple[model.HardwareRecord, ...]:
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


def build_endpoints(ctx: Ctx, e: schema.Endpoints | None, path: PathKey) -> model.Endpoints:
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
