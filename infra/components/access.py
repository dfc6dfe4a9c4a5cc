"""Who may do what: a pool and a group per application team, the data-center team over all.

Team members are Proxmox users managed outside this program (the realm's own users);
here are the groups they join and what each group may touch.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_proxmoxve as proxmox

from edunet.model import Application

DC_TEAM = "dc-operators"
DC_ROLE = "PVEAdmin"  # the whole cluster, short of user and permission management
APP_ROLE = "PVEVMUser"  # console, power, backups of the team's own VMs
SDN_ROLE = "PVESDNUser"  # attach a NIC to the team's segments


@dataclass(frozen=True, slots=True)
class AccessControlArgs:
    applications: tuple[Application, ...]
    zone: str  # the SDN zone id
    app_vnets: dict[str, tuple[str, ...]]  # application code → VNet ids its VMs use


def pool_id(app: Application) -> str:
    return f"app-{app.code}"


class AccessControl(pulumi.ComponentResource):
    pools: dict[str, proxmox.PoolLegacy]  # by application code

    def __init__(
        self, name: str, args: AccessControlArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("edunet:dc:AccessControl", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        dc_team = proxmox.GroupLegacy(
            DC_TEAM, group_id=DC_TEAM, comment="Data-center team", opts=child
        )
        proxmox.Acl(
            f"{DC_TEAM}-acl",
            path="/",
            role_id=DC_ROLE,
            group_id=dc_team.group_id,
            propagate=True,
            opts=child,
        )
        self.pools = {}
        for app in args.applications:
            pid = pool_id(app)
            pool = proxmox.PoolLegacy(pid, pool_id=pid, comment=app.name_en, opts=child)
            team = proxmox.GroupLegacy(
                f"{pid}-team", group_id=pid, comment=f"{app.owner}: {app.name}", opts=child
            )
            proxmox.Acl(
                f"{pid}-acl",
                path=pool.pool_id.apply(lambda p: f"/pool/{p}"),
                role_id=APP_ROLE,
                group_id=team.group_id,
                propagate=True,
                opts=child,
            )
            for vnet in args.app_vnets.get(app.code, ()):
                proxmox.Acl(
                    f"{pid}-{vnet}-acl",
                    path=f"/sdn/zones/{args.zone}/{vnet}",
                    role_id=SDN_ROLE,
                    group_id=team.group_id,
                    propagate=True,
                    opts=child,
                )
            self.pools[app.code] = pool
        self.register_outputs({"pools": {c: p.pool_id for c, p in self.pools.items()}})
