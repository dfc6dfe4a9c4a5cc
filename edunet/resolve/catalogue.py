"""The catalogues other sections refer to: VLAN types, districts, credentials, models, profiles."""

from __future__ import annotations

import re
from typing import Any

from edunet import model, schema
from edunet.ipam import IpPlan, PoolExhausted, vlan_slices
from edunet.platforms import PLATFORMS
from edunet.resolve.context import Ctx, Owner
from edunet.resolve.messages import article, quote, suggest

_RANGE = re.compile(r"^(?P<stem>.*?)(?P<first>\d+)-(?P<last>\d+)$")


def expand_interfaces(spec: list[str]) -> list[str]:
    """``["Gi1/0/1-3", "Te1/1/1"]`` → ``["Gi1/0/1", "Gi1/0/2", "Gi1/0/3", "Te1/1/1"]``."""
    out: list[str] = []
    for item in spec:
        m = _RANGE.match(item)
        if m is None:
            out.append(item)
            continue
        first, last = int(m["first"]), int(m["last"])
        if last < first:
            raise ValueError(f"range {item!r} counts down")
        out.extend(f"{m['stem']}{i}" for i in range(first, last + 1))
    return out


def items(ctx: Ctx, section: str) -> list[tuple[int, Any]]:
    """Validate a list section item by item; return (index, model) for the valid ones."""
    raw = ctx.source.data.get(section) or []
    if not isinstance(raw, list):
        return []  # the wrong shape was reported with the top level
    cls = schema.SECTION_ITEMS[section]
    out: list[tuple[int, Any]] = []
    label = LABELS[section]
    for i, data in enumerate(raw):
        name = _item_name(data)
        what = f"{label} {name}" if name else f"{label} #{i + 1}"
        item = ctx.validate(cls, data, (section, i), what)
        if item is None:
            if name:
                ctx.mark_broken(section, name)
            continue
        out.append((i, item))
    return out


LABELS = {
    "vlans": "VLAN",
    "districts": "district",
    "hardware_models": "model",
    "profiles": "profile",
    "sites": "site",
    "links": "link",
    "applications": "application",
}


