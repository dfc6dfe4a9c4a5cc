"""One poll: a module's scalars with one GET, its columns walked together with GETBULK.

``poll`` never raises for a device problem; it returns ``ok=False`` with a
:class:`PollError`. It does raise ``asyncio.CancelledError`` when the caller cancels
(the walk stops there, nothing more is sent).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from pyasn1.error import PyAsn1Error

from edunet.ber import END_OF_MIB_VIEW, BerError, oid_text
from exporters.snmp.agents import NO_HINT
from exporters.snmp.oids import Module, Oid
from exporters.snmp.pdu import response_varbinds
from exporters.snmp.result import PollError, PollResult, Value
from exporters.snmp.session import Counters, SnmpFailure, SnmpSession, SnmpTarget, session

__all__ = ["SnmpTarget", "poll"]

# Rows asked per column in one GETBULK, as snmp_exporter does, and a cap on the varbinds
# of one request so that a response stays a few kilobytes.
MAX_REPETITIONS = 25
MAX_VARBINDS_PER_REQUEST = 120
MAX_REQUESTS_PER_POLL = 2000  # a runaway agent cannot hold a poll forever

_ERROR_STATUS = {
    1: "tooBig",
    2: "noSuchName",
    3: "badValue",
    4: "readOnly",
    5: "genErr",
    6: "noAccess",
}


async def poll(
    target: SnmpTarget,
    module: Module,
    *,
    timeout_s: float = 2.0,
    retries: int = 1,
    budget_s: float | None = None,
) -> PollResult:
    """Read ``module`` from ``target``; ``budget_s`` bounds the whole poll, queueing included.

    Each request is tried again while the budget lasts (without a budget, ``retries`` more
    times), each try waiting at most ``timeout_s``."""
    result = PollResult(target=target.name, address=target.address, module=module.name)
    counters = Counters()
    started = time.monotonic()
    current = session()
    loop = asyncio.get_running_loop()
    deadline = None if budget_s is None else loop.time() + budget_s
    try:
        async with asyncio.timeout(budget_s):
            # the agent's turn first: a poll waiting for it holds none of the process's slots
            async with current.agent(target).turns, current.slots:
                await _poll(current, target, module, result, counters, timeout_s, retries, deadline)
        result.ok = True
        current.agent(target).answering = True  # a later silence may be a new engine
    except SnmpFailure as failure:
        result.error, result.detail = failure.reason, failure.detail
    except TimeoutError:
        spent = f"poll budget of {budget_s:g} s spent"
        hint = current.agent(target).timeout_detail(target.credentials)
        result.error = PollError.timeout
        result.detail = spent if hint == NO_HINT else f"{hint}: {spent}"
    except (BerError, PyAsn1Error) as exc:
        result.error, result.detail = PollError.protocol, f"undecodable response: {exc}"
    finally:
        result.duration_s = time.monotonic() - started
        result.requests, result.varbinds = counters.requests, counters.varbinds
        if target.credentials.version == "v3":
            result.engine_id_changes = current.agent(target).engine_id_changes
    if not result.ok:
        result.scalars.clear()
        result.columns.clear()
    return result


async def _poll(
    current: SnmpSession,
    target: SnmpTarget,
    module: Module,
    result: PollResult,
    counters: Counters,
    timeout_s: float,
    retries: int,
    deadline: float | None,
) -> None:
    async def request(oids: list[Oid], repetitions: int) -> list[tuple[Oid, Any]]:
        pdu = await current.request(
            target,
            oids,
            max_repetitions=repetitions,
            timeout_s=timeout_s,
            retries=retries,
            counters=counters,
            deadline=deadline,
        )
        status = int(pdu.getComponentByPosition(1))
        if status:
            index = int(pdu.getComponentByPosition(2))
            what = _ERROR_STATUS.get(status, str(status))
            raise SnmpFailure(PollError.protocol, f"agent answered {what} (index {index})")
        varbinds = response_varbinds(pdu)
        counters.varbinds += len(varbinds)
        return varbinds

    if module.scalars:
        names = list(module.scalars)
        oids = list(module.scalars.values())
        varbinds = await request(oids, 0)
        if [name for name, _ in varbinds] != oids:
            raise SnmpFailure(PollError.protocol, "GET answered other OIDs than asked")
        for name, (_, value) in zip(names, varbinds, strict=True):
            result.scalars[name] = None if value is END_OF_MIB_VIEW else value
    await _walk(module.columns, result, request)


@dataclass(slots=True)
class _Column:
    name: str
    prefix: Oid
    last: Oid
    rows: dict[Oid, Value]


async def _walk(columns: dict[str, Oid], result: PollResult, request: Any) -> None:
    """Walk the columns side by side; a column leaves the request once it is past its end."""
    active = [_Column(name, prefix, prefix, {}) for name, prefix in columns.items()]
    for column in active:
        result.columns[column.name] = column.rows
    for _ in range(MAX_REQUESTS_PER_POLL):
        if not active:
            return
        width = len(active)
        repetitions = max(1, min(MAX_REPETITIONS, MAX_VARBINDS_PER_REQUEST // width))
        varbinds = await request([c.last for c in active], repetitions)
        if not varbinds:
            raise SnmpFailure(PollError.protocol, "empty GETBULK response")
        finished = [False] * width
        for i, (name, value) in enumerate(varbinds):
            slot = i % width
            if finished[slot]:
                continue
            column = active[slot]
            size = len(column.prefix)
            if value is END_OF_MIB_VIEW or name[:size] != column.prefix:
                finished[slot] = True
                continue
            if name <= column.last:
                raise SnmpFailure(
                    PollError.protocol, f"OID not increasing after {oid_text(column.last)}"
                )
            column.last = name
            column.rows[name[size:]] = value
        active = [c for slot, c in enumerate(active) if not finished[slot]]
    raise SnmpFailure(PollError.protocol, f"walk longer than {MAX_REQUESTS_PER_POLL} requests")
