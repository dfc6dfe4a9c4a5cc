"""The SNMPv3 fast paths against pysnmp itself, on generated and damaged messages.

Two engines are driven side by side through pysnmp's v3 message processing and USM: one
with only the v2c fast paths (pyasn1 for everything v3), one with the v3 ones too.
Each sends the same request (the bytes must be identical: header, USM parameters, digest,
salt, ciphertext), then both receive the same Response — built the way an agent builds it
with pysnmp's own HMAC and AES classes, sometimes with a wrong key, an unknown user, an
old clock, no engine ID, a Report, or damaged bytes — and must answer the same: the same
fields, or the same error indication.
"""

from __future__ import annotations

import functools
import itertools
import time
from typing import Any

from ber_damage import damage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder, encoder
from pyasn1.type import univ
from pysnmp.entity import config
from pysnmp.entity.engine import SnmpEngine
from pysnmp.proto import error, rfc1902
from pysnmp.proto.api import v1 as v1_api
from pysnmp.proto.api import v2c
from pysnmp.proto.api import v2c as v2c_api
from pysnmp.proto.mpmod import rfc3412 as mp_v3
from pysnmp.proto.secmod.rfc3414 import service as usm
from pysnmp.proto.secmod.rfc3414.auth import hmacsha
from pysnmp.proto.secmod.rfc3826.priv import aes

from edunet.ber import encode_length
from exporters.snmp.fastpath import message as v2c_paths
from exporters.snmp.fastpath import usm as v3_paths
from exporters.snmp.fastpath.models import LazyPDUs, LazyScopedPDU, LazySNMPv3Message, request_pdu
from exporters.snmp.fastpath.usm_crypto import FastAes, FastHmacSha

EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
DOMAIN, ADDRESS = (1, 3, 6, 1, 6, 1, 1), ("127.0.79.1", 161)
USER, AUTH, PRIV = b"edunet-diff", b"auth-key-diff-1", b"priv-key-diff-1"
AGENT_ID = bytes.fromhex("80001f8880aabbccddeeff0011")
OUR_ID = bytes.fromhex("80001f8880112233445566778899")
SHA, AES = hmacsha.HmacSha(), aes.Aes()  # pysnmp's own: the agent's side
_MSG_IDS = itertools.count(1000)
_HANDLES = itertools.count(1)


def _engine(fast: bool) -> SnmpEngine:
    engine = SnmpEngine(snmpEngineID=univ.OctetString(OUR_ID))
    v2c_paths.install(engine)
    if fast:
        v3_paths.install(engine)
    config.add_v3_user(
        engine, USER.decode(), config.USM_AUTH_HMAC96_SHA, AUTH.decode(),
        config.USM_PRIV_CFB128_AES, PRIV.decode(),
    )  # fmt: skip
    return engine


@functools.lru_cache  # a passphrase hash is a megabyte of SHA-1
def _keys(auth: bytes, priv: bytes, engine_id: bytes) -> tuple[Any, Any]:
    octets = univ.OctetString(engine_id)
    auth_key = SHA.localize_key(SHA.hash_passphrase(auth), octets)
    priv_key = AES.localize_key(
        hmacsha.HmacSha.SERVICE_ID, AES.hash_passphrase(hmacsha.HmacSha.SERVICE_ID, priv), octets
    )
    return auth_key, priv_key


def _mp(engine: SnmpEngine) -> Any:
    return engine.message_processing_subsystems[3]


def _send(engine: SnmpEngine, msg_id: int, pdu: Any, level: int, salt: int) -> bytes:
    mp = _mp(engine)
    mp._cache.new_message_id = lambda: msg_id
    model = engine.security_models[3]
    for service in model.PRIV_SERVICES.values():
        if isinstance(service, aes.Aes):
            service.local_int = salt
    _, _, wire = mp.prepare_outgoing_message(
        engine, DOMAIN, ADDRESS, 3, 3, USER, level, None, b"", 1, pdu, True, next(_HANDLES)
    )
    return bytes(wire)


def _outcome(engine: SnmpEngine, wire: bytes) -> Any:
    try:
        result = _mp(engine).prepare_data_elements(engine, DOMAIN, ADDRESS, wire)
    except error.StatusInformation as exc:
        info = dict(exc.items()) if hasattr(exc, "items") else {}
        return (
            "status",
            sorted(info),
            type(info.get("errorIndication")).__name__,
            str(info.get("oid", "")),
        )
    except Exception as exc:  # the same exception, whatever it is
        return ("raised", type(exc).__name__)
    mpm, model, name, level, ctx_id, ctx_name, _, pdu, kind, handle, size, status, ref = result
    return (
        int(mpm), int(model), bytes(name), level, bytes(ctx_id), bytes(ctx_name), kind,
        int(pdu[0]), int(pdu[1]), int(pdu[2]), pdu[3].asOctets(), handle is not None, size,
        status, ref,
    )  # fmt: skip


