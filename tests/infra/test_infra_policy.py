"""The data-center policy holds for the sample city, and each check catches a breach.

Each breach is a program broken on purpose: either an inventory the real program follows
into a breach, or the declarations of a program with a bug (the run's records mutated).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path
from typing import Any

import pulumi
import pytest

from edunet.model import Criticality, Exposure, Inventory
from infra import offline, policy
from infra.offline import OfflineRun
from infra.program import build
from infra.settings import OFFLINE, PROJECT

Breach = Callable[[Inventory, OfflineRun], tuple[Inventory, OfflineRun]]


def test_the_checks_have_something_to_check(sample_city: Inventory, dc_run: OfflineRun) -> None:
    # a check over nothing passes: make sure the run declared what the checks read
    critical = [
        a for a in sample_city.applications.values() if a.criticality is Criticality.critical
    ]
    assert len(dc_run.of(offline.VM)) == len(sample_city.vms) == 38
    assert len(dc_run.of(offline.RULES)) == len(sample_city.vms)
    assert len(dc_run.of(offline.BACKUP_JOB)) == len(sample_city.applications)
    assert len(dc_run.of(offline.HA_GROUP)) == len(critical) == 4
    assert len(dc_run.of(offline.VNET)) == len(sample_city.datacenter.vlans) == 5
    assert len(dc_run.vm_addresses) == 38
    assert set(policy.CHECKS) == {b[0] for b in BREACHES}  # every check has a breach below


@pytest.mark.parametrize("check", sorted(policy.CHECKS))
def test_sample_city_meets_policy(check: str, sample_city: Inventory, dc_run: OfflineRun) -> None:
    assert policy.CHECKS[check](sample_city, dc_run) == []


def test_every_resource_sits_in_a_component(dc_run: OfflineRun) -> None:
    parents = {r.name: r for r in dc_run.resources if not r.custom}
    assert [r.kind for r in dc_run.resources if r.parent == ""] == ["Datacenter"]
    for r in dc_run.resources:
        if r.custom:
            assert r.parent in parents, f"{r.kind}/{r.name} is not a component's child"


def test_outputs_under_set_mocks_and_runtime_test(sample_city: Inventory) -> None:
    """The pattern the docs show, used directly: outputs resolve (preview=False) and the
    assertion inside apply provably ran."""
    ran: list[int] = []

    class Echo(pulumi.runtime.Mocks):
        def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[Any, Any]]:
            return f"{args.name}-id", dict(args.inputs)

        def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], None]:
            return {}, None

    offline.ensure_event_loop()
    pulumi.runtime.set_mocks(Echo(), project=PROJECT, stack="test", preview=False)

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def check() -> pulumi.Output[None]:
        dc = build(sample_city, OFFLINE)

        def addresses(got: dict[str, str]) -> None:
            assert got == {n: str(vm.ip.ip) for n, vm in sample_city.vms.items()}
            ran.append(len(got))

        return dc.vm_addresses.apply(addresses)

    check()
    assert ran == [38]


# --- breaches ----------------------------------------------------------------------------


def _decl(run: OfflineRun, kind: str, name: str) -> dict[str, Any]:
    """A deep-copied run's inputs of one resource, to break in place."""
    return next(r.inputs for r in run.resources if r.kind == kind and r.name == name)


def _mutated(fn: Callable[[OfflineRun], None]) -> Breach:
    def breach(inv: Inventory, run: OfflineRun) -> tuple[Inventory, OfflineRun]:
        broken = dataclasses.replace(run, resources=copy.deepcopy(run.resources))
        broken = dataclasses.replace(broken, vm_addresses=dict(run.vm_addresses))
        fn(broken)
        return inv, broken

    return breach


def _inventory(fn: Callable[[Inventory], Inventory]) -> Breach:
    def breach(inv: Inventory, run: OfflineRun) -> tuple[Inventory, OfflineRun]:
        changed = fn(inv)
        return changed, offline.run(changed)  # the real program follows the inventory

    return breach


def _pin_portal_on_one_node(inv: Inventory) -> Inventory:
    vms = {
        n: dataclasses.replace(vm, node="ttdl-srv1") if vm.application == "portal" else vm
        for n, vm in inv.vms.items()
    }
    return dataclasses.replace(inv, vms=vms)


def _student_cards_public_in_dmz(inv: Inventory) -> Inventory:
    """A public application on port 8443 in the DMZ: the program opens 8443 to anyone."""
    apps = dict(inv.applications)
    apps["student-cards"] = dataclasses.replace(apps["student-cards"], exposure=Exposure.public)
    dmz = inv.datacenter.vlan("dmz")
    vms = dict(inv.vms)
    vms["thehs-app-01"] = dataclasses.replace(
        vms["thehs-app-01"],
        segment="dmz",
        ip=IPv4Interface(f"{dmz.prefix.network_address + 99}/{dmz.prefix.prefixlen}"),
        gateway=IPv4Address(dmz.gateway),
        vlan_id=dmz.id,
    )
    return dataclasses.replace(inv, applications=apps, vms=vms)


def _drop(kind: str, name: str) -> Callable[[OfflineRun], None]:
    def fn(run: OfflineRun) -> None:
        object.__setattr__(
            run, "resources", tuple(r for r in run.resources if (r.kind, r.name) != (kind, name))
        )

    return fn