def _item_name(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    for key in ("code", "name", "model", "id"):
        value = data.get(key)
        if isinstance(value, str | int):
            return str(value)
    return ""


def build_plan(ctx: Ctx) -> None:
    """VLAN catalogue and IP plan: pools must not overlap, the catalogue must fit a site."""
    types: list[tuple[str, int]] = []
    ids: dict[int, str] = {}
    for i, v in items(ctx, "vlans"):
        path = ("vlans", i)
        if v.name in ctx.vlan_types:
            ctx.error((*path, "name"), f"VLAN type {v.name!r} is declared twice", "remove one")
            continue
        if not 1 <= v.id <= 4094:
            ctx.error(
                (*path, "id"),
                f"VLAN {v.name!r}: id {v.id} is out of range",
                "802.1Q VLAN ids run from 1 to 4094 (1 is best left as the default VLAN)",
            )
        elif v.id in ids:
            ctx.error(
                (*path, "id"),
                f"VLAN {v.name!r}: id {v.id} is already VLAN {ids[v.id]!r}",
                "give each VLAN type its own id",
            )
        else:
            ids[v.id] = v.name
        ctx.vlan_types[v.name] = v
        if v.management and v.prefix_length is not None:
            ctx.error(
                (*path, "prefix_length"),
                f"VLAN {v.name!r} is the management VLAN; "
                "its size is ip_plan.site_management_prefix",
                "remove prefix_length here",
            )
        elif not v.management and v.prefix_length is not None:
            types.append((v.name, v.prefix_length))
    plan = ctx.plan_input
    if plan is None:
        return
    try:
        slices = vlan_slices(types, plan.site_block_prefix)
    except PoolExhausted as e:
        ctx.error(("ip_plan", "site_block_prefix"), str(e), "shrink the VLANs or widen site_block")
        return
    pools = {
        "management": plan.management,
        "sites": plan.sites,
        "loopbacks": plan.loopbacks,
        "p2p": plan.p2p,
    }
    _overlapping_pools(ctx, pools)
    ctx.plan = IpPlan(plan, slices)
    for name, net in pools.items():
        ctx.prefixes.append(
            (net, Owner(f"the IP plan's {name} pool", ("ip_plan", name), pool=True))
        )


def _overlapping_pools(ctx: Ctx, pools: dict[str, Any]) -> None:
    """One problem per pool to move: the one that overlaps the most others (the later on a
    tie), naming all it overlaps. Prefixes allocated from overlapping pools overlap too;
    those are its consequences and are not checked (see overlapping_prefixes)."""
    names = list(pools)
    overlaps = {a: [b for b in names if b != a and pools[a].overlaps(pools[b])] for a in names}
    while any(overlaps.values()):
        worst = max(reversed(names), key=lambda n: len(overlaps[n]))
        others = overlaps.pop(worst)
        names.remove(worst)
        for rest in overlaps.values():
            if worst in rest:
                rest.remove(worst)
        ctx.error(
            ("ip_plan", worst),
            f"ip_plan: pool {worst} {pools[worst]} overlaps "
            + ", ".join(f"pool {o} {pools[o]}" for o in others),
            "give every pool its own range",
        )
        ctx.mark_broken("ip_plan", "pools")


def _area_fits(ctx: Ctx, area: int, path: tuple[str | int, ...], what: str) -> bool:
    """Every pool has a block for this area (checked once here, not at each site)."""
    plan = ctx.plan
    if plan is None:
        return True
    for block in (plan.area_management, plan.area_sites, plan.area_loopbacks, plan.area_p2p):
        try:
            block(area)
        except PoolExhausted as e:
            ctx.error(
                path,
                f"{what}: IP-plan area {area} does not fit: {e}",
                "widen that pool in ip_plan (or lower its area_*_prefix); "
                "never renumber a district",
            )
            return False
    return True


def build_districts(ctx: Ctx) -> None:
    numbers: dict[int, str] = {}
    slugs: dict[str, str] = {}
    for i, d in items(ctx, "districts"):
        path = ("districts", i)
        if d.code in ctx.districts:
            ctx.error((*path, "code"), f"district code {d.code!r} is declared twice", "remove one")
            continue
        if d.number is not None and d.number in numbers:
            ctx.error(
                (*path, "number"),
                f"district {d.code}: number {d.number} is already district {numbers[d.number]}",
                "district numbers pick the IP-plan area and must be unique; never reuse one",
            )
            ctx.mark_broken("districts", d.code)
            continue
        if d.slug in slugs:
            ctx.error((*path, "slug"), f"district slug {d.slug!r} is used twice", "rename one")
        if d.number is not None:
            if not _area_fits(ctx, d.number, (*path, "number"), f"district {d.code}"):
                ctx.mark_broken("districts", d.code)  # its sites would all repeat the problem
                continue
            numbers[d.number] = d.code
        slugs[d.slug] = d.code
        ctx.districts[d.code] = model.District(d.code, d.number, d.name, d.kind, d.slug, d.parent)
    _check_parents(ctx)


def _check_parents(ctx: Ctx) -> None:
    """Every parent is a declared unit, and no unit is its own ancestor."""
    for i, d in items(ctx, "districts"):
        if d.parent is None or d.code not in ctx.districts:
            continue
        path = ("districts", i, "parent")
        if d.parent not in ctx.districts:
            if not ctx.is_broken("districts", d.parent):
                ctx.error(
                    path,
                    f"district {d.code}: unknown parent {d.parent!r}",
                    suggest(d.parent, list(ctx.districts), "districts"),
                )
            continue
        seen, up = {d.code}, d.parent
        while up is not None and up in ctx.districts and up not in seen:
            seen.add(up)
            up = ctx.districts[up].parent
        if up is not None and up in seen:
            ctx.error(path, f"district {d.code}: its parents come back to it", "break the loop")


def build_credentials(ctx: Ctx, raw: object) -> None:
    """Each credential profile on its own, so one bad profile does not hide the others."""
    sections = raw if isinstance(raw, dict) else {}
    snmp: dict[str, schema.SnmpProfile] = {}
    ssh: dict[str, schema.SshProfile] = {}
    for kind, cls, out in (
        ("snmp", schema.SnmpProfile, snmp),
        ("ssh", schema.SshProfile, ssh),
    ):
        profiles = sections.get(kind)
        if not isinstance(profiles, dict):
            continue  # absent, or the wrong shape (reported with the top level)
        for name, body in profiles.items():
            path = ("credentials", kind, name)
            what = f"{kind.upper() if kind == 'snmp' else kind} profile {name}"
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,47}", name):
                ctx.error(
                    path,
                    f"{what}: the name is not a slug",
                    "lower-case letters, digits, -",
                    key=True,
                )
                ctx.mark_broken(kind, name)
                continue
            item = ctx.validate(cls, body, path, what)
            if item is None:
                ctx.mark_broken(kind, name)
            else:
                out[name] = item  # type: ignore[assignment]
    for name, p in snmp.items():
        path = ("credentials", "snmp", name)
        if p.version == "v3" and (p.auth is None or p.priv is None):
            ctx.error(
                path,
                f"SNMP profile {name!r}: v3 profiles are authPriv and need 'auth' and 'priv'",
                "add e.g. 'auth: sha' and 'priv: aes'",
            )
        if p.version == "v2c" and (p.auth or p.priv):
            ctx.error(path, f"SNMP profile {name!r}: v2c has no auth/priv", "remove auth and priv")
        ctx.snmp[name] = model.SnmpProfile(name, p.version, p.auth, p.priv)
    for name, s in ssh.items():
        ctx.ssh[name] = model.SshProfile(name, s.port)
    for kind, table in (("snmp", ctx.snmp), ("ssh", ctx.ssh)):
        ref = getattr(ctx.defaults, kind)
        if ref is not None and ref not in table and not ctx.is_broken(kind, ref):
            ctx.error(
                ("defaults", kind),
                f"defaults: unknown {kind} credential profile {ref!r}",
                suggest(ref, table, f"{kind} profiles (under credentials.{kind})"),
            )
            ctx.mark_broken(kind, ref)  # devices that inherit it are not reported again


