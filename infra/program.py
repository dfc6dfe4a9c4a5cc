"""``build()``: the whole data center for one inventory, wired from the components."""

from __future__ import annotations

import pulumi

from edunet.model import Inventory
from infra.components import (
    AccessControl,
    AccessControlArgs,
    ApplicationTier,
    ApplicationTierArgs,
    BackupPlan,
    BackupPlanArgs,
    DatacenterNetwork,
    DatacenterNetworkArgs,
)
from infra.components.tier import GuestImage
from infra.firewall_rules import vm_rules
from infra.layout import nodes, placement, vm_id, vnet_id, zone_id
from infra.settings import StackSettings


class Datacenter(pulumi.ComponentResource):
    """The education data center: network, access, application tiers, backups.

    ``vm_addresses`` (VM name → IPv4 address) is what the Ansible inventory consumes."""

    network: DatacenterNetwork
    access: AccessControl
    tiers: dict[str, ApplicationTier]
    backups: BackupPlan
    vm_addresses: pulumi.Output[dict[str, str]]

    def __init__(
        self,
        name: str,
        inv: Inventory,
        settings: StackSettings,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("edunet:dc:Datacenter", name, None, opts)
        dc = inv.datacenter
        servers = nodes(inv)
        where = placement(inv)
        ids = {name: vm_id(vm) for name, vm in inv.vms.items()}
        self.network = DatacenterNetwork(
            "sdn",
            DatacenterNetworkArgs(site=dc, nodes=tuple(servers), bridge=settings.sdn_bridge),
            pulumi.ResourceOptions(parent=self),
        )
        segments = {v.name: vnet_id(v) for v in dc.vlans}
        apps = tuple(inv.applications.values())
        self.access = AccessControl(
            "access",
            AccessControlArgs(
                applications=apps,
                zone=zone_id(dc),
                app_vnets={
                    a.code: tuple(sorted({segments[inv.vms[v].segment] for v in a.vms}))
                    for a in apps
                },
            ),
            pulumi.ResourceOptions(parent=self),
        )
        image = GuestImage(
            datastore=settings.datastore,
            cloud_image=settings.cloud_image,
            admin_user=settings.admin_user,
            ssh_public_keys=settings.ssh_public_keys,
            dns_servers=tuple(str(a) for a in inv.services.dns),
            domain=inv.city.domain,
            tags=settings.tags,
        )
        self.tiers = {}
        for app in apps:
            if not app.vms:
                continue
            vms = tuple(inv.vms[v] for v in app.vms)
            self.tiers[app.code] = ApplicationTier(
                app.code,
                ApplicationTierArgs(
                    application=app,
                    vms=vms,
                    nodes={v.name: where[v.name] for v in vms},
                    vm_ids={v.name: ids[v.name] for v in vms},
                    rules={v.name: vm_rules(inv, v) for v in vms},
                    vnets=self.network.vnets,
                    pool=self.access.pools[app.code],
                    image=image,
                    network_ready=self.network.applier,
                ),
                pulumi.ResourceOptions(parent=self),
            )
        self.backups = BackupPlan(
            "backup",
            BackupPlanArgs(
                applications=apps,
                vm_ids=ids,
                storage=settings.backup_storage,
                vms=tuple(g for t in self.tiers.values() for g in t.vms.values()),
            ),
            pulumi.ResourceOptions(parent=self),
        )
        self.vm_addresses = pulumi.Output.all(*(t.addresses for t in self.tiers.values())).apply(
            lambda parts: {k: v for part in parts for k, v in part.items()}
        )
        self.register_outputs({"vm_addresses": self.vm_addresses})


def build(
    inv: Inventory, settings: StackSettings, opts: pulumi.ResourceOptions | None = None
) -> Datacenter:
    """Declare the data center for ``inv``; call it inside a Pulumi program (or under mocks).
    ``opts`` carries the cluster's provider, which every resource inherits."""
    return Datacenter(zone_id(inv.datacenter), inv, settings, opts)