def _scoped(pdu: Any, context: bytes = AGENT_ID) -> bytes:
    scoped = mp_v3.ScopedPDU()
    scoped.setComponentByPosition(0, context)
    scoped.setComponentByPosition(1, b"")
    scoped.setComponentByPosition(2).getComponentByPosition(2).setComponentByType(
        pdu.tagSet, pdu, verifyConstraints=False, matchTags=False, matchConstraints=False
    )
    return encoder.encode(scoped)  # type: ignore[no-any-return]


def _agent_message(
    msg_id: int,
    scoped: bytes,
    *,
    flags: int = 3,
    engine_id: bytes = AGENT_ID,
    boots: int = 7,
    clock: int = 1000,
    user: bytes = USER,
    keys: tuple[Any, Any] | None = None,
    salt: bytes = b"\x01\x02\x03\x04\x05\x06\x07\x08",
) -> bytes:
    """A v3 message as an agent sends it, with pysnmp's own USM primitives."""
    auth_key, priv_key = keys or _keys(AUTH, PRIV, engine_id or AGENT_ID)
    params = usm.UsmSecurityParameters()
    msg = mp_v3.SNMPv3Message()
    msg.setComponentByPosition(0, 3)
    header = msg.setComponentByPosition(1).getComponentByPosition(1)
    for i, value in enumerate((msg_id, 65507, bytes([flags]), 3)):
        header.setComponentByPosition(i, value)
    data = msg.setComponentByPosition(3).getComponentByPosition(3)
    if flags & 3 == 3:
        iv = boots.to_bytes(4, "big") + clock.to_bytes(4, "big") + salt
        cipher = aes.Cipher(aes.algorithms.AES(priv_key.asOctets()[:16]), aes.CFB(iv)).encryptor()
        data.setComponentByPosition(1, cipher.update(scoped) + cipher.finalize())
    else:
        data.setComponentByPosition(0, decoder.decode(scoped, asn1Spec=mp_v3.ScopedPDU())[0])
        salt = b""
    for i, value in enumerate(
        (engine_id, boots, clock, user, bytes(12) if flags & 1 else b"", salt)
    ):
        params.setComponentByPosition(i, value)
    msg.setComponentByPosition(2, encoder.encode(params))
    wire: bytes = encoder.encode(msg)
    return SHA.authenticate_outgoing_message(auth_key, wire) if flags & 1 else wire


def _response(request_id: int, varbinds: list[tuple[Any, Any]], status: int = 0) -> Any:
    pdu = v2c.ResponsePDU()
    v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_request_id(pdu, request_id)
    v2c.apiPDU.set_error_status(pdu, status)
    v2c.apiPDU.set_varbinds(pdu, varbinds)
    return pdu


def _report(oid: str) -> Any:
    pdu = v2c.ReportPDU()
    v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_varbinds(pdu, [(v2c.ObjectIdentifier(oid), rfc1902.Counter32(5))])
    return pdu


class Pair:
    """A stock engine and a fast one that have discovered the same agent."""

    def __init__(self) -> None:
        self.engines = (_engine(False), _engine(True))
        msg_id = next(_MSG_IDS)
        probe = request_pdu([(1, 3, 6, 1, 2, 1, 1, 5, 0)], 0)
        saved = v1_api.getNextRequestID, v2c_api.getNextRequestID
        v1_api.getNextRequestID = v2c_api.getNextRequestID = lambda: 4242  # else random
        try:
            sent = {_send(e, msg_id, probe, 3, 1) for e in self.engines}
        finally:
            v1_api.getNextRequestID, v2c_api.getNextRequestID = saved
        assert len(sent) == 1  # the discovery probe, byte for byte
        report = _scoped(_report("1.3.6.1.6.3.15.1.1.4.0"))
        wire = _agent_message(msg_id, report, flags=0, user=b"", clock=int(time.time()) % 100000)
        self.clock = int(time.time()) % 100000
        outcomes = {repr(_outcome(e, wire)) for e in self.engines}
        assert len(outcomes) == 1, outcomes

    def request(self, pdu: Any, salt: int) -> int:
        msg_id = next(_MSG_IDS)
        fast, stock = (_send(e, msg_id, pdu, 3, salt) for e in reversed(self.engines))
        assert fast == stock
        return msg_id

    def receive(self, wire: bytes) -> Any:
        stock, fast = (_outcome(e, wire) for e in self.engines)
        assert fast == stock
        return fast


