"""Network faults of the lab: real packets dropped and delayed by the kernel.

- ``block``: device down, site down. An nftables set in table ``inet edunet_lab`` and
  chains on the input and output hooks drop, silently, every packet to its addresses
  (the sender sees a timeout, as with a dead device).
- ``impair``: a lossy, slow uplink. The address moves into a network namespace of its
  own (see :mod:`lab.netns`), where nftables drops a random share of its packets
  and :mod:`lab.icmp_responder` answers echo requests after the delay.

What was done is written to ``<state dir>/netfaults.json`` so that a later command can
take it away; :meth:`NetFaults.clear_all` also sweeps what a crashed run left behind.
Namespaces, routes and nftables are the machine's, not one lab's: every change holds one
machine-wide lock, and the state files of all labs are listed under ``/run/edunet-lab``
so that one lab's sweep spares what another lab still has in place.
Needs root, ``ip`` and ``nft``.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Any, Literal

from edunet import atomic
from lab import netblock, netns
from lab.netcmd import NetFaultError, run, tools_missing

__all__ = ["NetFault", "NetFaultError", "NetFaults"]

LAB_NET = IPv4Network("127.0.0.0/8")
STATE_FILE = "netfaults.json"
RUN_DIR = Path("/run/edunet-lab")  # machine-wide, gone at reboot like the namespaces
LOCALNET_ALL = "net.ipv4.conf.all.route_localnet"

Kind = Literal["block", "impair"]


@dataclass(frozen=True, slots=True)
class NetFault:
    """One fault in place: ``block`` (addresses dropped) or ``impair`` (one address
    behind a lossy, slow link)."""

    key: str
    kind: Kind
    addresses: tuple[IPv4Address, ...]
    loss_pct: float = 0.0
    delay_ms: float = 0.0
    jitter_ms: float = 0.0
    namespace: str | None = None
    responder_pid: int | None = None


class NetFaults:
    """Put network faults in place and take them away, keyed by the caller's names."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        self.state_file = self.state_dir / STATE_FILE

    @staticmethod
    def unavailable_reason() -> str | None:
        """None when network faults can be made here, else why not."""
        if os.geteuid() != 0:
            return "needs root (network namespaces and nftables)"
        missing = tools_missing()
        if missing:
            return " and ".join(missing) + " not found"
        if not Path("/proc/self/ns/net").exists():
            return "the kernel has no network namespaces"
        return None

    # -- the interface ---------------------------------------------------------------

    def block(self, key: str, addresses: Sequence[IPv4Address]) -> None:
        """Drop every packet to ``addresses`` until cleared (replaces fault ``key``)."""
        wanted = tuple(dict.fromkeys(_lab_address(a) for a in addresses))
        if not wanted:
            raise ValueError(f"fault {key!r}: no address to block")
        with self._state() as state:
            self._remove(state, key)
            state["faults"][key] = {"kind": "block", "addresses": [str(a) for a in wanted]}
            self._apply_blocks(state)

    def impair(
        self,
        key: str,
        address: IPv4Address,
        *,
        loss_pct: float = 0.0,
        delay_ms: float = 0.0,
        jitter_ms: float = 0.0,
    ) -> None:
        """Lose ``loss_pct`` % of the packets to ``address`` and answer its echo requests
        after ``delay_ms`` ± ``jitter_ms`` (replaces fault ``key``)."""
        address = _lab_address(address)
        if not 0.0 <= loss_pct <= 100.0:
            raise ValueError(f"loss {loss_pct} %: give a share between 0 and 100")
        if delay_ms < 0 or jitter_ms < 0:
            raise ValueError("delay and jitter must not be negative")
        with self._state() as state:
            self._remove(state, key)
            for other, fault in state["faults"].items():
                if fault["kind"] == "impair" and fault["address"] == str(address):
                    raise NetFaultError(f"{address} is already impaired by fault {other!r}")
            cage = netns.Cage(_free_slot())
            _ensure_localnet()
            kernel_echo = delay_ms == 0 and jitter_ms == 0
            blocked = str(address) in _blocked(state)
            responder: netns.Responder | None = None
            try:
                netns.build(cage, address, loss_pct, kernel_echo, blocked)
                if not kernel_echo:
                    log = self.state_dir / "logs" / f"netfaults-{cage.slot}.log"
                    responder = netns.start_responder(cage, address, delay_ms, jitter_ms, log)
                netns.divert(cage, address)
            except BaseException:
                netns.tear_down(cage)
                _restore_localnet()
                raise
            state["faults"][key] = {
                "kind": "impair",
                "address": str(address),
                "loss_pct": loss_pct,
                "delay_ms": delay_ms,
                "jitter_ms": jitter_ms,
                "slot": cage.slot,
                "blocked": blocked,
                "responder": None
                if responder is None
                else {"pid": responder.pid, "started": responder.started},
            }

    def clear(self, key: str) -> None:
        """Take fault ``key`` away; an unknown key is not an error."""
        with self._state() as state:
            self._remove(state, key)

    def clear_all(self) -> None:
        """Take every fault away, including what a crashed earlier run left: no
        ``edunet-lab-*`` namespace, veth, route, nft table or responder remains, except
        what another lab's state file (listed under ``/run/edunet-lab``) still holds."""
        errors: list[str] = []
        with self._state(reset_unreadable=True) as state:
            for key in list(state["faults"]):
                try:
                    self._remove(state, key)
                except NetFaultError as exc:
                    errors.append(str(exc))
                    state["faults"].pop(key, None)
            slots, owners = _claimed_by_others(self.state_file)
            for slot in sorted(netns.leftover_slots() - slots):
                try:
                    netns.tear_down(netns.Cage(slot))
                except NetFaultError as exc:
                    errors.append(str(exc))
            try:
                for owner in netblock.owners_present() - owners:
                    netblock.apply(owner, ())
                if not owners:
                    netblock.remove_table()
                _restore_localnet()
            except NetFaultError as exc:
                errors.append(str(exc))
            _registry(drop=self.state_file)
        if errors:
            raise NetFaultError("; ".join(errors))

    def active(self) -> list[NetFault]:
        """The faults in place, by key."""
        faults = _read(self.state_file)["faults"]
        return [_as_fault(key, faults[key]) for key in sorted(faults)]

    # -- inside ------------------------------------------------------------------------

    def _remove(self, state: dict[str, Any], key: str) -> None:
        fault = state["faults"].pop(key, None)
        if fault is None:
            return
        if fault["kind"] == "block":
            self._apply_blocks(state)
            return
        if fault.get("responder"):
            r = fault["responder"]
            netns.stop_responder(netns.Responder(int(r["pid"]), int(r["started"])))
        netns.tear_down(netns.Cage(int(fault["slot"])))
        _restore_localnet()

    def _apply_blocks(self, state: dict[str, Any]) -> None:
        """The host drops this lab's blocked addresses; an impaired one is dropped inside
        its namespace, since the host's input hook never sees it."""
        blocked = _blocked(state)
        netblock.apply(netblock.owner_id(self.state_dir), blocked)
        for fault in state["faults"].values():
            want = fault["kind"] == "impair" and fault["address"] in blocked
            if fault["kind"] == "impair" and fault.get("blocked", False) != want:
                cage = netns.Cage(int(fault["slot"]))
                netns.set_rules(cage, IPv4Address(fault["address"]), fault["loss_pct"], want)
                fault["blocked"] = want

    @contextmanager
    def _state(self, *, reset_unreadable: bool = False) -> Iterator[dict[str, Any]]:
        """The state, under the machine-wide lock, written back (atomically) after the
        block, also when it fails half-way, so the record matches the machine."""
        reason = self.unavailable_reason()
        if reason:
            raise NetFaultError(f"network faults unavailable: {reason}")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        RUN_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        with (RUN_DIR / "netfaults.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                state = _read(self.state_file)
            except NetFaultError:
                if not reset_unreadable:
                    raise
                state = {"faults": {}}  # the sweep finds what it described
            _registry(add=self.state_file)
            try:
                yield state
            finally:
                _write(self.state_file, state)


def _lab_address(address: IPv4Address) -> IPv4Address:
    address = IPv4Address(address)
    if address not in LAB_NET:
        raise ValueError(f"{address} is not a lab address (127.0.0.0/8)")
    if address in netns.TRANSFER_NET or address == IPv4Address("127.0.0.1"):
        raise ValueError(f"{address} is reserved on this machine; it cannot carry a fault")
    return address


def _blocked(state: dict[str, Any]) -> set[str]:
    return {a for f in state["faults"].values() if f["kind"] == "block" for a in f["addresses"]}


def _free_slot() -> int:
    taken = netns.leftover_slots()  # every lab's, ours included
    for slot in range(netns.MAX_SLOTS):
        if slot not in taken:
            return slot
    raise NetFaultError(f"all {netns.MAX_SLOTS} impairment slots are in use")


def _registry(*, add: Path | None = None, drop: Path | None = None) -> list[Path]:
    """The state files of the labs on this machine (call under the lock)."""
    path = RUN_DIR / "netfaults-labs"
    try:
        known = [Path(line) for line in path.read_text().splitlines() if line]
    except FileNotFoundError:
        known = []
    gone = drop.resolve() if drop is not None else None
    keep = [p for p in dict.fromkeys(known) if p.exists() and p != gone]
    if add is not None and add.resolve() not in keep:
        keep.append(add.resolve())
    if keep != known:
        _write_text(path, "".join(f"{p}\n" for p in keep))
    return keep


def _claimed_by_others(own: Path) -> tuple[set[int], set[str]]:
    """The slots and nft owners that other labs' state files still hold."""
    slots: set[int] = set()
    owners: set[str] = set()
    for path in _registry():
        if path == own.resolve():
            continue
        try:
            faults = _read(path)["faults"]
        except NetFaultError:
            continue
        for fault in faults.values():
            if fault.get("kind") == "impair":
                slots.add(int(fault["slot"]))
            elif fault.get("kind") == "block":
                owners.add(netblock.owner_id(path.parent))
    return slots, owners


def _ensure_localnet() -> None:
    """The host must route 127.x over a veth; remember the setting found, to restore it
    once the last namespace is gone."""
    current = Path(f"/proc/sys/{LOCALNET_ALL.replace('.', '/')}").read_text().strip()
    before = RUN_DIR / "route_localnet.before"
    if current != "1":
        if not before.exists():
            _write_text(before, current + "\n")
        run(["sysctl", "-q", "-w", f"{LOCALNET_ALL}=1"])


def _restore_localnet() -> None:
    before = RUN_DIR / "route_localnet.before"
    if before.exists() and not netns.leftover_slots():
        run(["sysctl", "-q", "-w", f"{LOCALNET_ALL}={before.read_text().strip()}"])
        before.unlink()


def _as_fault(key: str, raw: dict[str, Any]) -> NetFault:
    if raw["kind"] == "block":
        return NetFault(key, "block", tuple(IPv4Address(a) for a in raw["addresses"]))
    responder = raw.get("responder")
    return NetFault(
        key,
        "impair",
        (IPv4Address(raw["address"]),),
        loss_pct=float(raw["loss_pct"]),
        delay_ms=float(raw["delay_ms"]),
        jitter_ms=float(raw["jitter_ms"]),
        namespace=netns.Cage(int(raw["slot"])).namespace,
        responder_pid=int(responder["pid"]) if responder else None,
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        state: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        state = {}
    except (OSError, ValueError) as exc:
        raise NetFaultError(f"{path}: unreadable ({exc}); `edunet lab down` resets it") from exc
    state.setdefault("faults", {})
    return state


def _write(path: Path, state: dict[str, Any]) -> None:
    _write_text(path, json.dumps(state, indent=2, sort_keys=True) + "\n")


def _write_text(path: Path, text: str) -> None:
    atomic.write_text(path, text)