def _set(
    kind: str, name: str, path: tuple[str | int, ...], value: Any
) -> Callable[[OfflineRun], None]:
    def fn(run: OfflineRun) -> None:
        target: Any = _decl(run, kind, name)
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return fn


def _open_rule(source: str | None) -> Callable[[OfflineRun], None]:
    def fn(run: OfflineRun) -> None:
        rule = {"type": "in", "action": "ACCEPT", "proto": "tcp", "dport": "22", "comment": "oops"}
        if source is not None:
            rule["source"] = source
        _decl(run, "RulesLegacy", "portal-db-01-fw")["rules"].append(rule)

    return fn


def _wrong_output(run: OfflineRun) -> None:
    run.vm_addresses["mail-01"] = "10.0.10.99"


BREACHES: list[tuple[str, str, Breach]] = [
    ("vm_sizes", "qlth-db-01", _mutated(_set("VmLegacy", "qlth-db-01", ("cpu", "cores"), 8.0))),
    ("vm_sizes", "portal-db-02", _mutated(_drop("VmLegacy", "portal-db-02"))),
    (
        "vm_sizes",
        "mail-store-01",
        _mutated(_set("VmLegacy", "mail-store-01", ("disks", 1, "size"), 800.0)),
    ),
    (
        "vm_addresses",
        "hop-web-01",
        _mutated(
            _set(
                "VmLegacy",
                "hop-web-01",
                ("initialization", "ipConfigs", 0, "ipv4", "address"),
                "10.0.10.99/24",
            )
        ),
    ),
    ("vm_addresses", "mail-01", _mutated(_wrong_output)),
    (
        "backups",
        "portal-db-02",
        _mutated(_set("Job", "backup-portal", ("vmids",), ["140010", "140011", "120010"])),
    ),
    ("backups", "thidua-app-01", _mutated(_set("Job", "backup-awards", ("enabled",), False))),
    ("critical_spread", "portal", _inventory(_pin_portal_on_one_node)),
    ("critical_spread", "qlth-app-01", _mutated(_drop("Haresource", "qlth-app-01-ha"))),
    ("exposure", "thehs-app-01", _inventory(_student_cards_public_in_dmz)),
    ("exposure", "portal-db-01", _mutated(_open_rule("0.0.0.0/0"))),
    ("exposure", "portal-db-01", _mutated(_open_rule(None))),
    ("exposure", "taisan-db-01", _mutated(_drop("RulesLegacy", "taisan-db-01-fw"))),
    ("vlan_tags", "databases", _mutated(_set("Vnet", "sdn-databases", ("tag",), 999.0))),
    (
        "vlan_tags",
        "nhansu-app-01",
        _mutated(_set("VmLegacy", "nhansu-app-01", ("networkDevices", 0, "bridge"), "vlan120")),
    ),
    (
        "operator_keys",
        "thuvien-app-01",
        _mutated(_set("VmLegacy", "thuvien-app-01", ("initialization", "userAccount", "keys"), [])),
    ),
]


@pytest.mark.parametrize(
    ("check", "culprit", "breach"), BREACHES, ids=[f"{c}-{n}" for c, n, _ in BREACHES]
)
def test_each_check_catches_its_breach(
    check: str, culprit: str, breach: Breach, sample_city: Inventory, dc_run: OfflineRun
) -> None:
    inv, run = breach(sample_city, dc_run)
    found = policy.CHECKS[check](inv, run)
    assert found, f"{check} missed a breach on {culprit}"
    assert any(culprit in line for line in found), found
    assert policy.CHECKS[check](sample_city, dc_run) == []  # the shared run is untouched


def test_the_entry_point_reads_config_and_builds() -> None:
    """infra/__main__.py as Pulumi runs it: stack config in, the data center declared."""
    import runpy

    from infra.settings import PROJECT as P

    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEntryPointTestKey ops"
    recorder = offline._Recorder()
    offline.ensure_event_loop()
    pulumi.runtime.set_mocks(recorder, project=P, stack="entry", preview=False)
    pulumi.runtime.set_all_config(
        {
            f"{P}:sshPublicKeys": f'["{key}"]',
            "proxmoxve:endpoint": "https://127.0.0.1:8006/",
            "proxmoxve:apiToken": "edunet@pve!pulumi=entry-point-test",
        },
        secret_keys=["proxmoxve:apiToken"],
    )
    seen: list[str] = []

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def main() -> pulumi.Output[None]:
        ns = runpy.run_path(str(Path(offline.__file__).parent / "__main__.py"))
        addresses: pulumi.Output[dict[str, str]] = ns["datacenter"].vm_addresses
        return addresses.apply(lambda a: seen.extend(a))

    try:
        main()
    finally:
        pulumi.runtime.set_all_config({})
    assert len(seen) == 38
    # the cluster's provider, configured from the stack (the token stays a secret)
    provider = recorder.inputs[("pulumi:providers:proxmoxve", "proxmoxve")]
    assert provider["endpoint"] == "https://127.0.0.1:8006/"


def test_runs_after_an_event_loop_was_closed(sample_city: Inventory) -> None:
    """asyncio.run() elsewhere in the process leaves the thread without a loop; the
    offline run (and so `edunet infra plan` inside a larger process) still works."""
    import asyncio

    asyncio.run(asyncio.sleep(0))
    assert len(offline.run(sample_city).of(offline.VM)) == len(sample_city.vms)
