"""Names, ids and placement derived from the inventory: pure functions, no Pulumi.

The model has no Proxmox VM ids, VNet ids or node for every VM; they are derived here, the
same way every run, so a plan stays stable while the inventory does.
"""

from __future__ import annotations

from collections import Counter

from edunet.model import DeviceRole, Inventory, Site, Vlan, Vm

DB_PORT = 5432  # PostgreSQL: every database VM of the sample runs it (the model has no port)
STORAGE_PORT = 2049  # NFS, how application VMs mount their storage VM
NODE_EXPORTER_PORT = 9100


def zone_id(dc: Site) -> str:
    """The SDN zone: the data center's code, lower case (Proxmox allows 8 characters)."""
    return "".join(c for c in dc.code.lower() if c.isalnum())[:8]


def vnet_id(vlan: Vlan) -> str:
    """One VNet per segment, named by its tag: ``vlan110`` (8 characters at most)."""
    return f"vlan{vlan.id}"


def vm_id(vm: Vm) -> int:
    """Tag × 1000 + host number: ``10.0.40.10`` on VLAN 140 is VM 140010; unique and stable
    while the address is (pin the address to pin the id)."""
    host = int(vm.ip.ip) - int(vm.ip.network.network_address)
    return vm.vlan_id * 1000 + host


def nodes(inv: Inventory) -> list[str]:
    """The Proxmox nodes: the data center's server devices."""
    dc = inv.datacenter
    return [d for d in dc.devices if inv.devices[d].role is DeviceRole.server]


def placement(inv: Inventory) -> dict[str, str]:
    """The node of every VM: the inventory's ``node`` where given; else the node with the
    fewest VMs of the same application, then the fewest VMs, so an application's VMs
    spread before they stack."""
    servers = nodes(inv)
    if not servers:
        raise LookupError(f"data center {inv.datacenter.code} has no server devices")
    load: Counter[str] = Counter(vm.node for vm in inv.vms.values() if vm.node is not None)
    out: dict[str, str] = {}
    for app in inv.applications.values():
        mine: Counter[str] = Counter(n for n in (inv.vms[v].node for v in app.vms) if n is not None)
        for name in app.vms:
            vm = inv.vms[name]
            node = vm.node or min(servers, key=lambda n: (mine[n], load[n], servers.index(n)))
            if not vm.node:
                mine[node] += 1
                load[node] += 1
            out[name] = node
    return out
