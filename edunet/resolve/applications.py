"""Applications and the data-center VMs that host them, with their addresses."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface

from edunet import model, schema
from edunet.load import PathKey
from edunet.resolve.catalogue import items
from edunet.resolve.context import Ctx
from edunet.resolve.messages import suggest

FIRST_VM_HOST = 10  # .1 is the gateway; the first hosts are left to network services


def build_applications(ctx: Ctx) -> None:
    dc = next((s for s in ctx.sites.values() if s.kind is schema.SiteKind.datacenter), None)
    segments = {v.name: v for v in dc.vlans} if dc else {}
    servers = (
        {n for n in dc.devices if ctx.devices[n].role is schema.DeviceRole.server} if dc else set()
    )
    next_host: dict[str, int] = {}
    pending: list[tuple[schema.Vm, str, PathKey]] = []
    for i, app in items(ctx, "applications"):
        path: PathKey = ("applications", i)
        what = f"application {app.code}"
        if app.code in ctx.applications:
            ctx.error((*path, "code"), f"{what}: code is already used", "give it a unique code")
            continue
        if app.vms and dc is None:
            # a missing data center is reported once with the city's sites, a broken one
            # where it is declared; only an inventory without sites is told here
            if not ctx.sites and not ctx.is_broken("site_kinds", "datacenter"):
                ctx.error(
                    (*path, "vms"),
                    f"{what}: has VMs but the inventory has no data-center site",
                    "add the data center (kind: datacenter)",
                )
            for vm in app.vms:
                ctx.mark_broken("devices", vm.name)  # services that name it stay quiet
            continue
        names: list[str] = []
        for j, vm in enumerate(app.vms):
            vpath: PathKey = (*path, "vms", j)
            if vm.name in ctx.vms or vm.name in ctx.devices or vm.name in names:
                ctx.error(
                    (*vpath, "name"),
                    f"{what}: VM name {vm.name!r} is already used",
                    "VM names are host names and must be unique across the city",
                )
                continue
            if vm.segment not in segments:
                ctx.error(
                    (*vpath, "segment"),
                    f"{what}: VM {vm.name} is on unknown segment {vm.segment!r}",
                    suggest(vm.segment, segments, "data-center segments (VLANs of the DC)"),
                )
                continue
            if vm.node is not None and vm.node not in servers:
                if ctx.device_is_broken(vm.node):
                    continue
                ctx.error(
                    (*vpath, "node"),
                    f"{what}: VM {vm.name} is placed on {vm.node!r}, not a data-center server",
                    suggest(vm.node, sorted(servers), "servers"),
                )
                continue
            seg = segments[vm.segment]
            if vm.ip is not None:
                if vm.ip not in seg.prefix:
                    ctx.error(
                        (*vpath, "ip"),
                        f"{what}: VM {vm.name} address {vm.ip} is outside segment "
                        f"{vm.segment} ({seg.prefix})",
                        f"pin an address inside {seg.prefix} or remove the pin",
                    )
                    continue
                ctx.claim_address(vm.ip, f"VM {vm.name}", (*vpath, "ip"), pinned=True)
            names.append(vm.name)
            pending.append((vm, app.code, vpath))
            # reserve a name now so later applications see it
            ctx.vms[vm.name] = None  # type: ignore[assignment]
        ctx.applications[app.code] = model.Application(
            app.code,
            app.name,
            app.name_en,
            app.owner,
            app.criticality,
            app.slo.availability_pct,
            app.slo.latency_ms,
            app.url,
            app.port,
            app.check,
            app.exposure,
            app.software,
            tuple(names),
        )
    # allocation after pins, so a pin never collides with an address handed out earlier
    for vm, code, vpath in pending:
        seg = segments[vm.segment]
        ip = vm.ip
        if ip is None:
            host = next_host.get(vm.segment, FIRST_VM_HOST)
            base = int(seg.prefix.network_address)
            while IPv4Address(base + host) in ctx.addresses:
                host += 1
            if host >= seg.prefix.num_addresses - 1:
                ctx.error(
                    vpath,
                    f"application {code}: segment {vm.segment} ({seg.prefix}) has no free address",
                    "widen the segment's pinned prefix",
                )
                del ctx.vms[vm.name]
                continue
            next_host[vm.segment] = host + 1
            ip = IPv4Address(base + host)
            ctx.claim_address(ip, f"VM {vm.name}", vpath)
        ctx.vms[vm.name] = model.Vm(
            vm.name,
            code,
            vm.vcpu,
            vm.memory_gb,
            tuple(vm.disks_gb),
            vm.segment,
            IPv4Interface(f"{ip}/{seg.prefix.prefixlen}"),
            seg.gateway,
            seg.id,
            vm.node,
        )
    for name in [n for n, v in ctx.vms.items() if v is None]:
        del ctx.vms[name]
