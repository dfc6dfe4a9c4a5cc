"""Simulated SNMP agents for the poll tests and the SNMP benchmark: snmpsim data and processes,
and net-snmp's snmpd in a network namespace of its own.

Data: an IF-MIB device with ``ports`` interfaces (the if_mib module's OIDs and a few more),
written as a ``.snmprec`` file whose name is the v2c community.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from support import processes, ready

# snmprec tags
INTEGER, OCTETS, HEX, OID, IPADDR, COUNTER32, GAUGE32, TICKS, COUNTER64 = (
    "2",
    "4",
    "4x",
    "6",
    "64",
    "65",
    "66",
    "67",
    "70",
)


def if_mib_records(ports: int, seed: int = 1) -> list[tuple[str, str, str]]:
    """(oid, tag, value) rows of a switch with ``ports`` interfaces."""
    rows = [
        ("1.3.6.1.2.1.1.1.0", OCTETS, f"Simulated switch {seed} with {ports} ports"),
        ("1.3.6.1.2.1.1.2.0", OID, "1.3.6.1.4.1.9.1.2494"),
        ("1.3.6.1.2.1.1.3.0", TICKS, str(123456 + seed)),
        ("1.3.6.1.2.1.1.5.0", OCTETS, f"sw-{seed}.school.edu.vn"),
        ("1.3.6.1.2.1.2.1.0", INTEGER, str(ports)),
    ]
    for i in range(1, ports + 1):
        big = (seed * 1_000_003 + i * 7_919_111) * 104_729
        for column, tag, value in (
            (1, INTEGER, str(i)),
            (2, OCTETS, f"GigabitEthernet1/0/{i}"),
            (3, INTEGER, "6"),
            (5, GAUGE32, "1000000000"),
            (7, INTEGER, "1"),
            (8, INTEGER, "1" if i % 5 else "2"),
            (9, TICKS, str(1000 + i)),
            (13, COUNTER32, str(i * 3)),
            (14, COUNTER32, str(i)),
            (19, COUNTER32, str(i * 2)),
            (20, COUNTER32, "0"),
        ):
            rows.append((f"1.3.6.1.2.1.2.2.1.{column}.{i}", tag, value))
        for column, tag, value in (
            (1, OCTETS, f"Gi1/0/{i}"),
            (6, COUNTER64, str(big % 2**64)),
            (10, COUNTER64, str((big * 3) % 2**64)),
            (15, GAUGE32, "1000"),
            (18, OCTETS, f"uplink to lớp {i}" if i % 7 == 0 else ""),
        ):
            rows.append((f"1.3.6.1.2.1.31.1.1.1.{column}.{i}", tag, value))
    return rows


def write_snmprec(path: Path, rows: Iterable[tuple[str, str, str]]) -> None:
    def key(row: tuple[str, str, str]) -> tuple[int, ...]:
        return tuple(int(x) for x in row[0].split("."))

    lines = []
    for oid, tag, value in sorted(rows, key=key):
        if tag == OCTETS and not value.isascii():
            tag, value = HEX, value.encode().hex()
        lines.append(f"{oid}|{tag}|{value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def snmpsim_binary() -> str | None:
    """The responder of this Python's environment (a venv's bin need not be on PATH)."""
    here = str(Path(sys.executable).parent)
    return shutil.which("snmpsim-command-responder", path=here) or shutil.which(
        "snmpsim-command-responder"
    )


def start_snmpsim(
    data_dir: Path,
    endpoints: list[str],
    *,
    v3_user: str | None = None,
    auth_key: str | None = None,
    priv_key: str | None = None,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """One snmpsim process serving ``data_dir`` on ``endpoints`` ("127.0.0.x:port")."""
    binary = snmpsim_binary()
    if binary is None:
        raise RuntimeError("snmpsim-command-responder is not installed")
    argv = [binary, f"--data-dir={data_dir}", f"--cache-dir={data_dir / '.cache'}", "--quiet"]
    argv += [f"--agent-udpv4-endpoint={e}" for e in endpoints]
    if v3_user:
        argv += [f"--v3-user={v3_user}"]
        if auth_key:
            argv += [f"--v3-auth-key={auth_key}", "--v3-auth-proto=SHA"]
        if priv_key:
            argv += [f"--v3-priv-key={priv_key}", "--v3-priv-proto=AES"]
    env = dict(os.environ, SNMPSIM_ALLOW_ROOT="true")
    return processes.spawn(argv, log=log or subprocess.DEVNULL, env=env, cwd=None)


def drain(sock: socket.socket) -> int:
    """How many datagrams were waiting on a non-blocking socket (read, so gone now)."""
    count = 0
    while True:
        try:
            sock.recv(65535)
        except BlockingIOError:
            return count
        count += 1


def wait_for_agent(address: str, port: int, community: str, timeout_s: float = 20.0) -> None:
    """Until net-snmp's snmpget reads sysName from the agent (or raise)."""
    ready.wait_snmp(address, port, community, timeout_s)


def stop(process: subprocess.Popen[bytes]) -> None:
    processes.stop(process, 5)


# --- net-snmp agents in a network namespace of our own ----------------------------------


def netns_create(name: str, interface_pairs: int) -> None:
    """A namespace with lo up and ``2 * interface_pairs`` veth ends (real IF-MIB rows)."""
    subprocess.run(["ip", "netns", "add", name], check=True)
    batch = ["link set lo up"]
    for i in range(interface_pairs):
        batch += [f"link add v{i}a type veth peer name v{i}b", f"link set v{i}a up"]
        batch += [f"link set v{i}b up"]
    subprocess.run(
        ["ip", "netns", "exec", name, "ip", "-batch", "-"],
        input="\n".join(batch) + "\n",
        text=True,
        check=True,
    )


def netns_delete(name: str) -> None:
    subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)


def start_snmpd(
    workdir: Path,
    address: str,
    community: str,
    netns: str | None = None,
    v3: tuple[str, str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """net-snmp's snmpd on ``address`` (port 161): v2c ``community``, and an SNMPv3
    authPriv (SHA, AES) user if ``v3`` = (user, auth key, priv key) is given."""
    conf = workdir / f"snmpd-{address}.conf"
    text = f"agentaddress udp:{address}:161\nrocommunity {community} 127.0.0.0/8\n"
    if v3:
        user, auth, priv = v3
        text += f'createUser {user} SHA "{auth}" AES "{priv}"\nrouser {user} priv\n'
    conf.write_text(text, encoding="utf-8")
    conf.chmod(0o600)
    state = workdir / f"snmpd-{address}.state"
    state.mkdir(exist_ok=True, mode=0o700)
    argv = ["snmpd", "-f", "-Lf", str(workdir / f"snmpd-{address}.log"), "-C", "-c", str(conf)]
    argv += ["-p", str(workdir / f"snmpd-{address}.pid")]
    if netns:
        argv = ["ip", "netns", "exec", netns, *argv]
    env = dict(os.environ, SNMP_PERSISTENT_DIR=str(state))  # not the system's /var/lib/snmp
    return processes.spawn(argv, log=subprocess.DEVNULL, env=env, cwd=None)
