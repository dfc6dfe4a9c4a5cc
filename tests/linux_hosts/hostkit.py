"""Disposable Linux hosts for tests: real OpenSSH in network namespaces, copy-on-write roots.

Each host is one network namespace with one veth to the test's side (a /30 out of 10.255.0.0/16,
never routed anywhere), a private mount and UTS namespace holding an overlayfs whose lower layer
is this machine's root filesystem and whose upper layer is a tmpfs, and an ``sshd -D`` chrooted
into that overlay. There is no init and no systemd inside: only sshd and what it spawns.

Everything a host owns lives in its namespaces, so killing every process of its network namespace
and deleting the namespace removes it all (mounts die with the mount namespace, the veth with the
network namespace). Namespaces are named after the owning test process, so a later kit sweeps
the leftovers of a killed run.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "edunet-lh"  # network namespace names: edunet-lh-<owner pid>-<slot>
LINK_PREFIX = "elh"  # test-side veth names: elh<slot>, slot 0..16383
NETWORK = ipaddress.IPv4Network("10.255.0.0/16")
SLOTS = NETWORK.num_addresses // 4
LOCK_FILE = Path("/run/lock/edunet-hostkit.lock")
REQUIRED = ("ip", "unshare", "nsenter", "chroot", "ssh-keygen", "/usr/sbin/sshd")

# Runs inside the host's fresh mount + UTS namespaces, with the host's directory as $1.
_BOOT = r"""
set -eu
dir=$1 name=$2 address=$3
mount -t tmpfs -o mode=700,size=512m edunet-lh "$dir/root"
mkdir "$dir/root/upper" "$dir/root/work" "$dir/root/merged"
m=$dir/root/merged
mount -t overlay edunet-lh -o "lowerdir=/,upperdir=$dir/root/upper,workdir=$dir/root/work" "$m"
mount -t proc proc "$m/proc"
mount --rbind /sys "$m/sys"
mount --rbind /dev "$m/dev"
mount -t tmpfs -o mode=755 tmpfs "$m/run"
mount -t tmpfs -o mode=1777 tmpfs "$m/tmp"
mkdir -m 755 "$m/run/sshd"
rm -f "$m"/etc/ssh/ssh_host_*
install -m 600 "$dir/ssh_host_ed25519_key" "$m/etc/ssh/ssh_host_ed25519_key"
install -m 644 "$dir/ssh_host_ed25519_key.pub" "$m/etc/ssh/ssh_host_ed25519_key.pub"
install -d -m 700 "$m/root/.ssh"
install -m 600 "$dir/authorized_keys" "$m/root/.ssh/authorized_keys"
printf '%s\n' "$name" > "$m/etc/hostname"
hostname "$name"
exec chroot "$m" /usr/sbin/sshd -D -e -o "ListenAddress=$address" -o UseDNS=no
"""


class HostKitError(RuntimeError):
    """A host could not be started or stopped within its bounds."""


@dataclass(frozen=True, slots=True)
class LinuxHost:
    name: str
    address: ipaddress.IPv4Address
    netns: str
    slot: int
    pid: int  # the sshd listener: its namespaces and root are the host's
    directory: Path  # on the test's side: keys and the sshd log

    def run(self, *argv: str, timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
        """Run a command inside the host (its root, mounts, network), without SSH."""
        cmd = ["nsenter", "-t", str(self.pid), "-m", "-n", "-u", "-r", "-w", "--", *argv]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)

    def read_text(self, path: str) -> str:
        """A file as the host sees it (its overlay), or FileNotFoundError."""
        done = self.run("cat", "--", path)
        if done.returncode != 0:
            raise FileNotFoundError(f"{self.name}:{path}: {done.stderr.strip()}")
        return done.stdout


@dataclass
class HostKit:
    """Starts and stops namespace hosts; a context manager that always cleans up."""

    workdir: Path
    start_timeout: float = 60.0  # whole start of all hosts
    stop_timeout: float = 20.0
    hosts: list[LinuxHost] = field(default_factory=list)
    _procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _namespaces: list[str] = field(default_factory=list)  # claimed, even if a start failed

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.client_key = self.workdir / "id_ed25519"
        self.known_hosts = self.workdir / "known_hosts"
        if not self.client_key.exists():
            _keygen(self.client_key, "edunet-hostkit-client")
        self.known_hosts.touch(mode=0o600)

    def __enter__(self) -> HostKit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, count: int, prefix: str = "lh") -> list[LinuxHost]:
        """Start `count` hosts named <prefix>01…; all reachable over SSH, or raise (and clean)."""
        if not 0 < count <= 64:
            raise ValueError("count must be 1..64")
        missing = [t for t in REQUIRED if shutil.which(t) is None]
        if missing:
            raise HostKitError(f"missing tools: {', '.join(missing)}")
        sweep_stale()
        deadline = time.monotonic() + self.start_timeout
        names = [f"{prefix}{i:02d}" for i in range(1, count + 1)]
        slots = self._claim_slots(names)
        started: list[LinuxHost] = []
        try:
            with ThreadPoolExecutor(max_workers=min(8, count)) as pool:
                for host in pool.map(self._start_one, names, slots):
                    started.append(host)
                    self.hosts.append(host)
            for host in started:
                _wait_ssh(host, self._procs[host.name], deadline)
        except BaseException:
            self.stop()
            raise
        with self.known_hosts.open("a") as out:
            for host in started:
                key = (host.directory / "ssh_host_ed25519_key.pub").read_text().split()[:2]
                out.write(f"{host.address} {' '.join(key)}\n")
        return started

    def _claim_slots(self, names: Sequence[str]) -> list[int]:
        # Claimed by creating the namespaces under a lock, so parallel kits never share a /30.
        LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
        with LOCK_FILE.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            used = {int(n.rsplit("-", 1)[1]) for n in _namespaces()}
            free = (s for s in range(SLOTS) if s not in used)
            slots = [next(free) for _ in names]
            for slot in slots:
                netns = f"{PREFIX}-{os.getpid()}-{slot}"
                _ip("netns", "add", netns)
                self._namespaces.append(netns)
        return slots

    def _start_one(self, name: str, slot: int) -> LinuxHost:
        netns = f"{PREFIX}-{os.getpid()}-{slot}"
        near = NETWORK.network_address + 4 * slot + 1
        address = near + 1
        link = f"{LINK_PREFIX}{slot}"
        _ip("link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", netns)
        _ip("addr", "add", f"{near}/30", "dev", link)
        _ip("link", "set", link, "up")
        _ip("-n", netns, "addr", "add", f"{address}/30", "dev", "eth0")
        _ip("-n", netns, "link", "set", "lo", "up")
        _ip("-n", netns, "link", "set", "eth0", "up")
        directory = self.workdir / name
        (directory / "root").mkdir(parents=True, exist_ok=True)
        _keygen(directory / "ssh_host_ed25519_key", name)
        shutil.copy(self.client_key.with_suffix(".pub"), directory / "authorized_keys")
        log = (directory / "sshd.log").open("wb")
        argv = ["ip", "netns", "exec", netns, "unshare", "--mount", "--uts"]
        argv += ["--propagation", "private", "sh", "-c", _BOOT, "boot"]
        argv += [str(directory), name, str(address)]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        self._procs[name] = proc
        return LinuxHost(name, address, netns, slot, proc.pid, directory)

    def stop(self) -> None:
        """Kill every process of every host, delete its namespace (and so its mounts and veth)."""
        deadline = time.monotonic() + self.stop_timeout
        errors = []
        for netns in self._namespaces:
            try:
                _remove_netns(netns, deadline)
            except HostKitError as error:  # carry on: the other hosts still go
                errors.append(str(error))
        for proc in self._procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        self.hosts.clear()
        self._procs.clear()
        self._namespaces.clear()
        if errors:
            raise HostKitError("; ".join(errors))

    def ansible_inventory(self, extra: Mapping[str, object] | None = None) -> dict[str, object]:
        """A YAML-ready inventory: group `linux_hosts`, root over SSH with the kit's key."""
        ssh_args = f"-o UserKnownHostsFile={self.known_hosts} -o StrictHostKeyChecking=yes"
        common: dict[str, object] = {
            "ansible_connection": "ssh",
            "ansible_user": "root",
            "ansible_ssh_private_key_file": str(self.client_key),
            "ansible_ssh_common_args": ssh_args,
            "ansible_python_interpreter": "/usr/bin/python3",
        }
        common.update(extra or {})
        hosts = {h.name: {"ansible_host": str(h.address)} for h in self.hosts}
        return {"all": {"children": {"linux_hosts": {"hosts": hosts, "vars": common}}}}