def build_models(ctx: Ctx) -> None:
    for i, m in items(ctx, "hardware_models"):
        path = ("hardware_models", i)
        if m.model in ctx.models:
            ctx.error((*path, "model"), f"hardware model {m.model!r} is declared twice", "merge")
            continue
        platform = PLATFORMS.get(m.platform)
        if platform is None:
            ctx.error(
                (*path, "platform"),
                f"model {m.model}: unknown platform {m.platform!r}",
                suggest(m.platform, PLATFORMS, "platforms"),
            )
            ctx.mark_broken("hardware_models", m.model)
            continue
        try:
            ports = expand_interfaces(m.interfaces)
        except ValueError as e:
            ctx.error((*path, "interfaces"), f"model {m.model}: {e}", "write ranges as first-last")
            ctx.mark_broken("hardware_models", m.model)
            continue
        if len(set(ports)) != len(ports):
            ctx.error(
                (*path, "interfaces"),
                f"model {m.model}: interface names repeat",
                "list each port once",
            )
        known = set(ports)
        bad = [p for p in m.uplink_ports if p not in known]
        if bad:
            ctx.error(
                (*path, "uplink_ports"),
                f"model {m.model}: uplink port {quote(bad[0])} is not one of its interfaces",
                suggest(bad[0], ports, "interfaces"),
            )
            ctx.mark_broken("hardware_models", m.model)
            continue
        if m.end_of_sale and m.end_of_support and m.end_of_support < m.end_of_sale:
            ctx.error(
                (*path, "end_of_support"),
                f"model {m.model}: end of support {m.end_of_support} is before end of sale",
                "swap or correct the dates",
            )
        ctx.models[m.model] = model.HardwareModel(
            m.model,
            m.vendor,
            m.role,
            platform,
            tuple(ports),
            tuple(m.uplink_ports),
            m.price_vnd,
            m.life_years,
            m.end_of_sale,
            m.end_of_support,
            m.sys_object_id,
            m.description,
        )


def check_model_ref(
    ctx: Ctx, name: str, role: schema.DeviceRole, path: tuple[str | int, ...], what: str
) -> model.HardwareModel | None:
    hw = ctx.models.get(name)
    if hw is None:
        if not ctx.is_broken("hardware_models", name):
            ctx.error(
                (*path, "model"),
                f"{what}: unknown hardware model {name!r}",
                suggest(name, ctx.models, "models (hardware_models)"),
            )
        return None
    if hw.role is not role:
        ctx.error(
            (*path, "role"),
            f"{what}: role {role.value} does not match model {name}, "
            f"which is {article(hw.role.value)}",
            f"set role: {hw.role.value}, or pick {article(role.value)} model",
        )
        return None
    return hw


def build_profiles(ctx: Ctx) -> None:
    for i, p in items(ctx, "profiles"):
        path = ("profiles", i)
        if p.name in ctx.profiles:
            ctx.error((*path, "name"), f"profile {p.name!r} is declared twice", "rename one")
            continue
        ok = True
        for j, d in enumerate(p.devices):
            what = f"profile {p.name}"
            ok = (
                check_model_ref(ctx, d.model, d.role, (*path, "devices", j), what) is not None
                and ok
            )
        if p.devices and p.devices[0].role not in GATEWAY_ROLES:
            ctx.error(
                (*path, "devices", 0),
                f"profile {p.name}: the first device must be the site's gateway "
                f"(a router or firewall), not {article(p.devices[0].role.value)}",
                "list the router (or firewall) first",
            )
            ok = False
        for j, v in enumerate(p.vlans):
            ok = check_vlan_ref(ctx, v, (*path, "vlans", j), f"profile {p.name}") and ok
        if ok:
            ctx.profiles[p.name] = (i, p)
        else:  # its sites are not checked against a profile that cannot be expanded
            ctx.mark_broken("profiles", p.name)


GATEWAY_ROLES = (schema.DeviceRole.router, schema.DeviceRole.firewall)


def check_vlan_ref(ctx: Ctx, name: str, path: tuple[str | int, ...], what: str) -> bool:
    if name in ctx.vlan_types:
        return True
    if not ctx.is_broken("vlans", name):
        ctx.error(
            path,
            f"{what}: unknown VLAN {name!r}",
            suggest(name, ctx.vlan_types, "VLANs (the vlans section)"),
        )
    return False
