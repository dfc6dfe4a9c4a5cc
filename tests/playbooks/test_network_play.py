"""network.yml against simulated school switches: the first run configures VLANs and ports,
the second changes nothing, and `show vlan brief` on the switches lists the VLANs."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from support.ports import free_tcp_port

from edunet.model import Inventory

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "playbooks"
SWITCHES = 10
PLAY_TIMEOUT_S = 240

# lab-only login values; the simulated switches take whatever the environment says
LOGIN = {
    "EDUNET_SSH_NETOPS_USER": "netops",
    "EDUNET_SSH_NETOPS_PASSWORD": "lab-only-password",
    "EDUNET_SSH_NETOPS_ENABLE": "lab-only-enable",
}

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
]


def school_switches(inv: Inventory, count: int) -> list[str]:
    out = [
        d.name
        for d in inv.devices.values()
        if d.platform.name == "cisco_ios"
        and d.role.value == "access_switch"
        and inv.sites[d.site].is_school
        and d.ssh is not None
    ]
    return out[:count]


def play(env: dict[str, str], *args: str) -> tuple[dict[str, dict[str, int]], float]:
    """Runs ansible-playbook with the JSON callback; the per-host stats and the wall time."""
    t0 = time.monotonic()
    proc = subprocess.run(
        ["ansible-playbook", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=PLAY_TIMEOUT_S,
        check=False,
    )
    wall = time.monotonic() - t0
    try:
        result: dict[str, Any] = json.loads(proc.stdout[proc.stdout.index("{") :])
    except ValueError:
        pytest.fail(f"ansible-playbook rc={proc.returncode}: {proc.stderr[-2000:]}")
    return result["stats"], wall


@pytest.fixture(scope="module")
def lab(sample_city: Inventory) -> Any:
    from lab.ssh import start

    names = school_switches(sample_city, SWITCHES)
    port = free_tcp_port()
    env = {**os.environ, **LOGIN}
    with start(ROOT / "inventory.yaml", devices=names, port=port, env=env, duration=600) as sw:
        yield names, port, sw


def test_network_play_configures_then_changes_nothing(lab: Any, sample_city: Inventory) -> None:
    names, port, switches = lab
    assert len(names) >= 10
    env = {
        **os.environ,
        **LOGIN,
        "EDUNET_LAB": "true",
        "EDUNET_SSH_PORT": str(port),
        "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json",
        "ANSIBLE_FORKS": str(SWITCHES),
        # the simulator answers at once; the default 0.1 s wait after each prompt is most
        # of a push's time
        "ANSIBLE_PERSISTENT_BUFFER_READ_TIMEOUT": "0.02",
    }
    env.pop("ANSIBLE_CONFIG", None)
    limit = ",".join(names)
    # the management section (AAA, lines, banner) is beyond the simulator: check mode only
    first, t1 = play(env, "network.yml", "--limit", limit, "--skip-tags", "management")
    second, t2 = play(env, "network.yml", "--limit", limit, "--skip-tags", "management")
    print(f"network.yml on {len(names)} switches: first run {t1:.1f} s, second {t2:.1f} s")
    assert sorted(first) == sorted(names)
    for host in names:
        assert first[host]["failures"] == 0 and first[host]["unreachable"] == 0, host
        assert first[host]["changed"] > 0, host
        assert second[host]["failures"] == 0 and second[host]["unreachable"] == 0, host
        assert second[host]["changed"] == 0, host

    from netmiko import ConnectHandler

    from playbooks.configs.context import device_context

    for name in names[:3]:
        host, sw_port = switches.address(name)
        wanted = {v["id"] for v in device_context(sample_city, sample_city.devices[name])["vlans"]}
        conn = ConnectHandler(
            device_type="cisco_ios",
            host=host,
            port=sw_port,
            username=LOGIN["EDUNET_SSH_NETOPS_USER"],
            password=LOGIN["EDUNET_SSH_NETOPS_PASSWORD"],
            secret=LOGIN["EDUNET_SSH_NETOPS_ENABLE"],
            fast_cli=True,
        )
        try:
            conn.enable()
            shown = str(conn.send_command("show vlan brief"))
        finally:
            conn.disconnect()
        ids = {int(line.split()[0]) for line in shown.splitlines() if line[:1].isdigit()}
        assert wanted <= ids, (name, sorted(wanted - ids))
