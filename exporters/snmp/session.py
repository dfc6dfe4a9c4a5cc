"""The SNMP I/O: one pysnmp engine and UDP socket per event loop, shared by every poll.

pysnmp does message processing, USM (keys localised per agent, engine IDs and clocks
discovered once and kept) and the transport. We talk to its command generator directly
(no hlapi: it re-resolves MIB objects and rebuilds configuration on every call). The fast
paths (:mod:`exporters.snmp.fastpath`) decode and encode the common messages by hand when
they engage; otherwise every message takes pysnmp's plain path (:mod:`exporters.snmp.pdu`).

Timeouts and retries are ours (pysnmp's retries are 0 and its timeouts ignored): a request
is sent again while the poll's budget lasts, after a few of the agent's round trips
(:mod:`exporters.snmp.agents`), and the answer to any of its tries counts; a cancelled poll
sends nothing more. An agent that answers from a new SNMPv3 engine is discovered again at
once (:mod:`exporters.snmp.discovery`). Port-unreachable and no-route errors come back on
the shared socket's error queue and fail the polls of that address at once.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import socket
import weakref
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config
from pysnmp.entity.engine import SnmpEngine
from pysnmp.entity.rfc3413 import cmdgen
from pysnmp.proto import errind

from edunet.ber import encode_request_varbinds
from edunet.secrets import SnmpCredentials
from exporters.snmp import discovery, fastpath, pdu
from exporters.snmp.agents import MAX_TRIES, Agent, auth_fingerprint
from exporters.snmp.oids import Oid
from exporters.snmp.result import PollError
from exporters.snmp.security import AUTH, PRIV, classify
from exporters.snmp.transport import Address, UdpTransport

DEFAULT_MAX_IN_FLIGHT = 128  # polls at once per process; ~200 overflows the receive buffer
RECEIVE_BUFFER = 8 * 1024 * 1024
_IP_RECVERR = getattr(socket, "IP_RECVERR", 11)  # Linux; not exported by Python 3.11


@dataclass(frozen=True, slots=True)
class SnmpTarget:
    name: str  # device name (for PollResult.target)
    address: str  # the address to send to (already translated)
    credentials: SnmpCredentials
    port: int = 161


class SnmpFailure(Exception):
    """A device problem, already classified; ``detail`` never holds a secret."""

    def __init__(self, reason: PollError, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@functools.lru_cache(maxsize=4096)  # asked on every request; hashing keys is not free
def _fingerprint(c: SnmpCredentials) -> str:
    """Identifies a credential set in memory without keeping its secrets in names."""
    parts = [c.version, c.user or "", c.auth_protocol or "", c.priv_protocol or ""]
    for secret in (c.community, c.auth_key, c.priv_key):
        parts.append(secret.reveal() if secret is not None else "")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


class _Engine:
    """One pysnmp engine, its socket, and what is registered in its tables."""

    def __init__(self) -> None:
        self.engine = SnmpEngine()
        fast = fastpath.install(self.engine)
        self.request_pdu: fastpath.RequestBuilder = fast or pdu.request_pdu
        # requests and answers straight on the socket once an agent is known (fast paths on)
        self.direct = fastpath.direct_path() if fast is not None else None
        self.transport = UdpTransport()
        self.transport.session = self
        config.add_transport(self.engine, udp.DOMAIN_NAME, self.transport.open_client_mode())
        self.generator = cmdgen.CommandGenerator()
        discovery.watch(self.engine, self.foreign_engine)
        self.users: dict[str, str] = {}  # v3 user name -> credential fingerprint
        self.params: dict[str, str] = {}  # fingerprint -> target parameters name
        self.targets: dict[tuple[str, str, int, int], str] = {}
        self.pending: dict[Address, set[_Request]] = {}
        self.sending_to: Address | None = None
        self._socket_tuned = False
        self._errors: socket.socket | None = None

    def accepts(self, c: SnmpCredentials) -> bool:
        # USM rows are keyed by user name: one engine cannot hold two key sets per user
        return c.version != "v3" or self.users.get(c.user or "", _fingerprint(c)) == (
            _fingerprint(c)
        )

    def target_name(self, target: SnmpTarget, timeout_s: float) -> str:
        c = target.credentials
        fp = _fingerprint(c)
        ticks = max(1, round(timeout_s * 100))  # pysnmp counts timeouts in 1/100 s
        key = (fp, target.address, target.port, ticks)
        name = self.targets.get(key)
        if name is None:
            name = f"t{len(self.targets)}"
            config.add_target_address(
                self.engine,
                name,
                udp.DOMAIN_NAME,
                (target.address, target.port),
                self._params(c, fp),
                timeout=ticks,
                retryCount=0,
            )
            self.targets[key] = name
        return name

    def _params(self, c: SnmpCredentials, fp: str) -> str:
        name = self.params.get(fp)
        if name is not None:
            return name
        name = f"p{len(self.params)}"
        if c.version == "v2c":
            if c.community is None:
                raise SnmpFailure(PollError.credentials, "v2c profile without a community")
            config.add_v1_system(self.engine, f"c{name}", c.community.reveal())
            config.add_target_parameters(self.engine, name, f"c{name}", "noAuthNoPriv", 1)
        elif c.version == "v3" and c.user:
            if c.auth_protocol not in AUTH or c.priv_protocol not in PRIV:
                raise SnmpFailure(PollError.credentials, "unsupported SNMPv3 protocol")
            auth = c.auth_key.reveal() if c.auth_key and c.auth_protocol else None
            priv = c.priv_key.reveal() if c.priv_key and c.priv_protocol else None
            config.add_v3_user(
                self.engine,
                c.user,
                AUTH[c.auth_protocol] if auth else config.USM_AUTH_NONE,
                auth,
                PRIV[c.priv_protocol] if priv else config.USM_PRIV_NONE,
                priv,
            )
            self.users[c.user] = fp
            level = "authPriv" if priv else "authNoPriv" if auth else "noAuthNoPriv"
            config.add_target_parameters(self.engine, name, c.user, level, 3)
        else:
            raise SnmpFailure(PollError.credentials, f"SNMP version {c.version!r} not supported")
        self.params[fp] = name
        return name

    def send(self, name: str, target: SnmpTarget, ask: _Ask, request: _Request) -> None:
        """One try of ``request``; what the agent answers goes to its current future."""
        c = target.credentials
        context = c.context if c.version == "v3" else ""
        self.sending_to = address = (target.address, target.port)
        try:
            now = asyncio.get_running_loop().time()
            sent = self._send_direct(c, address, ask, request)
            if sent is not None:
                request.sent[sent] = now
                return
            if ask.pdu is None:
                ask.pdu = self.request_pdu(ask.oids, ask.max_repetitions)
            handle = self.generator.send_pdu(
                self.engine, name, None, context, ask.pdu, _on_response, request
            )
            request.sent[handle] = now
        except SnmpFailure as failure:  # a socket error raised by sendto itself
            request.signal(failure)
        except Exception as exc:  # pysnmp refused to build or send the request
            request.signal(SnmpFailure(PollError.protocol, f"request: {type(exc).__name__}"))
        finally:
            self.sending_to = None
            self.tune_socket()

    def _send_direct(
        self, c: SnmpCredentials, address: Address, ask: _Ask, request: _Request
    ) -> int | None:
        """The try's id when the direct path sent it; None leaves it to pysnmp."""
        socket_transport = self.transport.transport
        if self.direct is None or socket_transport is None:
            return None
        if ask.varbinds is None:
            ask.varbinds = encode_request_varbinds(ask.oids)
        made = self.direct.request(c, address, ask.varbinds, ask.max_repetitions, request)
        if made is None:
            return None
        key, wire = made
        request.direct.append(key)
        self.transport.send_datagram(wire, address)  # sent again past an ICMP error, as pysnmp's
        return key

    def forget(self, address: Address) -> bool:
        """Forget the agent's engine at ``address`` (pysnmp's and the direct path's)."""
        if self.direct is not None:
            self.direct.forget(address)
        return discovery.forget(self.engine, address)

    def learned(self, target: SnmpTarget, engine_id: bytes) -> None:
        """An SNMPv3 answer came through pysnmp: the direct path may take the next ones."""
        if self.direct is None or not fastpath.direct_takes(target.credentials):
            return
        clock = discovery.engine_clock(self.engine, engine_id)
        if clock is not None:
            address = (target.address, target.port)
            self.direct.learn(target.credentials, address, engine_id, *clock)

    def foreign_engine(self, address: Address, _engine_id: bytes) -> None:
        """An agent answered from another engine than the one pysnmp knows there (it
        restarted with a new engine ID): forget the old one, and try its requests again."""
        if self.forget(address):
            for request in self.pending.get(address, ()):
                request.signal(_Signal.rediscover)

    def tune_socket(self) -> None:
        if self._socket_tuned or self.transport.transport is None:
            return
        sock: socket.socket = self.transport.transport.get_extra_info("socket")
        for option in (getattr(socket, "SO_RCVBUFFORCE", None), socket.SO_RCVBUF):
            if option is None:
                continue
            try:
                sock.setsockopt(socket.SOL_SOCKET, option, RECEIVE_BUFFER)
                break
            except OSError:
                continue
        sock.setsockopt(socket.IPPROTO_IP, _IP_RECVERR, 1)
        # asyncio's socket wrapper has no recvmsg; a duplicate descriptor reads the queue
        self._errors = socket.fromfd(sock.fileno(), socket.AF_INET, socket.SOCK_DGRAM)
        self._socket_tuned = True

    def socket_error(self, exc: OSError, sending: Address | None = None) -> bool:
        """Fail the pending requests of each address the kernel reported unreachable (with
        none queued, those of ``sending``, the send that failed), then read the answers
        queued behind the error. True when the error was another address's: the send that
        met it sent nothing and can go again."""
        addresses = self._unreachable()
        queued = bool(addresses)
        sending = sending or self.sending_to
        if not queued and sending is not None:
            addresses.append(sending)  # raised by sendto itself (no route)
        self._fail(addresses, exc)
        self._read_queued()
        return queued and sending not in addresses

    def _unreachable(self) -> list[Address]:
        addresses: list[Address] = []
        for _ in range(256 if self._errors is not None else 0):  # bounded drain
            try:
                _, _, _, address = self._errors.recvmsg(  # type: ignore[union-attr]
                    1, 512, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT
                )
            except OSError:
                break
            addresses.append(address[:2])
        return addresses

    def _fail(self, addresses: list[Address], exc: OSError) -> None:
        detail = f"socket error: {exc.strerror or type(exc).__name__}"
        for address in addresses:
            for request in self.pending.get(address, ()):
                request.signal(SnmpFailure(PollError.network, detail))

    def _read_queued(self) -> None:
        """The datagrams waiting on the socket, each to pysnmp as asyncio would hand it."""
        for _ in range(256 if self._errors is not None else 0):  # bounded: the loop goes on
            try:
                data, address = self._errors.recvfrom(65535, socket.MSG_DONTWAIT)  # type: ignore[union-attr]
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # the next address's error, in place of a datagram
                self._fail(self._unreachable(), exc)
                continue
            self.transport.datagram_received(data, address)

    def close(self) -> None:
        self.transport.session = None
        dispatcher = self.engine.transport_dispatcher
        if dispatcher is not None:
            dispatcher.close_dispatcher()
        self.transport.close_transport()
        if self._errors is not None:
            self._errors.close()


