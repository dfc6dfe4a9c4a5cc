"""Requests straight onto the socket and answers straight off it, once an agent is known.

Even with the BER fast paths, every request and answer walks pysnmp's layers (command
generator, dispatcher, message processing, USM, caches, pyasn1 containers); for a walk of
small PDUs that is a third of the exporter's CPU. Here the steady state skips them:

- SNMPv2c: the message is encoded whole (community, GET/GETBULK, our request-id) and sent
  on pysnmp's socket; the Response is matched by request-id, address and community.
- SNMPv3 authPriv with HMAC-SHA-96 and CFB128-AES-128 (the profile the city uses): once
  pysnmp has discovered the agent and a request through it was answered, its engine ID,
  boots and time are known; the request is then encoded, encrypted and signed here
  (RFC 3414 and 3826, the same keys pysnmp localises) and the Response authenticated,
  checked against the time window (RFC 3414 3.2.7) and decrypted here.

Anything else — other versions and protocols, the first request to an agent, Reports,
a digest or time window that does not check, any message not in the exact form — goes to
pysnmp as before: an answer we cannot take is handed to it, and the agent's direct state
is dropped so that the next try goes through pysnmp (which discovers again if it must).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from pyasn1.type import univ
from pysnmp.proto.secmod.rfc3826.priv import aes

from edunet.ber import (
    BerError,
    Tag,
    encode_integer,
    encode_octet_string,
    read_integer,
    read_tlv,
    tlv,
)
from edunet.secrets import SnmpCredentials
from exporters.snmp.fastpath.message import read_response_pdu
from exporters.snmp.fastpath.usm import read_usm_parameters

__all__ = ["Answer", "Direct", "Peer"]

Address = tuple[str, int]

_GET, _GETBULK = 0xA0, 0xA5
_SEQUENCE, _OCTETS = Tag.SEQUENCE, Tag.OCTET_STRING
_V2C, _V3 = 1, 3
_USM = 3
_MAX_SIZE = encode_integer(65507)  # msgMaxSize, as pysnmp sends it
_AUTH_PRIV_REPORTABLE = encode_octet_string(b"\x07")
_ZEROS = bytes(12)
_TIME_WINDOW_S = 150  # RFC 3414 3.2.7
_PEER_IDLE_S = 300.0  # as long as pysnmp keeps an engine's clock unrefreshed
_MAX_BOOTS = 2**31 - 1
_ID_SPACE = 2**31 - 1
_IPAD, _OPAD = bytes([0x36] * 64), bytes([0x5C] * 64)
_PASSPHRASE_STREAM = 1 << 20


class Answer:
    """A Response PDU as the poll reads it: error-status, error-index, raw varbinds."""

    __slots__ = ("index", "status", "varbinds")

    def __init__(self, status: int, index: int, varbinds: bytes):
        self.status, self.index, self.varbinds = status, index, varbinds

    def getComponentByPosition(self, position: int) -> Any:
        return (None, self.status, self.index, self.varbinds)[position]


def _hmac_pads(key: bytes) -> tuple[Any, Any]:
    # HMAC-SHA-96 keyed by the localised key, padded to the block as pysnmp does
    extended = (key + bytes(44))[:64]
    inner = bytes(a ^ b for a, b in zip(extended, _IPAD, strict=False))
    outer = bytes(a ^ b for a, b in zip(extended, _OPAD, strict=False))
    return hashlib.sha1(inner), hashlib.sha1(outer)


@dataclass(slots=True)
class Peer:
    """An SNMPv3 agent as the direct path knows it: its engine, its clock, the keys."""

    engine_id: bytes
    boots: int
    engine_time: int
    stamp: float  # our monotonic clock when engine_time was last learned
    user: bytes
    context: bytes
    pads: tuple[Any, Any]
    priv_key: bytes  # the first 16 octets of the localised privacy key

    def clock(self, now: float) -> int:
        return self.engine_time + int(now - self.stamp)

    def digest(self, message: bytes) -> bytes:
        first = self.pads[0].copy()
        first.update(message)
        second = self.pads[1].copy()
        second.update(first.digest())
        digest: bytes = second.digest()[:12]
        return digest


@functools.lru_cache(maxsize=256)  # per passphrase; the event loop waits while it runs
def _passphrase_key(passphrase: str) -> bytes:
    """RFC 3414 A.2.1: SHA-1 over a megabyte of the passphrase repeated, as pysnmp's loop
    hashes it 64 octets at a time (the same stream, in one call)."""
    raw = univ.OctetString(passphrase).asOctets()
    if not raw:
        raise ValueError("an empty SNMPv3 passphrase")
    return hashlib.sha1((raw * (_PASSPHRASE_STREAM // len(raw) + 1))[:_PASSPHRASE_STREAM]).digest()


def localised_keys(c: SnmpCredentials, engine_id: bytes) -> tuple[bytes, bytes]:
    """(auth, priv) keys localised to ``engine_id`` for SHA and AES-128, as pysnmp does
    (RFC 3414 A.2.2: the key, the engine ID, the key again, hashed)."""
    assert c.auth_key is not None and c.priv_key is not None
    auth, priv = (_passphrase_key(k.reveal()) for k in (c.auth_key, c.priv_key))
    return (
        hashlib.sha1(auth + engine_id + auth).digest(),
        hashlib.sha1(priv + engine_id + priv).digest()[:16],
    )


@functools.lru_cache(maxsize=4096)  # asked on every request
def takes(c: SnmpCredentials) -> bool:
    """Whether the direct path serves this credential set (else pysnmp does). Names and
    communities in ASCII only: pysnmp may encode others differently."""
    if c.version == "v2c":
        return c.community is not None and c.community.reveal().isascii()
    return (
        c.version == "v3"
        and bool(c.user)
        and (c.user or "").isascii()
        and c.context.isascii()
        and c.auth_protocol == "sha"
        and c.priv_protocol == "aes"
        and c.auth_key is not None
        and c.priv_key is not None
    )


def encode_pdu(request_id: int, max_repetitions: int, varbinds: bytes) -> bytes:
    """A GET (max_repetitions 0) or GETBULK with pre-encoded varbinds."""
    tag = _GETBULK if max_repetitions else _GET
    fields = encode_integer(request_id) + encode_integer(0) + encode_integer(max_repetitions)
    return tlv(tag, fields + varbinds)


def encode_v2c(community: bytes, pdu: bytes) -> bytes:
    return tlv(_SEQUENCE, encode_integer(_V2C) + encode_octet_string(community) + pdu)


def _cipher(key: bytes, boots: int, engine_time: int, salt: bytes) -> Any:
    # the same cipher and mode objects as pysnmp's AES service
    iv = ((boots & 0xFFFFFFFF) << 32 | (engine_time & 0xFFFFFFFF)).to_bytes(8, "big") + salt
    return aes.Cipher(aes.algorithms.AES(key), aes.CFB(iv))


def encode_v3(peer: Peer, msg_id: int, pdu: bytes, salt: bytes, now: float) -> bytes:
    """An authPriv request: scoped PDU encrypted, whole message signed (RFC 3414, 3826)."""
    boots, clock = peer.boots, peer.clock(now)
    scoped = tlv(
        _SEQUENCE, encode_octet_string(peer.engine_id) + encode_octet_string(peer.context) + pdu
    )
    encryptor = _cipher(peer.priv_key, boots, clock, salt).encryptor()
    encrypted = encryptor.update(scoped) + encryptor.finalize()
    usm = tlv(
        _SEQUENCE,
        encode_octet_string(peer.engine_id)
        + encode_integer(boots)
        + encode_integer(clock)
        + encode_octet_string(peer.user)
        + encode_octet_string(_ZEROS)
        + encode_octet_string(salt),
    )
    header = tlv(
        _SEQUENCE,
        encode_integer(msg_id) + _MAX_SIZE + _AUTH_PRIV_REPORTABLE + encode_integer(_USM),
    )
    data = encode_octet_string(encrypted)
    whole = tlv(_SEQUENCE, encode_integer(_V3) + header + encode_octet_string(usm) + data)
    # the digest placeholder: the 12 octets before the salt's TLV (04 08 + 8) ends the USM
    at = len(whole) - len(data) - 10 - 12
    return whole[:at] + peer.digest(whole) + whole[at + 12 :]


@dataclass(frozen=True, slots=True)
class V3Response:
    """The parts of an SNMPv3 authPriv message the direct path checks, by offset."""

    msg_id: int
    engine_id: bytes
    boots: int
    engine_time: int
    user: bytes
    digest_at: int
    salt: bytes
    encrypted: bytes


def parse_v3(buf: bytes) -> V3Response | None:
    """An SNMPv3 message with auth and priv flags, USM, an encrypted PDU; else None."""
    try:
        start, end = read_tlv(buf, 0, _SEQUENCE)
        version, at = read_integer(buf, start)
        if end != len(buf) or version != _V3:
            return None
        header, header_end = read_tlv(buf, at, _SEQUENCE)
        msg_id, at = read_integer(buf, header)
        _, at = read_integer(buf, at)
        flags, flags_end = read_tlv(buf, at, _OCTETS)
        model, at = read_integer(buf, flags_end)
        if at != header_end or flags_end != flags + 1 or buf[flags] & 0x03 != 0x03:
            return None
        if model != _USM:
            return None
        params, params_end = read_tlv(buf, header_end, _OCTETS)
        usm_end, engine, boots, clock, user, digest, salt = read_usm_parameters(buf, params)
        encrypted = read_tlv(buf, params_end, _OCTETS)
    except BerError:
        return None
    if usm_end != params_end or salt[1] != usm_end or encrypted[1] != len(buf):
        return None
    if digest[1] - digest[0] != 12 or salt[1] - salt[0] != 8:
        return None
    return V3Response(
        msg_id,
        buf[engine[0] : engine[1]],
        boots,
        clock,
        buf[user[0] : user[1]],
        digest[0],
        buf[salt[0] : salt[1]],
        buf[encrypted[0] : encrypted[1]],
    )


@dataclass(slots=True)
class _Waiting:
    request: Any  # the session's request: its ``signal`` and ``answered_by``
    address: Address
    request_id: int
    community: bytes | None  # v2c
    peer: Peer | None  # v3


class Direct:
    """The direct path of one engine and its socket: peers, ids, requests in flight."""

    def __init__(self) -> None:
        self.peers: dict[tuple[Address, SnmpCredentials], Peer] = {}
        self.waiting: dict[int, _Waiting] = {}
        self._next_id = secrets.randbelow(_ID_SPACE)
        self._salt = secrets.randbits(64)

    def _id(self) -> int:
        self._next_id = self._next_id % _ID_SPACE + 1
        return self._next_id

    def request(
        self,
        c: SnmpCredentials,
        address: Address,
        varbinds: bytes,
        max_repetitions: int,
        request: Any,
    ) -> tuple[int, bytes] | None:
        """(its id, the message) of one try, registered to ``request``; None when pysnmp
        must send it (not our kind of credentials, or an SNMPv3 agent not known yet)."""
        if not takes(c):
            return None
        if c.version == "v2c":
            assert c.community is not None
            key = self._id()
            community = c.community.reveal().encode()
            wire = encode_v2c(community, encode_pdu(key, max_repetitions, varbinds))
            self.waiting[key] = _Waiting(request, address, key, community, None)
            return key, wire
        peer = self.peers.get((address, c))
        if peer is None:
            return None
        now = time.monotonic()
        if now - peer.stamp > _PEER_IDLE_S:  # pysnmp's clock for it has expired too
            del self.peers[address, c]
            return None
        key = self._id()
        salt = self._salt.to_bytes(8, "big")
        self._salt = (self._salt + 1) & 0xFFFFFFFFFFFFFFFF
        wire = encode_v3(peer, key, encode_pdu(key, max_repetitions, varbinds), salt, now)
        self.waiting[key] = _Waiting(request, address, key, None, peer)
        return key, wire

    def learn(
        self, c: SnmpCredentials, address: Address, engine_id: bytes, boots: int, clock: int
    ) -> None:
        """An agent pysnmp has just had an authenticated answer from: known from now on."""
        if not takes(c) or c.version != "v3" or not engine_id:
            return
        known = self.peers.get((address, c))
        if known is not None and known.engine_id == engine_id:
            return
        auth, priv = localised_keys(c, engine_id)
        self.peers[address, c] = Peer(
            engine_id,
            boots,
            clock,
            time.monotonic(),
            (c.user or "").encode(),
            (c.context or "").encode(),
            _hmac_pads(auth),
            priv,
        )

    def forget(self, address: Address) -> None:
        """Every peer at ``address``: the next request goes through pysnmp."""
        for key in [k for k in self.peers if k[0] == address]:
            del self.peers[key]

    def done(self, keys: list[int]) -> None:
        for key in keys:
            self.waiting.pop(key, None)

    def receive(self, buf: bytes, address: Any) -> bool:
        """Take the answer to one of our requests; False leaves ``buf`` to pysnmp."""
        if len(buf) < 2 or buf[0] != _SEQUENCE:
            return False
        try:
            version, _ = read_integer(buf, read_tlv(buf, 0, _SEQUENCE)[0])
        except BerError:
            return False
        if version == _V2C:
            return self._v2c(buf, address)
        if version == _V3:
            return self._v3(buf, address)
        return False

    def _v2c(self, buf: bytes, address: Any) -> bool:
        try:
            start, _ = read_tlv(buf, 0, _SEQUENCE)
            _, at = read_integer(buf, start)
            community = read_tlv(buf, at, _OCTETS)
            request_id, status, index, varbinds, end = read_response_pdu(buf, community[1])
        except BerError:
            return False
        waiting = self.waiting.get(request_id)
        if (
            waiting is None
            or end != len(buf)
            or waiting.community != buf[community[0] : community[1]]
            or tuple(address[:2]) != waiting.address
        ):
            return False
        self._answer(waiting, request_id, Answer(status, index, buf[varbinds:end]))
        return True

    def _v3(self, buf: bytes, address: Any) -> bool:
        message = parse_v3(buf)
        waiting = self.waiting.get(message.msg_id) if message is not None else None
        if message is None or waiting is None or waiting.peer is None:
            return False
        if tuple(address[:2]) != waiting.address:
            return False
        peer = waiting.peer
        answer = self._open(peer, message, buf, waiting.request_id)
        if answer is None:  # pysnmp decides, and sends the next try
            self.forget(waiting.address)
            return False
        self._answer(waiting, message.msg_id, answer)
        return True

    def _open(self, peer: Peer, m: V3Response, buf: bytes, request_id: int) -> Answer | None:
        """The Response in ``m``, authenticated, in the time window and decrypted."""
        if m.engine_id != peer.engine_id or m.user != peer.user:
            return None
        signed = buf[: m.digest_at] + _ZEROS + buf[m.digest_at + 12 :]
        if not hmac.compare_digest(peer.digest(signed), buf[m.digest_at : m.digest_at + 12]):
            return None
        now = time.monotonic()
        # RFC 3414 3.2.7 b: a newer clock is learned; an old one is out of the window
        if m.boots == _MAX_BOOTS or m.boots < peer.boots:
            return None
        if m.boots == peer.boots and m.engine_time < peer.clock(now) - _TIME_WINDOW_S:
            return None
        if m.boots > peer.boots or m.engine_time >= peer.engine_time:
            peer.boots, peer.engine_time, peer.stamp = m.boots, m.engine_time, now
        decryptor = _cipher(peer.priv_key, m.boots, m.engine_time, m.salt).decryptor()
        plain = decryptor.update(m.encrypted) + decryptor.finalize()
        try:
            start, end = read_tlv(plain, 0, _SEQUENCE)
            engine = read_tlv(plain, start, _OCTETS)
            name = read_tlv(plain, engine[1], _OCTETS)
            answered, status, index, varbinds, pdu_end = read_response_pdu(plain, name[1])
        except BerError:
            return None
        if pdu_end != end or answered != request_id:
            return None
        return Answer(status, index, plain[varbinds:pdu_end])

    def _answer(self, waiting: _Waiting, key: int, answer: Answer) -> None:
        request = waiting.request
        if not request.future.done():
            request.answered_by = key
        request.signal(answer)
