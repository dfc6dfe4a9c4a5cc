"""The program's ``vm_addresses`` output is what the Ansible inventory reaches the VMs at:
through the builder, and through ``ansible-inventory`` with the plugin's ``vm_addresses``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from edunet.model import Inventory
from edunet.reach import AddressMap
from infra.offline import OfflineRun
from playbooks.ansible_inventory import build, group_hosts

PROJECT = Path(__file__).parent.parent.parent / "playbooks"


def test_vms_are_reached_at_the_programs_addresses(
    sample_city: Inventory, dc_run: OfflineRun
) -> None:
    data = build(sample_city, AddressMap(), vm_addresses=dc_run.vm_addresses)
    hostvars = data["_meta"]["hostvars"]
    assert group_hosts(data)["vms"] == set(sample_city.vms) == set(dc_run.vm_addresses)
    for name, address in dc_run.vm_addresses.items():
        vm = sample_city.vms[name]
        assert hostvars[name]["ansible_host"] == address == str(vm.ip.ip)
        assert name in data[f"app_{vm.application.replace('-', '_')}"]["hosts"]
        assert hostvars[name]["ansible_user"].startswith("{{ lookup(")  # never a value


def test_a_deployed_address_wins_over_the_plan(sample_city: Inventory) -> None:
    """What the stack reports is where the VM is, even before the plan catches up."""
    name = next(iter(sample_city.vms))
    data = build(sample_city, AddressMap(), vm_addresses={name: "10.0.99.7"})
    assert data["_meta"]["hostvars"][name]["ansible_host"] == "10.0.99.7"


@pytest.mark.integration
@pytest.mark.slow
def test_ansible_inventory_reads_the_stack_output(dc_run: OfflineRun, tmp_path: Path) -> None:
    output = tmp_path / "vm_addresses.json"  # as `pulumi stack output vm_addresses --json`
    moved = dict(dc_run.vm_addresses)
    name = sorted(moved)[0]
    moved[name] = "10.0.99.8"
    output.write_text(json.dumps(moved))
    bindir = str(Path(sys.executable).parent)
    env = os.environ | {
        "EDUNET_VM_ADDRESSES": str(output),
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "ANSIBLE_CONFIG": str(PROJECT / "ansible.cfg"),
    }
    env.pop("EDUNET_LAB", None)
    proc = subprocess.run(
        ["ansible-inventory", "-i", "inventory/edunet.yml", "--host", name],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["ansible_host"] == "10.0.99.8"
