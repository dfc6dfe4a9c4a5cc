"""The firewall rules of every VM, by tier (its segment): pure data, no Pulumi.

Every VM drops what no rule accepts (its firewall options set the input policy). Only a
public application's VMs in the DMZ accept from anywhere, on the application's port.
"""

from __future__ import annotations

from dataclasses import dataclass

from edunet.model import SERVING_SEGMENTS, Exposure, Inventory, Vm
from infra.layout import DB_PORT, NODE_EXPORTER_PORT, STORAGE_PORT

ANYWHERE = "0.0.0.0/0"
DMZ = "dmz"


@dataclass(frozen=True, slots=True)
class Rule:
    action: str  # ACCEPT | DROP | REJECT
    proto: str
    dport: str
    source: str  # an address, a prefix, or a comma-separated list of them
    comment: str


def _hosts(vms: list[Vm]) -> str:
    return ",".join(f"{vm.ip.ip}/32" for vm in vms)


def vm_rules(inv: Inventory, vm: Vm) -> list[Rule]:
    """The inbound rules of one VM, in order."""
    app = inv.applications[vm.application]
    dc = inv.datacenter
    mgmt = next((v for v in dc.vlans if v.management), None)
    rules: list[Rule] = []
    if mgmt is not None:
        rules.append(Rule("ACCEPT", "tcp", "22", str(mgmt.prefix), "ssh from DC management"))
    if inv.services.monitoring_ip is not None:
        source = f"{inv.services.monitoring_ip}/32"
        rules.append(Rule("ACCEPT", "tcp", str(NODE_EXPORTER_PORT), source, "node exporter"))
    siblings = [inv.vms[n] for n in app.vms if n != vm.name]
    if vm.segment in SERVING_SEGMENTS:
        if app.exposure is Exposure.public and vm.segment == DMZ:
            source, why = ANYWHERE, "public"
        else:
            users = [] if inv.plan is None else [str(inv.plan.plan.sites)]
            serving = [str(v.prefix) for v in dc.vlans if v.name in SERVING_SEGMENTS]
            source, why = ",".join(users + serving), "education network"
        rules.append(Rule("ACCEPT", "tcp", str(app.port), source, f"{app.code} ({why})"))
    elif vm.segment == "databases":
        clients = [v for v in siblings if v.segment in (*SERVING_SEGMENTS, "databases")]
        if clients:
            rules.append(Rule("ACCEPT", "tcp", str(DB_PORT), _hosts(clients), "database, replicas"))
    elif vm.segment == "storage" and siblings:
        rules.append(Rule("ACCEPT", "tcp", str(STORAGE_PORT), _hosts(siblings), "nfs"))
    return rules
