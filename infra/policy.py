"""The data center's policy, checked on what the program declares (an offline run).

Each check returns its violations, one line each; an empty list is a pass. The tests
assert them on the real program and on programs broken on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from edunet.model import Criticality, Exposure, Inventory
from infra.firewall_rules import ANYWHERE, DMZ
from infra.layout import vnet_id
from infra.offline import BACKUP_JOB, HA_GROUP, HA_RESOURCE, RULES, SUBNET, VM, VNET, OfflineRun

Check = Callable[[Inventory, OfflineRun], list[str]]
PUBLIC_PORT = "443"  # the only port the Internet may reach, and only on public DMZ VMs
ANY_SOURCES = {"", ANYWHERE, "0.0.0.0", "any"}  # a rule without a source accepts anyone


def _vms(run: OfflineRun) -> dict[str, dict[str, Any]]:
    return {r.name: r.inputs for r in run.of(VM)}


def _int(value: Any) -> int | None:
    return None if value is None else int(value)  # the engine sends numbers as floats


def vm_sizes(inv: Inventory, run: OfflineRun) -> list[str]:
    """Every inventory VM is declared once, with the inventory's vCPU, memory and disks;
    no VM is declared that the inventory does not have."""
    out: list[str] = []
    declared = _vms(run)
    for app in inv.applications.values():
        for name in app.vms:
            vm, got = inv.vms[name], declared.get(name)
            if got is None:
                out.append(f"{app.code}: VM {name} is not declared")
                continue
            cores = _int(got.get("cpu", {}).get("cores"))
            memory = _int(got.get("memory", {}).get("dedicated"))
            disks = tuple(_int(d.get("size")) for d in got.get("disks", []))
            if cores != vm.vcpu:
                out.append(f"{name}: {cores} vCPU, the inventory says {vm.vcpu}")
            if memory != vm.memory_gb * 1024:
                out.append(f"{name}: {memory} MiB memory, the inventory says {vm.memory_gb} GiB")
            if disks != vm.disks_gb:
                out.append(f"{name}: disks {disks} GB, the inventory says {vm.disks_gb}")
    out += [f"VM {n} is declared but not in the inventory" for n in declared if n not in inv.vms]
    return out


def vm_addresses(inv: Inventory, run: OfflineRun) -> list[str]:
    """Cloud-init gives every VM its IP-plan address and gateway, and the program's
    ``vm_addresses`` output (what Ansible reads) says the same."""
    out: list[str] = []
    declared = _vms(run)
    for name, vm in inv.vms.items():
        configs = declared.get(name, {}).get("initialization", {}).get("ipConfigs", [])
        got = [
            (c.get("ipv4", {}).get("address"), c.get("ipv4", {}).get("gateway")) for c in configs
        ]
        if got != [(str(vm.ip), str(vm.gateway))]:
            out.append(
                f"{name}: cloud-init addresses {got}, the IP plan says {vm.ip} via {vm.gateway}"
            )
        if run.vm_addresses.get(name) != str(vm.ip.ip):
            out.append(
                f"{name}: output address {run.vm_addresses.get(name)}, the IP plan says {vm.ip.ip}"
            )
    out += [f"output has {n}, not in the inventory" for n in run.vm_addresses if n not in inv.vms]
    return out


def backups(inv: Inventory, run: OfflineRun) -> list[str]:
    """Every declared VM is in an enabled backup job."""
    covered: set[int] = set()
    for job in run.of(BACKUP_JOB):
        if job.inputs.get("enabled", True) and job.inputs.get("storage"):
            covered.update(int(v) for v in job.inputs.get("vmids", []))
    return [
        f"{name}: VM {_int(vm.get('vmId'))} is in no backup job"
        for name, vm in _vms(run).items()
        if _int(vm.get("vmId")) not in covered
    ]


def critical_spread(inv: Inventory, run: OfflineRun) -> list[str]:
    """A critical application runs on at least two nodes, and each of its VMs is an HA
    resource of a group of at least two nodes."""
    out: list[str] = []
    declared = _vms(run)
    groups = {g.inputs.get("group"): g.inputs.get("nodes", {}) for g in run.of(HA_GROUP)}
    ha = {r.inputs.get("resourceId"): r.inputs.get("group") for r in run.of(HA_RESOURCE)}
    for app in inv.applications.values():
        if app.criticality is not Criticality.critical or not app.vms:
            continue
        where = {declared.get(v, {}).get("nodeName") for v in app.vms}
        if len(where - {None}) < 2:
            out.append(f"{app.code} is critical but runs on {sorted(map(str, where))} only")
        for v in app.vms:
            group = ha.get(f"vm:{_int(declared.get(v, {}).get('vmId'))}")
            if group is None:
                out.append(f"{app.code}: {v} is not an HA resource")
            elif len(groups.get(group, {})) < 2:
                out.append(f"{app.code}: {v}'s HA group {group} has fewer than two nodes")
    return out


def exposure(inv: Inventory, run: OfflineRun) -> list[str]:
    """No accepting rule opens anything to anyone except tcp/443 on a public application's
    DMZ VMs; and every VM has a rule set."""
    out: list[str] = []
    by_id = {_int(vm.get("vmId")): name for name, vm in _vms(run).items()}
    guarded: set[str] = set()
    for fw in run.of(RULES):
        name = by_id.get(_int(fw.inputs.get("vmId")), f"vm {fw.inputs.get('vmId')}")
        guarded.add(name)
        vm = inv.vms.get(name)
        public = (
            vm is not None
            and vm.segment == DMZ
            and inv.applications[vm.application].exposure is Exposure.public
        )
        for rule in fw.inputs.get("rules", []):
            sources = {s.strip() for s in str(rule.get("source") or "").split(",")}
            if rule.get("action", "ACCEPT") != "ACCEPT" or not sources & ANY_SOURCES:
                continue
            ok = public and rule.get("proto") == "tcp" and str(rule.get("dport")) == PUBLIC_PORT
            if not ok:
                what = f"{rule.get('proto') or 'any'}/{rule.get('dport') or 'any'}"
                out.append(f"{name}: {what} is open to anyone ({rule.get('comment', '')})")
    out += [f"{n}: no firewall rules" for n in _vms(run) if n not in guarded]
    return out


def vlan_tags(inv: Inventory, run: OfflineRun) -> list[str]:
    """Each data-center segment is a VNet tagged with its VLAN id and a subnet with its
    prefix; each VM's NIC is on its segment's VNet."""
    out: list[str] = []
    vnets = {v.inputs.get("resourceId"): v.inputs for v in run.of(VNET)}
    subnets = {(s.inputs.get("vnet"), s.inputs.get("cidr")) for s in run.of(SUBNET)}
    for vlan in inv.datacenter.vlans:
        got = vnets.get(vnet_id(vlan))
        if got is None or _int(got.get("tag")) != vlan.id:
            tag = None if got is None else _int(got.get("tag"))
            out.append(f"segment {vlan.name}: VNet {vnet_id(vlan)} tag {tag}, VLAN is {vlan.id}")
        if (vnet_id(vlan), str(vlan.prefix)) not in subnets:
            out.append(f"segment {vlan.name}: no subnet {vlan.prefix} on {vnet_id(vlan)}")
    declared = _vms(run)
    for name, vm in inv.vms.items():
        for nic in declared.get(name, {}).get("networkDevices", []):
            tag = _int(vnets.get(nic.get("bridge"), {}).get("tag"))
            if tag != vm.vlan_id or nic.get("vlanId") not in (None, 0, 0.0):
                out.append(f"{name}: NIC on {nic.get('bridge')} (tag {tag}), VLAN is {vm.vlan_id}")
    return out


def operator_keys(inv: Inventory, run: OfflineRun) -> list[str]:
    """Every VM carries exactly the operators' SSH keys of the stack."""
    want = list(run.settings.ssh_public_keys)
    return [
        f"{name}: cloud-init keys differ from the stack's operator keys"
        for name, vm in _vms(run).items()
        if vm.get("initialization", {}).get("userAccount", {}).get("keys") != want or not want
    ]


CHECKS: dict[str, Check] = {
    "vm_sizes": vm_sizes,
    "vm_addresses": vm_addresses,
    "backups": backups,
    "critical_spread": critical_spread,
    "exposure": exposure,
    "vlan_tags": vlan_tags,
    "operator_keys": operator_keys,
}


def violations(inv: Inventory, run: OfflineRun) -> dict[str, list[str]]:
    return {name: check(inv, run) for name, check in CHECKS.items()}