@dataclass(slots=True)
class Counters:
    requests: int = 0
    varbinds: int = 0


class _Signal(Enum):
    expired = "the try's wait is over"
    rediscover = "the agent answered from a new engine: its old one is forgotten"


@dataclass(slots=True)
class _Ask:
    """What a request asks, encoded only as far as the path that sends it needs."""

    oids: list[Oid]
    max_repetitions: int
    pdu: Any = None  # pysnmp's request PDU
    varbinds: bytes | None = None  # the direct path's encoded varbinds


class _Request:
    """One request's tries. Every try answers into the current future, so the late answer
    to an earlier try still counts; ours is the only timer (pysnmp's timeouts are ignored).
    Each try is known by pysnmp's handle or the direct path's id, so its answer times the
    round trip exactly."""

    __slots__ = ("answered_by", "direct", "future", "sent")

    def __init__(self, future: asyncio.Future[Any]):
        self.future = future
        self.sent: dict[int, float] = {}  # the handle or id of each try -> when it was sent
        self.answered_by: int | None = None
        self.direct: list[int] = []  # the direct path's ids of its tries

    def round_trip(self, now: float) -> float | None:
        sent = self.sent.get(self.answered_by) if self.answered_by is not None else None
        return None if sent is None else now - sent

    def signal(self, what: Any) -> None:  # a Response PDU, an SnmpFailure or a _Signal
        if not self.future.done():
            self.future.set_result(what)


