"""The namespace host kit itself: isolated hosts that start fast and leave nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import hostkit
import pytest
from hostkit import HostKit

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HERE = Path(__file__).parent


def namespaces_of(owner: int) -> list[str]:
    """Network namespaces a kit of process `owner` still holds."""
    prefix = f"{hostkit.PREFIX}-{owner}-"
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in netns.splitlines() if line.startswith(prefix)]


def leaked_mounts() -> list[str]:
    """Host mounts seen from the test's side (there should never be any: private namespaces)."""
    mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    return [line for line in mounts if "edunet-lh" in line and " - nsfs " not in line]


def ssh(kit: HostKit, address: str, command: str) -> subprocess.CompletedProcess[str]:
    argv = ["ssh", "-i", str(kit.client_key), "-o", f"UserKnownHostsFile={kit.known_hosts}"]
    argv += ["-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"]
    return subprocess.run([*argv, f"root@{address}", command], capture_output=True, text=True,
                          timeout=30)  # fmt: skip


def test_twenty_hosts_are_isolated_and_removed(linux_hosts: Callable[[int], HostKit]) -> None:
    began = time.monotonic()
    kit = linux_hosts(20)
    print(f"\n20 hosts reachable over SSH in {time.monotonic() - began:.1f} s")
    hosts = kit.hosts
    assert len({h.address for h in hosts}) == 20
    first, second = hosts[0], hosts[1]
    done = ssh(kit, str(first.address), "hostname; echo written > /etc/edunet-probe")
    assert done.stdout.strip() == first.name, done.stderr
    assert first.read_text("/etc/edunet-probe") == "written\n"
    assert not Path("/etc/edunet-probe").exists()  # copy-on-write: the machine's / is untouched
    with pytest.raises(FileNotFoundError):
        second.read_text("/etc/edunet-probe")
    # each host sees only its own link
    assert second.run("ip", "-4", "-o", "addr", "show", "eth0").stdout.split()[3] == (
        f"{second.address}/30"
    )
    assert leaked_mounts() == []
    kit.stop()
    assert namespaces_of(os.getpid()) == []
    assert all(not Path(f"/proc/{h.pid}").exists() for h in hosts)


def test_a_killed_run_is_swept_by_the_next_kit(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("namespace hosts need root (network and mount namespaces, overlayfs)")
    script = (
        "import sys, time; sys.path.insert(0, sys.argv[1]); import hostkit, pathlib\n"
        "kit = hostkit.HostKit(pathlib.Path(sys.argv[2])); kit.start(2)\n"
        "print('up', flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(HERE), str(tmp_path)],
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "up"
        assert len(namespaces_of(child.pid)) == 2
    finally:
        child.send_signal(signal.SIGKILL)  # no chance to clean up
        child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
    swept = hostkit.sweep_stale()
    assert len([n for n in swept if n.startswith(f"{hostkit.PREFIX}-{child.pid}-")]) == 2
    assert namespaces_of(child.pid) == []