PAIR = Pair()

oids = st.builds(
    lambda rest: (1, 3, 6, 1, 2, 1, *rest), st.lists(st.integers(0, 2**32 - 1), max_size=8)
)
values = st.one_of(
    st.integers(0, 2**32 - 1).map(rfc1902.Counter32),
    st.binary(max_size=64).map(rfc1902.OctetString),
    st.integers(-(2**31), 2**31 - 1).map(rfc1902.Integer32),
    st.integers(0, 2**64 - 1).map(rfc1902.Counter64),
)
FAULTS = ["none", "auth key", "priv key", "user", "old clock", "no engine id", "report", "plain"]


@EXAMPLES
@given(
    st.lists(oids, min_size=1, max_size=12),
    st.integers(0, 50),
    st.integers(0, 2**64 - 1),
    st.lists(st.tuples(oids, values), max_size=30),
    st.sampled_from(FAULTS),
    st.binary(min_size=8, max_size=8),
)
def test_requests_and_responses_match_pysnmp(
    names: Any, repetitions: int, salt: int, varbinds: Any, fault: str, agent_salt: bytes
) -> None:
    msg_id = PAIR.request(request_pdu(names, repetitions), salt)
    scoped = _scoped(_response(12345, varbinds))
    options: dict[str, Any] = {"clock": PAIR.clock, "salt": agent_salt}
    if fault == "auth key":
        options["keys"] = (
            _keys(b"not-the-auth-key", PRIV, AGENT_ID)[0],
            _keys(AUTH, PRIV, AGENT_ID)[1],
        )
    elif fault == "priv key":
        options["keys"] = (
            _keys(AUTH, PRIV, AGENT_ID)[0],
            _keys(AUTH, b"not-the-priv-key", AGENT_ID)[1],
        )
    elif fault == "user":
        options["user"] = b"nobody"
    elif fault == "old clock":
        options["boots"] = 6
    elif fault == "no engine id":
        options["engine_id"] = b""
    elif fault == "report":
        scoped = _scoped(_report("1.3.6.1.6.3.15.1.1.2.0"))
        options["flags"] = 1
    elif fault == "plain":
        options["flags"] = 1
    outcome = PAIR.receive(_agent_message(msg_id, scoped, **options))
    if fault == "none":
        assert outcome[3] == 3 and outcome[10] == encoder.encode(
            v2c.apiPDU.get_varbind_list(_response(1, varbinds))
        )


@EXAMPLES
@given(st.lists(st.tuples(oids, values), max_size=10), st.data())
def test_damaged_responses_fail_the_same(varbinds: Any, data: st.DataObject) -> None:
    msg_id = PAIR.request(request_pdu([(1, 3, 6, 1, 2, 1, 1, 5, 0)], 0), 1)
    flags = data.draw(st.sampled_from([3, 3, 1, 0, 7, 2]))
    raw = _agent_message(msg_id, _scoped(_response(9, varbinds)), flags=flags, clock=PAIR.clock)
    PAIR.receive(damage(raw, data, front=120))  # header and USM parameters


def _reference(wire: bytes, spec: Any) -> Any:
    try:
        return decoder.decode(wire, asn1Spec=spec)
    except Exception:  # pyasn1 raises more than PyAsn1Error on some damage
        return None


def _leaves(value: Any) -> Any:
    """Every leaf with its exact pyasn1 type and constraints, through the shells."""
    if isinstance(value, univ.Any):
        return (type(value), value.asOctets())
    if isinstance(value, (LazyPDUs, v2c_paths.PduChoice)):
        return _leaves(value.getComponent())
    if isinstance(value, (univ.Choice, v3_paths._ScopedPduData)):
        return (value.getName(), _leaves(value.getComponent()))
    if isinstance(value, v3_paths._Sequence):
        return [_leaves(c) for c in value.components]
    if isinstance(value, univ.Sequence):
        return [_leaves(value[i]) for i in range(len(value.componentType))]
    payload = bytes(value) if isinstance(value, univ.OctetString) else int(value)
    return (type(value), value.subtypeSpec, value.tagSet, payload)


def _damage(raw: bytes, data: st.DataObject, within: int) -> tuple[bytes, bool]:
    """``raw``, perhaps with one octet of its first ``within`` changed."""
    if not data.draw(st.booleans()):
        return raw, False
    at = data.draw(st.integers(0, min(len(raw), within) - 1))
    value = data.draw(st.integers(0, 255))
    return raw[:at] + bytes([value]) + raw[at + 1 :], value != raw[at]