async def _answer(request: _Request, wait_s: float) -> Any:
    """The request's answer, failure or signal, or ``_Signal.expired`` after ``wait_s``."""
    handle = asyncio.get_running_loop().call_later(wait_s, request.signal, _Signal.expired)
    try:
        return await request.future
    finally:
        handle.cancel()


@dataclass(slots=True)
class SnmpSession:
    """The per-event-loop SNMP machinery: engines, the agents, the cap on polls in flight."""

    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT
    engines: list[_Engine] = field(default_factory=list)
    agents: dict[Address, Agent] = field(default_factory=dict)
    slots: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.slots = asyncio.Semaphore(self.max_in_flight)

    def _engine_for(self, c: SnmpCredentials) -> _Engine:
        for engine in self.engines:
            if engine.accepts(c):
                return engine
        engine = _Engine()
        self.engines.append(engine)
        return engine

    def agent(self, target: SnmpTarget) -> Agent:
        """What is known of ``target``'s agent (its address and port)."""
        address = (target.address, target.port)
        found = self.agents.get(address)
        if found is None:
            found = self.agents[address] = Agent()
        return found

    async def request(
        self,
        target: SnmpTarget,
        oids: list[Oid],
        *,
        max_repetitions: int,
        timeout_s: float,
        retries: int,
        counters: Counters,
        deadline: float | None = None,
    ) -> Any:
        """One GET (max_repetitions 0) or GETBULK; the Response PDU, or SnmpFailure.

        With a ``deadline`` (the event loop's clock) the request is tried again until then,
        at most :data:`MAX_TRIES` times, each try waiting a few of the agent's round trips
        (at most ``timeout_s``); without one, ``retries`` more times, each waiting
        ``timeout_s``. The answer to any of the tries counts."""
        engine = self._engine_for(target.credentials)
        ask = _Ask(oids, max_repetitions)
        name = engine.target_name(target, timeout_s)
        address = (target.address, target.port)
        loop = asyncio.get_running_loop()
        request = _Request(loop.create_future())
        waiting = engine.pending.setdefault(address, set())
        waiting.add(request)
        try:
            send = functools.partial(engine.send, name, target, ask, request)
            limit = MAX_TRIES if deadline is not None else retries + 1
            return await self._tries(
                send, request, target, engine, timeout_s, limit, deadline, counters
            )
        finally:
            waiting.discard(request)
            if not waiting:
                engine.pending.pop(address, None)
            if request.direct and engine.direct is not None:
                engine.direct.done(request.direct)

    async def _tries(
        self,
        send: Any,
        request: _Request,
        target: SnmpTarget,
        engine: _Engine,
        timeout_s: float,
        limit: int,
        deadline: float | None,
        counters: Counters,
    ) -> Any:
        loop = asyncio.get_running_loop()
        agent = self.agent(target)
        c = target.credentials
        address = (target.address, target.port)
        tries = unanswered = 0
        rediscovered = False
        while True:
            if deadline is None:  # a fixed number of tries: each waits the whole timeout
                wait = timeout_s
            else:  # as many tries as the budget holds: each waits a few round trips
                wait = min(agent.retry_timeout(timeout_s, unanswered), deadline - loop.time())
                if wait <= 0 and tries:  # (a first try goes out: the poll's timer decides)
                    raise SnmpFailure(PollError.timeout, agent.timeout_detail(c))
            tries += 1
            counters.requests += 1
            send()
            outcome = await _answer(request, wait)
            if outcome is _Signal.expired:
                unanswered += 1
                if c.version == "v3" and agent.answering:
                    # the first silence after an answered poll: the agent may have restarted
                    # with a new engine ID and be one that sends no Report: discover it again
                    engine.forget(address)
                agent.answering = False
            elif outcome is _Signal.rediscover:
                if not rediscovered:
                    rediscovered = True
                    limit += 1  # the try it costs is not one of the retries
            elif isinstance(outcome, SnmpFailure):
                raise outcome
            else:
                agent.answered(request.round_trip(loop.time()))
                if c.version == "v3":
                    engine_id = discovery.cached_engine_id(engine.engine, address)
                    if engine_id is not None:
                        agent.saw_engine(engine_id)
                        if request.answered_by not in request.direct:
                            engine.learned(target, engine_id)
                    agent.authenticated.add(auth_fingerprint(c))
                return outcome
            if tries >= limit:
                raise SnmpFailure(PollError.timeout, agent.timeout_detail(c))
            request.future = loop.create_future()

    def close(self) -> None:
        for engine in self.engines:
            engine.close()
        self.engines.clear()


def _on_response(
    _engine: SnmpEngine, handle: int, indication: Any, pdu: Any, request: _Request
) -> None:
    if indication is None:
        if not request.future.done():
            request.answered_by = handle
        request.signal(pdu)
    elif not isinstance(indication, errind.RequestTimedOut):  # our timer decides that
        request.signal(SnmpFailure(*classify(indication)))


_SESSIONS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SnmpSession] = (
    weakref.WeakKeyDictionary()
)


def session(max_in_flight: int | None = None) -> SnmpSession:
    """This event loop's session (created on first use; ``max_in_flight`` only then)."""
    loop = asyncio.get_running_loop()
    current = _SESSIONS.get(loop)
    if current is None:
        current = SnmpSession(max_in_flight or DEFAULT_MAX_IN_FLIGHT)
        _SESSIONS[loop] = current
    return current


def close_session() -> None:
    """Close this loop's engines and socket (call before the loop ends)."""
    current = _SESSIONS.pop(asyncio.get_running_loop(), None)
    if current is not None:
        current.close()
