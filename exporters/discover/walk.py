"""The walk: breadth-first from the seed addresses over the management addresses that
neighbours advertise in LLDP, a bounded number of polls at once, each within its budget;
then the sweep (:mod:`exporters.discover.sweep`) of the management prefixes LLDP did not
lead through, and the walk on from every address that answers it.

A device that does not answer (dead, slow, wrong credentials) is noted with the reason and
the walk goes on without it: its neighbours may still be reached through another device.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Address

from edunet.reach import AddressMap
from edunet.secrets import SnmpCredentials
from exporters.discover.sweep import PROBE, Sweep, hosts
from exporters.discover.tell import DISCOVER, Told, read
from exporters.snmp.result import PollResult
from exporters.snmp.session import SnmpTarget
from exporters.snmp.targets import PollFn

__all__ = ["Walk", "WalkOptions", "walk"]

# the credentials to try at an address (inventory numbering); None: none usable, with why
Credentials = Callable[[str], SnmpCredentials | str]
Progress = Callable[[int, int], None]  # (addresses done, addresses known so far)


@dataclass(frozen=True, slots=True)
class WalkOptions:
    concurrency: int = 64
    timeout_s: float = 2.0  # one try's wait
    budget_s: float = 6.0  # one device's whole poll, retries included
    max_devices: int = 100_000  # a loop of bad advertisements cannot run on forever
    port: int = 161
    address_map: AddressMap = field(default_factory=AddressMap)
    probe_timeout_s: float = 1.0  # a sweep probe's one try: an empty address costs this


@dataclass(slots=True)
class Walk:
    told: dict[str, Told] = field(default_factory=dict)  # address -> what it said
    failed: dict[str, str] = field(default_factory=dict)  # address -> why it said nothing
    hops: dict[str, int] = field(default_factory=dict)  # address -> LLDP hops from a seed
    silent: dict[str, str] = field(default_factory=dict)  # swept address -> why no answer
    probes: int = 0  # sweep probes sent
    seconds: float = 0.0

    @property
    def reached(self) -> int:
        return len(self.told)


@dataclass(frozen=True, slots=True)
class _Job:
    address: str
    probe: bool  # a sweep probe (one GET, one try); else the whole poll
    then: tuple[str, ...] = ()  # a probe's: addresses to probe when it answers


async def walk(
    seeds: Iterable[str],
    credentials: Credentials,
    poll: PollFn,
    options: WalkOptions = WalkOptions(),
    progress: Progress | None = None,
    sweep: Sweep | None = None,
) -> Walk:
    """Poll every address reachable from ``seeds`` (inventory numbering) once; then probe
    what ``sweep`` names and LLDP did not lead to, and walk on from what answers."""
    started = time.monotonic()
    out = Walk()
    queue: asyncio.Queue[_Job] = asyncio.Queue()
    seen: set[str] = set()
    probed: set[str] = set()
    swept_hops = 0  # a swept device is put past the walk's deepest: never a way out

    def add(address: str, hops: int) -> None:
        if address not in seen and len(seen) < options.max_devices:
            seen.add(address)
            out.hops[address] = hops
            queue.put_nowait(_Job(address, False))

    def probe(address: str, then: tuple[str, ...] = ()) -> None:
        if address not in seen and address not in probed:
            probed.add(address)
            queue.put_nowait(_Job(address, True, then))

    for address in seeds:
        add(address, 0)

    def target(address: str, found: SnmpCredentials) -> SnmpTarget:
        sent_to = str(options.address_map(IPv4Address(address)))
        return SnmpTarget(address, sent_to, found, options.port)

    async def one(address: str) -> None:
        found = credentials(address)
        if isinstance(found, str):
            out.failed[address] = found
            return
        result = await poll(
            target(address, found), DISCOVER, timeout_s=options.timeout_s, budget_s=options.budget_s
        )
        if not result.ok:
            out.failed[address] = _why(result)
            return
        device = read(address, result)
        out.told[address] = device
        for heard in device.neighbours:
            if heard.address is not None:
                add(heard.address, out.hops[address] + 1)

    async def sweep_one(job: _Job) -> None:
        found = credentials(job.address)
        if isinstance(found, str):
            out.silent[job.address] = found
            return
        out.probes += 1
        result = await poll(
            target(job.address, found), PROBE, timeout_s=options.probe_timeout_s, retries=0
        )
        if not result.ok:
            out.silent[job.address] = _why(result)
            return
        add(job.address, swept_hops)
        for address in job.then:
            probe(address)

    async def worker() -> None:
        while True:
            job = await queue.get()
            try:
                await (sweep_one(job) if job.probe else one(job.address))
            finally:
                queue.task_done()
                if progress is not None:
                    done = len(out.told) + len(out.failed) + len(out.silent)
                    progress(done, len(seen) + len(probed))

    workers = [asyncio.create_task(worker()) for _ in range(max(1, options.concurrency))]
    try:
        await queue.join()
        if sweep is not None:
            swept_hops = max(out.hops.values(), default=0) + 1
            _plan(sweep, out, probe)
            await queue.join()
    finally:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    out.seconds = time.monotonic() - started
    return out


def _why(result: PollResult) -> str:
    why = result.error.value if result.error is not None else "failed"
    return f"{why}: {result.detail}" if result.detail else why


def _plan(sweep: Sweep, out: Walk, probe: Callable[..., None]) -> None:
    """Queue the sweep's probes: nothing in a prefix LLDP already matched whole; every
    address of a ``--sweep`` prefix, of a declared prefix and of one where a device
    answered; elsewhere the prefix's gateway first."""
    matched = sweep.matched(out.told)
    skip = {a for p in matched for a in hosts(p)}
    for prefix in sweep.told:
        for address in hosts(prefix):
            if address not in skip:
                probe(address)
    for prefix in sweep.plan:
        if prefix in matched:
            continue
        addresses = hosts(prefix)
        if prefix in sweep.declared or any(a in out.told for a in addresses):
            for address in addresses:
                probe(address)
        elif addresses:
            probe(addresses[0], tuple(addresses[1:]))
