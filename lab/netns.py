"""An impaired uplink: one lab address moved behind a veth into a network namespace.

Slot ``n`` owns namespace ``edunet-lab-<n>``, veths ``enl<n>h`` (host) and ``enl<n>n``
(namespace), and the transfer addresses 127.200.<n>.1 (host) and 127.200.<n>.2. The host
routes the impaired address there with a /32 in table ``local`` (longer than the local
127/8, which it therefore beats); the namespace owns the address on its ``lo``, drops a
share of the packets to it with nftables, and, when a delay is asked for, answers echo
requests with :mod:`lab.icmp_responder` instead of the kernel. The namespace gives
up 127.0.0.1 and sends all of 127/8 back over the veth, so replies reach a sender
whatever 127.x source it used.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

from lab.netcmd import NetFaultError, run, tool

__all__ = [
    "TRANSFER_NET",
    "Cage",
    "Responder",
    "build",
    "divert",
    "leftover_slots",
    "ruleset",
    "set_rules",
    "start_responder",
    "stop_responder",
    "tear_down",
]

TRANSFER_NET = IPv4Network("127.200.0.0/16")  # the host-to-namespace links live here
MAX_SLOTS = 256
NS_PREFIX = "edunet-lab-"
NFT_TABLE = "edunet_lab"
READY_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 2.0
_NS_LINE = re.compile(rf"^{re.escape(NS_PREFIX)}(\d+)(?:\s|$)")
_LINK_LINE = re.compile(r"^\d+:\s+enl(\d+)h[@:]")


@dataclass(frozen=True, slots=True)
class Cage:
    """The names and transfer addresses of one slot."""

    slot: int

    @property
    def namespace(self) -> str:
        return f"{NS_PREFIX}{self.slot}"

    @property
    def host_veth(self) -> str:
        return f"enl{self.slot}h"

    @property
    def ns_veth(self) -> str:
        return f"enl{self.slot}n"

    @property
    def host_ip(self) -> IPv4Address:
        return TRANSFER_NET.network_address + (self.slot << 8) + 1

    @property
    def ns_ip(self) -> IPv4Address:
        return TRANSFER_NET.network_address + (self.slot << 8) + 2


@dataclass(frozen=True, slots=True)
class Responder:
    """A running echo responder: its pid and kernel start time (so a recycled pid is
    never taken for it)."""

    pid: int
    started: int


def leftover_slots() -> set[int]:
    """Slots with a namespace or a host veth present on this machine, ours or stale."""
    slots = set()
    for line in run(["ip", "netns", "list"]).stdout.splitlines():
        if m := _NS_LINE.match(line.strip()):
            slots.add(int(m.group(1)))
    for line in run(["ip", "-o", "link", "show"]).stdout.splitlines():
        if m := _LINK_LINE.match(line):
            slots.add(int(m.group(1)))
    return slots


def ruleset(address: IPv4Address, loss_pct: float, blocked: bool = False) -> str:
    """nftables text for the namespace: drop ``loss_pct`` % of the packets to ``address``
    at random (in hundredths of a percent, so 12.5 % is exact), or all of them when the
    address is also blocked. Applied as one transaction that replaces the table."""
    share = 10000 if blocked else round(loss_pct * 100)
    rule = f"ip daddr {address} numgen random mod 10000 < {share} drop" if share else ""
    if share >= 10000:
        rule = f"ip daddr {address} drop"
    return (
        f"table inet {NFT_TABLE}\n"
        f"delete table inet {NFT_TABLE}\n"
        f"table inet {NFT_TABLE} {{\n"
        "  chain input {\n"
        "    type filter hook input priority filter; policy accept;\n"
        f"    {rule}\n"
        "  }\n"
        "}\n"
    )


def set_rules(cage: Cage, address: IPv4Address, loss_pct: float, blocked: bool) -> None:
    """Change the share of packets the namespace drops (all of them while blocked)."""
    run(["nft", "-f", "-"], netns=cage.namespace, stdin=ruleset(address, loss_pct, blocked))


def build(
    cage: Cage, address: IPv4Address, loss_pct: float, kernel_echo: bool, blocked: bool
) -> None:
    """Create the namespace and veths and the loss rule; the host route that diverts
    ``address`` into the namespace is added by :func:`divert` once everything answers."""
    ns, host, inner = cage.namespace, cage.host_veth, cage.ns_veth
    run(["ip", "netns", "add", ns])
    run(["ip", "link", "add", host, "type", "veth", "peer", "name", inner, "netns", ns])
    run(["ip", "-batch", "-"], stdin=f"addr add {cage.host_ip}/32 dev {host}\nlink set {host} up\n")
    # Packets from 127.x leaving the host by a real interface are martians without this.
    run(
        [
            "sysctl",
            "-q",
            "-w",
            f"net.ipv4.conf.{host}.route_localnet=1",
            f"net.ipv4.conf.{host}.rp_filter=0",
        ]
    )
    run(
        ["ip", "-n", ns, "-batch", "-"],
        stdin=(
            "link set lo up\n"
            # give up 127.0.0.1 (and its local 127/8) so replies to any 127.x go home
            "addr del 127.0.0.1/8 dev lo\n"
            f"addr add {address}/32 dev lo\n"
            f"addr add {cage.ns_ip}/32 dev {inner}\n"
            f"link set {inner} up\n"
            f"route add {cage.host_ip}/32 dev {inner}\n"
            f"route add 127.0.0.0/8 via {cage.host_ip} dev {inner} onlink src {address}\n"
        ),
    )
    run(
        [
            "sysctl",
            "-q",
            "-w",
            "net.ipv4.conf.all.route_localnet=1",
            f"net.ipv4.conf.{inner}.route_localnet=1",
            f"net.ipv4.icmp_echo_ignore_all={0 if kernel_echo else 1}",
        ],
        netns=ns,
    )
    set_rules(cage, address, loss_pct, blocked)


def divert(cage: Cage, address: IPv4Address) -> None:
    """Route ``address`` from the host into the namespace (the moment the fault begins)."""
    route = f"{address}/32 dev {cage.host_veth} src {cage.host_ip} table local"
    done = run(["ip", "route", "add", *route.split()], check=False)
    if done.returncode != 0:
        why = done.stderr.strip()
        if "File exists" in why:
            why = f"{address} is routed elsewhere already (another lab's fault on it?)"
        raise NetFaultError(f"`ip route add {route}` failed: {why}")


def start_responder(
    cage: Cage, address: IPv4Address, delay_ms: float, jitter_ms: float, log_file: Path
) -> Responder:
    """Start the echo responder in the namespace and wait until its socket is open."""
    script = Path(__file__).with_name("icmp_responder.py")
    argv = [
        sys.executable,
        str(script),
        "--delay-ms",
        f"{delay_ms:g}",
        "--jitter-ms",
        f"{jitter_ms:g}",
        "--address",
        str(address),
        "--ready",
    ]
    ip = tool("ip")
    if ip is None:
        raise NetFaultError("ip (iproute2) not found")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            [ip, "netns", "exec", cage.namespace, *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            start_new_session=True,  # outlives the command that started it
        )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], READY_TIMEOUT_S)
    line = proc.stdout.readline() if ready else b""
    proc.stdout.close()
    if line.strip() != b"ready":
        _signal(proc.pid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT_S)
        tail = log_file.read_text(errors="replace").strip().splitlines()[-3:]
        raise NetFaultError(
            f"echo responder in {cage.namespace} did not start: " + (" ".join(tail) or "no output")
        )
    _CHILDREN[proc.pid] = proc
    return Responder(proc.pid, _start_time(proc.pid) or 0)


def stop_responder(responder: Responder) -> None:
    """Stop a responder we started (in this process or an earlier one), if it still runs."""
    if _start_time(responder.pid) != responder.started or not _is_responder(responder.pid):
        _reap(responder.pid)
        return  # gone already, or the pid now belongs to someone else
    _stop_pid(responder.pid)


def tear_down(cage: Cage) -> None:
    """Remove a slot's processes, veths and namespace; whatever is already gone is fine."""
    namespaces = run(["ip", "netns", "list"]).stdout.split()
    if cage.namespace in namespaces:
        pids = run(["ip", "netns", "pids", cage.namespace], check=False).stdout.split()
        for pid in pids:
            _stop_pid(int(pid))
    # Deleting the host end takes the peer and the /32 route with it at once; leaving it
    # to the namespace's deletion would remove them later, in the background.
    if run(["ip", "link", "show", "dev", cage.host_veth], check=False).returncode == 0:
        done = run(["ip", "link", "del", "dev", cage.host_veth], check=False)
        if done.returncode != 0 and "Cannot find device" not in done.stderr:
            raise NetFaultError(f"`ip link del dev {cage.host_veth}` failed: {done.stderr.strip()}")
    if cage.namespace in namespaces:
        run(["ip", "netns", "del", cage.namespace])


# Children started by this process, so that stopping one also reaps it (no zombies).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _stop_pid(pid: int) -> None:
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while _alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.01)
    if _alive(pid):
        _signal(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    proc = _CHILDREN.get(pid)
    if proc is not None and proc.poll() is not None:
        del _CHILDREN[pid]


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name may hold spaces and parentheses; fields resume after the last ')'
    return text[text.rindex(")") + 2 :].split()


def _alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _start_time(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[19]) if fields is not None else None


def _is_responder(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"icmp_responder" in cmdline
