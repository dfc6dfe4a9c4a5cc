"""The Ansible project through Ansible's own commands: `ansible-inventory --list` on the
sample city (groups, counts, time; device_config from the vars plugin when a task runs) and
`ansible-lint --offline` on the whole project."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from support.ansible_json import plain

from edunet.model import Inventory
from playbooks.ansible_inventory import group_hosts

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "playbooks"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "EDUNET_"))}
    env.update(extra)
    return env


def _lab_run(*argv: str) -> str:
    """An Ansible command on the sample city as the lab sees it; its output."""
    proc = subprocess.run(
        [*argv, "-i", "inventory/edunet.yml"],
        cwd=PROJECT,
        env=_env(EDUNET_LAB="true", EDUNET_SSH_PORT="10022"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_ansible_inventory_list(sample_city: Inventory) -> None:
    t0 = time.monotonic()
    data = plain(json.loads(_lab_run("ansible-inventory", "--list")))
    wall = time.monotonic() - t0
    hostvars = data["_meta"]["hostvars"]
    counts = {g: len(body.get("hosts", [])) for g, body in data.items() if g != "_meta"}
    summary = {g: counts[g] for g in ("network", "servers", "monitoring")}
    kinds = Counter(g.split("_", 1)[0] for g in data if g not in ("_meta", "all", "ungrouped"))
    print(
        f"ansible-inventory --list: {len(hostvars)} hosts in {wall:.1f} s; {summary}; "
        f"groups by prefix {dict(kinds)}"
    )
    assert set(hostvars) == set(sample_city.devices) | set(sample_city.vms)
    assert group_hosts(data)["vms"] == set(sample_city.vms)
    platforms = Counter(d.platform.name for d in sample_city.devices.values())
    assert counts["network"] == sum(
        platforms[p] for p in ("cisco_ios", "cisco_xe", "mikrotik_routeros")
    )
    assert counts["servers"] == platforms["linux"]
    assert counts["monitoring"] == 1
    assert kinds["district"] == len(sample_city.districts)
    assert kinds["site"] == len(sample_city.sites)
    switch = next(d for d in sample_city.devices.values() if d.platform.name == "cisco_ios")
    hv = hostvars[switch.name]
    assert hv["ansible_host"].startswith("127.")
    assert hv["ansible_port"] == 10022
    assert hv["ansible_password"].startswith("{{ lookup(")
    # device_config is not serialised for the whole city: the vars plugin builds it for the
    # hosts a task runs on
    assert not [h for h, v in hostvars.items() if "device_config" in v]
    shown = _lab_run(
        "ansible", switch.name, "-o", "-m", "debug", "-a", "var=device_config.hostname"
    )
    assert f'"device_config.hostname": "{switch.name}"' in shown


def test_ansible_lint_offline_clean() -> None:
    # lint's syntax check loads the inventory once per playbook: the small city keeps it quick
    small = ROOT / "tests" / "core" / "data" / "small.yaml"
    proc = subprocess.run(
        ["ansible-lint", "--offline", "--nocolor"],
        cwd=PROJECT,
        env=_env(EDUNET_INVENTORY=str(small)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
