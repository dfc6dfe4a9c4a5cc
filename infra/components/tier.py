"""One application's VMs: sizes, NIC on the segment's VNet, cloud-init, firewall, HA."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_proxmoxve as proxmox
from pulumi_proxmoxve import firewall

from edunet.model import Application, Criticality, Vm
from infra.firewall_rules import Rule


@dataclass(frozen=True, slots=True)
class GuestImage:
    """What every VM is made of besides its inventory sizes (from the stack's config)."""

    datastore: str
    cloud_image: str
    admin_user: str
    ssh_public_keys: tuple[str, ...]
    dns_servers: tuple[str, ...]
    domain: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ApplicationTierArgs:
    application: Application
    vms: tuple[Vm, ...]
    nodes: dict[str, str]  # VM name → Proxmox node
    vm_ids: dict[str, int]  # VM name → Proxmox VM id
    rules: dict[str, list[Rule]]  # VM name → its inbound rules
    vnets: dict[str, proxmox.sdn.Vnet]  # segment → VNet
    pool: proxmox.PoolLegacy
    image: GuestImage
    network_ready: pulumi.Resource  # the SDN apply: VNets exist on the nodes


def _once_created(guest: proxmox.VmLegacy, address: str) -> pulumi.Output[str]:
    return guest.id.apply(lambda _: address)


class ApplicationTier(pulumi.ComponentResource):
    """Outputs ``addresses`` (VM → address, known once the VM exists) and ``nodes``."""

    vms: dict[str, proxmox.VmLegacy]
    addresses: pulumi.Output[dict[str, str]]

    def __init__(
        self, name: str, args: ApplicationTierArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("edunet:dc:ApplicationTier", name, None, opts)
        app, img = args.application, args.image
        self.vms = {}
        for vm in args.vms:
            node, vmid = args.nodes[vm.name], args.vm_ids[vm.name]
            self.vms[vm.name] = guest = proxmox.VmLegacy(
                vm.name,
                name=vm.name,
                node_name=node,
                vm_id=vmid,
                description=f"{app.name} ({app.code}): {vm.segment}",
                tags=[*img.tags, app.code, vm.segment],
                pool_id=args.pool.pool_id,
                on_boot=True,
                started=True,
                agent=proxmox.VmLegacyAgentArgs(enabled=True),
                operating_system=proxmox.VmLegacyOperatingSystemArgs(type="l26"),
                cpu=proxmox.VmLegacyCpuArgs(cores=vm.vcpu, type="x86-64-v2-AES"),
                memory=proxmox.VmLegacyMemoryArgs(dedicated=vm.memory_gb * 1024),
                scsi_hardware="virtio-scsi-single",
                disks=[
                    proxmox.VmLegacyDiskArgs(
                        interface=f"scsi{i}",
                        datastore_id=img.datastore,
                        size=size,
                        import_from=img.cloud_image if i == 0 else None,
                        iothread=True,
                        discard="on",
                    )
                    for i, size in enumerate(vm.disks_gb)
                ],
                network_devices=[
                    proxmox.VmLegacyNetworkDeviceArgs(
                        bridge=args.vnets[vm.segment].resource_id, model="virtio", firewall=True
                    )
                ],
                initialization=proxmox.VmLegacyInitializationArgs(
                    datastore_id=img.datastore,
                    ip_configs=[
                        proxmox.VmLegacyInitializationIpConfigArgs(
                            ipv4=proxmox.VmLegacyInitializationIpConfigIpv4Args(
                                address=str(vm.ip), gateway=str(vm.gateway)
                            )
                        )
                    ],
                    dns=proxmox.VmLegacyInitializationDnsArgs(
                        domain=img.domain, servers=list(img.dns_servers)
                    ),
                    user_account=proxmox.VmLegacyInitializationUserAccountArgs(
                        username=img.admin_user, keys=list(img.ssh_public_keys)
                    ),
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[args.network_ready]),
            )
            self._firewall(vm, node, vmid, args.rules[vm.name], guest)
        if app.criticality is Criticality.critical:
            self._high_availability(args)
        # an address is published once its VM exists (Ansible reads these)
        self.addresses = pulumi.Output.all(
            *(_once_created(self.vms[vm.name], str(vm.ip.ip)) for vm in args.vms)
        ).apply(lambda ips: dict(zip((vm.name for vm in args.vms), ips, strict=True)))
        self.register_outputs(
            {"addresses": self.addresses, "nodes": {v.name: args.nodes[v.name] for v in args.vms}}
        )

    def _firewall(
        self, vm: Vm, node: str, vmid: int, rules: list[Rule], guest: proxmox.VmLegacy
    ) -> None:
        opts = pulumi.ResourceOptions(parent=self, depends_on=[guest])
        firewall.OptionsLegacy(
            f"{vm.name}-fw-options",
            node_name=node,
            vm_id=vmid,
            enabled=True,
            input_policy="DROP",
            output_policy="ACCEPT",
            dhcp=False,
            macfilter=True,
            ipfilter=True,
            opts=opts,
        )
        firewall.RulesLegacy(
            f"{vm.name}-fw",
            node_name=node,
            vm_id=vmid,
            rules=[
                firewall.RulesLegacyRuleArgs(
                    type="in",
                    action=r.action,
                    proto=r.proto,
                    dport=r.dport,
                    source=r.source,
                    comment=r.comment,
                    enabled=True,
                )
                for r in rules
            ],
            opts=opts,
        )

    def _high_availability(self, args: ApplicationTierArgs) -> None:
        """Critical applications restart elsewhere when a node fails; the group lists the
        nodes their VMs were spread over."""
        app = args.application
        spread = sorted({args.nodes[vm.name] for vm in args.vms})
        group = proxmox.Hagroup(
            f"ha-{app.code}",
            group=f"app-{app.code}",
            nodes={n: 1 for n in spread},
            comment=app.name_en,
            opts=pulumi.ResourceOptions(parent=self),
        )
        for vm in args.vms:
            proxmox.Haresource(
                f"{vm.name}-ha",
                resource_id=f"vm:{args.vm_ids[vm.name]}",
                group=group.group,
                state="started",
                max_restart=2,
                max_relocate=2,
                comment=app.name_en,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.vms[vm.name]]),
            )
