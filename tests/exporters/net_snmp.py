"""net-snmp's snmpd on a free loopback port, restartable with a new engine ID, and a lossy
UDP relay to put in front of it."""

from __future__ import annotations

import os
import random
import select
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import processes, ready
from support.ports import LOOPBACK, free_udp_port

from edunet.secrets import Secret, SnmpCredentials

USER, AUTH, PRIV = "edunet-test", "auth-key-test-1", "priv-key-test-1"
COMMUNITY = "public"
V2C = SnmpCredentials("t", "v2c", Secret(COMMUNITY), None, None, None, None, None)
V3 = SnmpCredentials("t3", "v3", None, USER, "sha", Secret(AUTH), "aes", Secret(PRIV), "")


def need_snmpd() -> None:
    if shutil.which("snmpd") is None or shutil.which("snmpget") is None:
        pytest.skip("net-snmp's snmpd and snmpget are needed")


class Snmpd:
    """One snmpd on ``LOOPBACK:port``, with no system configuration. Its engine ID and boots
    live in the ``state`` directory: the same one again keeps the ID, one boot later; a new
    one, or ``-C`` (``persistent=False``: the state is not read back), gives a new ID."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_udp_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, state: str, *, persistent: bool = True) -> None:
        conf = self.workdir / "snmpd.conf"
        conf.write_text(
            f"agentaddress udp:{LOOPBACK}:{self.port}\n"
            f"rocommunity {COMMUNITY} 127.0.0.0/8\n"
            f'createUser {USER} SHA "{AUTH}" AES "{PRIV}"\nrouser {USER} priv\n',
            encoding="utf-8",
        )
        conf.chmod(0o600)
        directory = self.workdir / state
        directory.mkdir(mode=0o700, exist_ok=True)
        argv = ["snmpd", "-f", "-Lf", str(self.workdir / "snmpd.log"), "-c", str(conf)]
        argv += ["-p", str(self.workdir / "snmpd.pid"), "-I", "-smux"]
        env = dict(os.environ, SNMP_PERSISTENT_DIR=str(directory))
        if persistent:  # no system configuration, but the persistent file (engine ID, boots)
            env["SNMPCONFPATH"] = str(directory)
        else:  # no configuration file read but ours: a new engine ID at every start
            argv.append("-C")
        self.process = processes.spawn(argv, log=subprocess.DEVNULL, env=env, cwd=None)
        ready.wait_snmp(LOOPBACK, self.port, COMMUNITY, 20, proc=self.process)

    def stop(self) -> None:
        if self.process is not None:
            processes.stop(self.process, 5)
            self.process = None

    def restart(self, state: str, *, persistent: bool = True) -> None:
        self.stop()
        self.start(state, persistent=persistent)


@contextmanager
def snmpd(workdir: Path, state: str = "first", *, persistent: bool = True) -> Iterator[Snmpd]:
    need_snmpd()
    agent = Snmpd(workdir)
    agent.start(state, persistent=persistent)
    try:
        yield agent
    finally:
        agent.stop()


class LossyRelay:
    """A UDP relay on a free loopback port to ``LOOPBACK:upstream`` that drops each datagram,
    either way, with probability ``loss`` (a seeded draw), and any for which ``drop`` says so."""

    def __init__(
        self, upstream: int, loss: float, seed: int, drop: Callable[[bytes], bool] | None = None
    ):
        self.loss, self.drop = loss, drop
        self.random = random.Random(seed)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind((LOOPBACK, 0))
        self.port = int(self.front.getsockname()[1])
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.connect((LOOPBACK, upstream))
        self.client: tuple[str, int] | None = None
        self.passed = self.dropped = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _lost(self, data: bytes) -> bool:
        lost = self.random.random() < self.loss or (self.drop is not None and self.drop(data))
        if lost:
            self.dropped += 1
        else:
            self.passed += 1
        return lost

    def _run(self) -> None:
        while not self._stop.is_set():
            readable, _, _ = select.select([self.front, self.back], [], [], 0.05)
            for sock in readable:
                try:
                    data, peer = sock.recvfrom(65535)
                except OSError:  # the agent is down: port unreachable on the back socket
                    continue
                if sock is self.front:
                    self.client = peer
                    if not self._lost(data):
                        self.back.send(data)
                elif self.client is not None and not self._lost(data):
                    self.front.sendto(data, self.client)

    def __enter__(self) -> LossyRelay:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.front.close()
        self.back.close()
