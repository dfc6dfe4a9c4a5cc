"""The data center's segments as Proxmox SDN: one VLAN zone, a VNet and subnet a segment."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_proxmoxve as proxmox

from edunet.model import Site
from infra.layout import vnet_id, zone_id


@dataclass(frozen=True, slots=True)
class DatacenterNetworkArgs:
    site: Site  # the data center: its VLANs are the segments
    nodes: tuple[str, ...]  # the Proxmox nodes the zone is deployed on
    bridge: str  # the nodes' trunk bridge


class DatacenterNetwork(pulumi.ComponentResource):
    """VLAN zone + VNet (tagged with the segment's VLAN id) + subnet (its prefix and gateway)
    for every segment, then one SDN apply so the nodes get the bridges."""

    vnets: dict[str, proxmox.sdn.Vnet]  # by segment name
    applier: proxmox.sdn.Applier

    def __init__(
        self, name: str, args: DatacenterNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("edunet:dc:DatacenterNetwork", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        zone = proxmox.sdn.zone.Vlan(
            f"{name}-zone",
            resource_id=zone_id(args.site),
            bridge=args.bridge,
            nodes=list(args.nodes),
            opts=child,
        )
        self.vnets = {}
        subnets: list[pulumi.Resource] = []
        for vlan in args.site.vlans:
            vnet = proxmox.sdn.Vnet(
                f"{name}-{vlan.name}",
                resource_id=vnet_id(vlan),
                zone=zone.resource_id,
                tag=vlan.id,
                alias=vlan.name,
                opts=child,
            )
            subnets.append(
                proxmox.sdn.Subnet(
                    f"{name}-{vlan.name}-subnet",
                    vnet=vnet.resource_id,
                    cidr=str(vlan.prefix),
                    gateway=str(vlan.gateway),
                    snat=False,
                    opts=child,
                )
            )
            self.vnets[vlan.name] = vnet
        self.applier = proxmox.sdn.Applier(
            f"{name}-apply",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*self.vnets.values(), *subnets]),
        )
        self.register_outputs(
            {
                "zone": zone.resource_id,
                "vnets": {seg: v.resource_id for seg, v in self.vnets.items()},
            }
        )
