"""Many simulated IOS switches in one Twisted process, each with its own SSH listener.

Every switch shares one parsed host key (fake-switches' built-in key: clients must not
check host keys) and its profile's password checker. The lab's faults file is watched:
``ssh_down`` closes a switch's listener and drops its sessions (connections are refused
until cleared), ``config_reject`` makes every configuration line answer IOS's marker.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lab.ssh import patches
from lab.ssh.specs import Login, SwitchSpec

patches.apply()

from fake_switches import switch_factory  # noqa: E402  (after the patches)
from fake_switches.switch_configuration import Port  # noqa: E402
from fake_switches.transports import ssh_service  # noqa: E402
from twisted.conch.ssh import factory as ssh_factory_mod  # noqa: E402
from twisted.conch.ssh import keys  # noqa: E402
from twisted.cred import checkers, portal  # noqa: E402
from twisted.internet import error as net_error  # noqa: E402
from twisted.internet import reactor as _reactor  # noqa: E402
from twisted.internet import task  # noqa: E402

from lab.ssh.cli_base import set_config_reject  # noqa: E402

log = logging.getLogger(__name__)

# Twisted's hints type the global reactor and conch's Key loosely
reactor: Any = _reactor
Key: Any = keys.Key
FAULTS_POLL_S = 0.5


class TrackingFactory(ssh_factory_mod.SSHFactory):
    """An SSH factory that remembers its live sessions, so a fault can drop them."""

    portal: Any

    def __init__(self) -> None:
        self.sessions: weakref.WeakSet[Any] = weakref.WeakSet()

    def buildProtocol(self, addr: Any) -> Any:
        proto = super().buildProtocol(addr)
        self.sessions.add(proto)
        return proto


class SharedKeys:
    """One parsed host key for every switch: parsing it per switch costs time and memory."""

    def __init__(self) -> None:
        pub, priv = ssh_service.getRSAKeys()
        self.public = {b"ssh-rsa": Key.fromString(data=pub.encode())}
        self.private = {b"ssh-rsa": Key.fromString(data=priv.encode())}


@dataclass
class Switch:
    spec: SwitchSpec
    core: Any
    factory: TrackingFactory
    listener: Any = None
    stopping: bool = False
    want_up: bool = True

    def listen(self) -> None:
        self.listener = reactor.listenTCP(self.spec.port, self.factory, interface=self.spec.host)

    def reconcile(self) -> None:
        """Bring the listener in line with ``want_up`` (a closing port is waited for)."""
        if self.stopping:
            return
        if self.want_up and self.listener is None:
            try:
                self.listen()
            except net_error.CannotListenError:
                log.warning("%s: cannot listen again yet; retrying", self.spec.device)
        elif not self.want_up and self.listener is not None:
            self.stopping = True
            done = self.listener.stopListening()
            self.listener = None
            for proto in list(self.factory.sessions):
                if proto.transport is not None:
                    proto.transport.abortConnection()

            def stopped(_: Any) -> None:
                self.stopping = False

            if done is None:
                self.stopping = False
            else:
                done.addBoth(stopped)


def build(spec: SwitchSpec, login: Login, keys_: SharedKeys, checker: Any) -> Switch:
    ports = [Port(name) for name in spec.ports] or None
    core = switch_factory.SwitchFactory().get(
        spec.model, spec.device, login.enable.reveal(), ports=ports
    )
    factory = TrackingFactory()
    factory.portal = portal.Portal(ssh_service.SSHDemoRealm(core))
    factory.portal.registerChecker(checker)
    factory.publicKeys = keys_.public
    factory.privateKeys = keys_.private
    return Switch(spec, core, factory)


@dataclass
class FaultWatcher:
    """Re-reads the lab's faults file when it changes and applies the SSH faults."""

    path: Path | None
    switches: dict[str, Switch]
    mtime: int | None = None
    active: dict[str, set[str]] = field(default_factory=dict)

    def tick(self) -> None:
        self.refresh()
        for sw in self.switches.values():
            sw.reconcile()

    def refresh(self) -> None:
        if self.path is not None:
            try:
                mtime: int | None = self.path.stat().st_mtime_ns
            except OSError:
                mtime = None
            if mtime != self.mtime:
                self.mtime = mtime
                self._apply(self._read() if mtime is not None else {})

    def _read(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            devices = data.get("devices") or {}
            return devices if isinstance(devices, dict) else {}
        except (OSError, ValueError, AttributeError):  # half-written: keep what we had
            return {name: {k: True for k in kinds} for name, kinds in self.active.items()}

    def _apply(self, devices: dict[str, Any]) -> None:
        for name, sw in self.switches.items():
            entry = devices.get(name) or {}
            down, reject = "ssh_down" in entry, "config_reject" in entry
            sw.want_up = not down
            set_config_reject(sw.core.switch_configuration, reject)
            kinds = {k for k, on in (("ssh_down", down), ("config_reject", reject)) if on}
            if kinds:
                self.active[name] = kinds
            else:
                self.active.pop(name, None)


def rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def write_ready(path: Path, stats: dict[str, Any], switches: Sequence[Switch]) -> None:
    from edunet import atomic

    rows = [{"device": s.spec.device, "host": s.spec.host, "port": s.spec.port} for s in switches]
    atomic.write_text(path, json.dumps({"stats": stats, "switches": rows}, indent=1) + "\n")


def run(
    specs: Sequence[SwitchSpec],
    logins: dict[str, Login],
    ready: Path | None = None,
    faults: Path | None = None,
    duration: float | None = None,
) -> int:
    """Start every switch, serve until SIGTERM/SIGINT or ``duration``; returns the exit code."""
    t0 = time.perf_counter()
    shared = SharedKeys()
    checkers_ = {
        name: checkers.InMemoryUsernamePasswordDatabaseDontUse(
            **{login.user: login.password.reveal().encode()}
        )
        for name, login in logins.items()
    }
    switches = {s.device: build(s, logins[s.profile], shared, checkers_[s.profile]) for s in specs}
    watcher = FaultWatcher(faults, switches)
    watcher.refresh()  # faults set before the start apply from the first connection
    busy = []
    for sw in switches.values():
        try:
            if sw.want_up:
                sw.listen()
        except net_error.CannotListenError:
            busy.append(sw)
    if busy:
        where = f"{busy[0].spec.host}:{busy[0].spec.port}"
        print(f"cannot listen on {len(busy)} address(es), e.g. {where}", file=sys.stderr)
        for s in switches.values():
            if s.listener is not None:
                s.listener.stopListening()
        return 2
    stats = {
        "count": len(switches),
        "start_seconds": round(time.perf_counter() - t0, 3),
        "rss_mib": round(rss_mib(), 1),
        "pid": os.getpid(),
    }
    print(json.dumps(stats), flush=True)
    if ready is not None:
        write_ready(ready, stats, list(switches.values()))
    loop = task.LoopingCall(watcher.tick)
    loop.start(FAULTS_POLL_S, now=False)

    def stop(*_: Any) -> None:
        reactor.callFromThread(lambda: reactor.running and reactor.stop())

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if duration is not None:
        reactor.callLater(duration, stop)
    reactor.run(installSignalHandlers=False)
    if ready is not None:
        ready.unlink(missing_ok=True)
    print(json.dumps({"stopped": True, "rss_mib": round(rss_mib(), 1)}), flush=True)
    return 0
