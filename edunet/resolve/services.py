"""The ``services`` section: NTP, syslog, DNS and monitoring, by device or VM name."""

from __future__ import annotations

from ipaddress import IPv4Address

from edunet import model, schema
from edunet.load import PathKey
from edunet.resolve.context import Ctx
from edunet.resolve.messages import suggest


def build_services(ctx: Ctx, data: object) -> model.Services:
    if data is None:
        return model.Services()
    path: PathKey = ("services",)
    services = ctx.validate(schema.Services, data, path, "services")
    if services is None:
        return model.Services()

    def address(name: str, where: PathKey) -> IPv4Address | None:
        device = ctx.devices.get(name)
        if device is not None:
            return device.mgmt_ip
        vm = ctx.vms.get(name)
        if vm is not None:
            return vm.ip.ip
        if not ctx.device_is_broken(name):
            known = [*ctx.devices, *ctx.vms]
            ctx.error(
                where,
                f"services: {name!r} is neither a device nor a VM",
                suggest(name, known, "devices and VMs"),
            )
        return None

    def addresses(field: str, names: list[str]) -> tuple[IPv4Address, ...]:
        found = [address(n, (*path, field, i)) for i, n in enumerate(names)]
        return tuple(a for a in found if a is not None)

    monitoring_ip = (
        address(services.monitoring, (*path, "monitoring")) if services.monitoring else None
    )
    return model.Services(
        ntp=addresses("ntp", services.ntp),
        syslog=addresses("syslog", services.syslog),
        dns=addresses("dns", services.dns),
        monitoring=services.monitoring if monitoring_ip is not None else None,
        monitoring_ip=monitoring_ip,
        banner=services.banner or model.DEFAULT_BANNER,
    )