@EXAMPLES
@given(st.lists(st.tuples(oids, values), max_size=10), st.binary(max_size=16), st.data())
def test_codec_level_decoders_match_pyasn1(
    varbinds: Any, extra: bytes, data: st.DataObject
) -> None:
    request_id = data.draw(st.integers(-(2**31), 2**31 - 1))
    scoped, damaged = _damage(_scoped(_response(request_id, varbinds)), data, 40)
    wire = scoped + extra  # DES pads the plaintext: bytes after the scoped PDU
    reference = _reference(wire, LazyScopedPDU())
    fast = v3_paths.fast_scoped_pdu(wire)
    assert fast is not None or damaged  # what agents send is the fast path's case
    if fast is not None:
        assert reference is not None and _leaves(fast[0]) == _leaves(reference[0])
        assert fast[1] == reference[1]

    counters = st.integers(-2, 2**31 + 1)  # a little outside the constraints too
    fields = data.draw(
        st.tuples(
            st.binary(max_size=40), counters, counters, st.binary(max_size=40),
            st.binary(max_size=20), st.binary(max_size=12),
        )
    )  # fmt: skip
    body = b"".join(
        encoder.encode(univ.Integer(f) if isinstance(f, int) else univ.OctetString(f))
        for f in fields
    )
    raw, damaged = _damage(b"\x30" + encode_length(len(body)) + body, data, 200)
    reference = _reference(raw, usm.UsmSecurityParameters())
    fast_params = v3_paths.fast_usm_parameters(raw)
    if fast_params is not None:
        assert reference is not None and not reference[1]
        assert _leaves(fast_params) == _leaves(reference[0])
    elif not damaged:
        assert reference is None  # declined only where pyasn1 refuses (a constraint)

    flags = data.draw(st.sampled_from([0, 1, 3]))
    message, damaged = _damage(
        _agent_message(7, _scoped(_response(7, varbinds)), flags=flags), data, 80
    )
    message += extra
    reference = _reference(message, LazySNMPv3Message())
    fast_message = v3_paths.fast_v3_message(message)
    assert fast_message is not None or damaged or extra
    if fast_message is not None:
        assert reference is not None and not reference[1]
        assert _leaves(fast_message) == _leaves(reference[0])


@EXAMPLES
@given(
    st.binary(min_size=1, max_size=64),
    st.binary(max_size=600),
    st.binary(min_size=12, max_size=12),
    st.integers(0, 2**64 - 1),
    st.integers(0, 2**32),
    st.integers(0, 2**32),
)
def test_crypto_services_are_byte_identical(
    key: bytes, payload: bytes, digest: bytes, salt: int, boots: int, clock: int
) -> None:
    fast_sha, stock_sha = FastHmacSha(), hmacsha.HmacSha()
    message = payload[: len(payload) // 2] + bytes(12) + payload[len(payload) // 2 :]
    octets = univ.OctetString(key)
    assert fast_sha.authenticate_outgoing_message(
        octets, message
    ) == stock_sha.authenticate_outgoing_message(octets, message)
    signed = stock_sha.authenticate_outgoing_message(octets, message)
    for wire, mac in (
        (signed, signed[signed.find(signed[len(payload) // 2 : len(payload) // 2 + 12]) :][:12]),
        (message + digest, digest),
    ):
        outcomes = []
        for service in (fast_sha, stock_sha):
            try:
                outcomes.append(
                    service.authenticate_incoming_message(octets, univ.OctetString(mac), wire)
                )
            except Exception as exc:
                outcomes.append(
                    type(exc).__name__
                    + str(exc.get("errorIndication", "") if hasattr(exc, "get") else exc)
                )
        assert outcomes[0] == outcomes[1]
    priv = univ.OctetString((key * 16)[:16])
    fast_aes, stock_aes = FastAes(), aes.Aes()
    fast_aes.local_int = stock_aes.local_int = salt
    ours = fast_aes.encrypt_data(priv, (boots, clock, None), payload)
    theirs = stock_aes.encrypt_data(priv, (boots, clock, None), payload)
    assert (bytes(ours[0]), bytes(ours[1])) == (bytes(theirs[0]), bytes(theirs[1]))
    assert fast_aes.local_int == stock_aes.local_int
    params = (
        univ.Integer(boots & 0x7FFFFFFF),
        univ.Integer(clock & 0x7FFFFFFF),
        univ.OctetString(digest[:8]),
    )
    assert fast_aes.decrypt_data(priv, params, univ.OctetString(payload)) == stock_aes.decrypt_data(
        priv, params, univ.OctetString(payload)
    )
