"""The walk: breadth-first from the seed addresses over the management addresses that
neighbours advertise in LLDP, a bounded number of polls at once, each within its budget.

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
from exporters.discover.tell import DISCOVER, Told, read
from exporters.snmp.session import SnmpTarget
from exporters.snmp.targets import PollFn

__all__ = ["Walk", "WalkOptions", "walk"]

# the credentials to try at an address (inventory numbering); None: none usable, with why
Credentials = Callable[[str], SnmpCredentials | str]
Progress = Callable[[int, int], None]  # (devices done, devices known so far)


@dataclass(frozen=True, slots=True)
class WalkOptions:
    concurrency: int = 64
    timeout_s: float = 2.0  # one try's wait
    budget_s: float = 6.0  # one device's whole poll, retries included
    max_devices: int = 100_000  # a loop of bad advertisements cannot run on forever
    port: int = 161
    address_map: AddressMap = field(default_factory=AddressMap)


@dataclass(slots=True)
class Walk:
    told: dict[str, Told] = field(default_factory=dict)  # address -> what it said
    failed: dict[str, str] = field(default_factory=dict)  # address -> why it said nothing
    hops: dict[str, int] = field(default_factory=dict)  # address -> LLDP hops from a seed
    seconds: float = 0.0

    @property
    def reached(self) -> int:
        return len(self.told)


async def walk(
    seeds: Iterable[str],
    credentials: Credentials,
    poll: PollFn,
    options: WalkOptions = WalkOptions(),
    progress: Progress | None = None,
) -> Walk:
    """Poll every address reachable from ``seeds`` (inventory numbering) once."""
    started = time.monotonic()
    out = Walk()
    queue: asyncio.Queue[str] = asyncio.Queue()
    seen: set[str] = set()

    def add(address: str, hops: int) -> None:
        if address not in seen and len(seen) < options.max_devices:
            seen.add(address)
            out.hops[address] = hops
            queue.put_nowait(address)

    for address in seeds:
        add(address, 0)

    async def one(address: str) -> None:
        found = credentials(address)
        if isinstance(found, str):
            out.failed[address] = found
            return
        sent_to = str(options.address_map(IPv4Address(address)))
        target = SnmpTarget(address, sent_to, found, options.port)
        result = await poll(
            target, DISCOVER, timeout_s=options.timeout_s, budget_s=options.budget_s
        )
        if not result.ok:
            why = result.error.value if result.error is not None else "failed"
            out.failed[address] = f"{why}: {result.detail}" if result.detail else why
            return
        device = read(address, result)
        out.told[address] = device
        for heard in device.neighbours:
            if heard.address is not None:
                add(heard.address, out.hops[address] + 1)

    async def worker() -> None:
        while True:
            address = await queue.get()
            try:
                await one(address)
            finally:
                queue.task_done()
                if progress is not None:
                    progress(len(out.told) + len(out.failed), len(seen))

    workers = [asyncio.create_task(worker()) for _ in range(max(1, options.concurrency))]
    try:
        await queue.join()
    finally:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    out.seconds = time.monotonic() - started
    return out
