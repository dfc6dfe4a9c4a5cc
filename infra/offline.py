"""Run the real program under Pulumi's mocks and keep what it declares.

No Proxmox, no Pulumi CLI, no state: each resource's type, name, inputs and parent, as
the engine would receive them (property names camelCase, numbers as floats). The policy
tests and ``edunet infra plan`` both read this; it is not a Proxmox preview.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime.mocks import MockMonitor

from edunet.model import Inventory
from infra.program import build
from infra.settings import OFFLINE, PROJECT, StackSettings

VM = "proxmoxve:index/vmLegacy:VmLegacy"
RULES = "proxmoxve:firewall/rulesLegacy:RulesLegacy"
FW_OPTIONS = "proxmoxve:firewall/optionsLegacy:OptionsLegacy"
BACKUP_JOB = "proxmoxve:backup/job:Job"
HA_GROUP = "proxmoxve:index/hagroup:Hagroup"
HA_RESOURCE = "proxmoxve:index/haresource:Haresource"
ZONE = "proxmoxve:sdn/zone/vlan:Vlan"
VNET = "proxmoxve:sdn/vnet:Vnet"
SUBNET = "proxmoxve:sdn/subnet:Subnet"
STACK = "pulumi:pulumi:Stack"


@dataclass(frozen=True, slots=True)
class Declared:
    type: str  # the Pulumi type token
    name: str  # the logical name
    inputs: dict[str, Any]
    parent: str  # the parent's logical name; "" under the stack
    custom: bool  # False for the components

    @property
    def kind(self) -> str:
        """The short type name: ``VmLegacy``, ``Job``, ``DatacenterNetwork``."""
        return self.type.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class OfflineRun:
    resources: tuple[Declared, ...]  # sorted by type then name
    vm_addresses: dict[str, str]  # the program's output, resolved
    settings: StackSettings = field(default=OFFLINE)

    def of(self, type_: str) -> list[Declared]:
        return [r for r in self.resources if r.type == type_]


class _Recorder(pulumi.runtime.Mocks):
    """Echo inputs as outputs (so ``apply`` runs) and add what Proxmox would compute."""

    def __init__(self) -> None:
        self.inputs: dict[tuple[str, str], dict[str, Any]] = {}
        self.lock = threading.Lock()

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[Any, Any]]:
        state = dict(args.inputs)
        with self.lock:
            self.inputs[(args.typ, args.name)] = dict(args.inputs)
        if args.typ == VM:  # the guest agent reports the addresses once the VM runs
            ips = state.get("initialization", {}).get("ipConfigs", [])
            state["ipv4Addresses"] = [[c["ipv4"]["address"].split("/")[0]] for c in ips]
        return f"{args.name}-id", state

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        raise NotImplementedError(f"the program calls {args.token}: no function is mocked")


class _Monitor(MockMonitor):
    """The mock engine, also noting every resource's parent (not given to the mocks)."""

    def __init__(self, mocks: _Recorder) -> None:
        super().__init__(mocks)
        self.parents: dict[tuple[str, str], str] = {}

    def RegisterResource(self, request: Any) -> Any:
        with self.lock:
            self.parents[(request.type, request.name)] = request.parent
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]

    @property
    def lock(self) -> threading.Lock:
        return self.mocks.lock  # type: ignore[attr-defined,no-any-return]


def ensure_event_loop() -> None:
    """Give this thread an open event loop before ``set_mocks``: Pulumi's engine makes
    futures right away, and an ``asyncio.run()`` earlier in the process (a CLI command, a
    test) leaves the thread without one."""
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        loop = None
    if loop is None or loop.is_closed():
        asyncio.set_event_loop(asyncio.new_event_loop())


def run(inv: Inventory, settings: StackSettings = OFFLINE) -> OfflineRun:
    """Declare the data center for ``inv`` under mocks and return what was declared."""
    recorder = _Recorder()
    monitor = _Monitor(recorder)
    ensure_event_loop()
    # preview=False: outputs resolve, so every apply runs (in a preview they are skipped)
    pulumi.runtime.set_mocks(
        recorder, project=PROJECT, stack="offline", preview=False, monitor=monitor
    )
    resolved: dict[str, dict[str, str]] = {}

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def program() -> pulumi.Output[None]:
        dc = build(inv, settings)
        return dc.vm_addresses.apply(lambda a: resolved.update(vm_addresses=dict(a)))

    program()
    if "vm_addresses" not in resolved:
        raise RuntimeError("the program's outputs never resolved under mocks")
    resources = []
    for (typ, name), parent_urn in monitor.parents.items():
        if typ.startswith("pulumi:providers:") or typ == STACK:
            continue
        inputs = recorder.inputs.get((typ, name), {})
        under_stack = not parent_urn or parent_urn.split("::")[2] == STACK
        parent = "" if under_stack else parent_urn.rsplit("::", 1)[-1]
        custom = (typ, name) in recorder.inputs and not typ.startswith("edunet:")
        resources.append(Declared(typ, name, inputs, parent, custom))
    resources.sort(key=lambda r: (r.type, r.name))
    return OfflineRun(tuple(resources), resolved["vm_addresses"], settings)