@contextlib.contextmanager
def linux_hosts(count: int, workdir: Path | None = None) -> Iterator[HostKit]:
    """`with linux_hosts(5) as kit: kit.hosts …` — hosts gone afterwards, whatever happened."""
    owned = workdir is None
    root = Path(tempfile.mkdtemp(prefix="edunet-lh-")) if workdir is None else workdir
    kit = HostKit(root)
    try:
        kit.start(count)
        yield kit
    finally:
        kit.stop()
        if owned:
            shutil.rmtree(root, ignore_errors=True)


def sweep_stale() -> list[str]:
    """Remove the namespaces of kits whose owning process is gone (a killed test run)."""
    removed = []
    for netns in _namespaces():
        owner = int(netns.split("-")[2])
        if owner != os.getpid() and not Path(f"/proc/{owner}").exists():
            _remove_netns(netns, time.monotonic() + 10.0)
            removed.append(netns)
    return removed


def _namespaces() -> list[str]:
    done = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True)
    names = (line.split()[0] for line in done.stdout.splitlines() if line.strip())
    return [n for n in names if re.fullmatch(rf"{PREFIX}-\d+-\d+", n)]


def _remove_netns(netns: str, deadline: float) -> None:
    # Bounded: TERM first (sshd closes sessions), KILL for what is left, then delete.
    sig = signal.SIGTERM
    while True:
        done = subprocess.run(["ip", "netns", "pids", netns], capture_output=True, text=True)
        pids = [int(p) for p in done.stdout.split()]
        if done.returncode != 0 or not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        if time.monotonic() > deadline:
            raise HostKitError(f"{netns}: processes {pids} survive SIGKILL")
        time.sleep(0.1)
        sig = signal.SIGKILL
    subprocess.run(["ip", "netns", "del", netns], capture_output=True, check=False)


def _wait_ssh(host: LinuxHost, proc: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = (host.directory / "sshd.log").read_text(errors="replace")[-2000:]
            raise HostKitError(f"{host.name}: boot exited {proc.returncode}: {log}")
        try:
            with socket.create_connection((str(host.address), 22), timeout=1.0) as conn:
                conn.settimeout(2.0)
                if conn.recv(64).startswith(b"SSH-2.0-"):
                    return
        except OSError:
            pass  # not listening yet
        time.sleep(0.05)
    raise HostKitError(f"{host.name}: sshd not answering on {host.address}:22 in time")


def _keygen(path: Path, comment: str) -> None:
    for old in (path, path.with_suffix(".pub")):  # a reused work directory: ssh-keygen would ask
        old.unlink(missing_ok=True)
    argv = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)]
    subprocess.run(argv, check=True, capture_output=True, timeout=30)


def _ip(*argv: str) -> None:
    done = subprocess.run(["ip", *argv], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise HostKitError(f"ip {' '.join(argv)}: {done.stderr.strip()}")
