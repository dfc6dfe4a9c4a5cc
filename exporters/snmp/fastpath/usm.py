"""Fast paths for SNMPv3 messages and the USM security parameters, inside pysnmp's code.

The same technique as :mod:`exporters.snmp.fastpath.message`: pysnmp's own v3 message
processing (``prepare_data_elements``) and USM (``process_incoming_message`` and the
request builder) run unchanged, but see a ``decoder``/``encoder`` module whose functions
handle the exact, common case by hand — an SNMPv3 Response (encrypted, or a plaintext
Response), its USM parameters, the decrypted scoped PDU, and our own GET/GETBULK
requests — and hand everything else to pyasn1. Reports (discovery, USM errors) and any
damaged or unusual message take pyasn1's path, so every security check and error is
pysnmp's. Decoded leaves are the very pyasn1 types pyasn1 would build (``clone`` of the
spec's component), only the containers around them are light shells. Differentially
tested against pyasn1 and pysnmp in ``tests/exporters/test_ber_usm.py``; the request
encoders are in :mod:`.usm_encode`, the crypto services in :mod:`.usm_crypto`, the BER
reading in the core codec (:mod:`edunet.ber`).
"""

from __future__ import annotations

import types
from typing import Any

from pyasn1.codec.ber import decoder as pyasn1_decoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import univ
from pysnmp.entity.engine import SnmpEngine
from pysnmp.proto.mpmod import rfc3412 as mp_v3
from pysnmp.proto.secmod.rfc3414 import service as usm
from pysnmp.proto.secmod.rfc3414.auth import hmacsha
from pysnmp.proto.secmod.rfc3826.priv import aes

from edunet.ber import BerError, Tag, read_integer, read_tlv
from exporters.snmp.fastpath.message import PduChoice, read_response_pdu, rebind, response_pdu
from exporters.snmp.fastpath.models import LazyScopedPDU, LazySNMPv3Message
from exporters.snmp.fastpath.usm_crypto import FastAes, FastHmacSha
from exporters.snmp.fastpath.usm_encode import FAST_ENCODER

_PLAINTEXT, _ENCRYPTED = 0, 1
_SEQUENCE, _OCTETS_TAG = Tag.SEQUENCE, Tag.OCTET_STRING  # one lookup each per TLV
_OCTETS_TAGS = univ.OctetString.tagSet
_INTEGER_TAGS = univ.Integer.tagSet
_VERSION = mp_v3.SNMPv3Message.componentType[0].asn1Object
_HEADER = [t.asn1Object for t in mp_v3.HeaderData.componentType.namedTypes]
_USM = [t.asn1Object for t in usm.UsmSecurityParameters.componentType.namedTypes]
_OCTETS = univ.OctetString()
_SCOPED_SPEC = LazyScopedPDU()
_SHARED: dict[tuple[int, Any], Any] = {}  # leaves that repeat (version, flags, engine ID…)
_SHARED_MAX = 4096


class _Sequence:
    """A decoded SEQUENCE: its components by position (what pysnmp asks of it)."""

    __slots__ = ("components",)
    tagSet: Any = None
    subtypeSpec: Any = None

    def __init__(self, *components: Any):
        self.components = components

    def getComponentByPosition(
        self, position: int, default: Any = None, instantiate: bool = True
    ) -> Any:
        return self.components[position]

    def __getitem__(self, position: int) -> Any:
        return self.components[position]

    def prettyPrint(self, scope: int = 0) -> str:
        return f"{type(self).__name__}{self.components!r}"


class FastV3Message(_Sequence):
    __slots__ = ()
    tagSet = LazySNMPv3Message.tagSet
    subtypeSpec = LazySNMPv3Message.subtypeSpec


class _HeaderData(_Sequence):
    __slots__ = ()
    tagSet = mp_v3.HeaderData.tagSet
    subtypeSpec = mp_v3.HeaderData.subtypeSpec


class FastScopedPDU(_Sequence):
    __slots__ = ()
    tagSet = LazyScopedPDU.tagSet
    subtypeSpec = LazyScopedPDU.subtypeSpec


class FastUsmParameters(_Sequence):
    __slots__ = ()
    tagSet = usm.UsmSecurityParameters.tagSet
    subtypeSpec = usm.UsmSecurityParameters.subtypeSpec


class _PlaintextSpec:
    """What ``scopedPduData.setComponentByPosition(0)`` gives USM: the spec to decode the
    decrypted scoped PDU with."""

    __slots__ = ()

    def getComponentByPosition(
        self, position: int, default: Any = None, instantiate: bool = True
    ) -> Any:
        return _SCOPED_SPEC


class _ScopedPduData:
    """The msgData CHOICE: an encrypted PDU (authPriv) or a plaintext scoped PDU."""

    __slots__ = ("position", "value")

    def __init__(self, position: int, value: Any):
        self.position, self.value = position, value

    def getName(self, innerFlag: bool = False) -> str:
        return "plaintext" if self.position == _PLAINTEXT else "encryptedPDU"

    def getComponent(self, innerFlag: bool = False) -> Any:
        return self.value

    def getComponentByPosition(
        self, position: int, default: Any = None, instantiate: bool = True
    ) -> Any:
        if position != self.position:  # the fast path only takes a CHOICE matching the flags
            raise ValueError("msgData asked for the other alternative")
        return self.value

    def setComponentByPosition(self, position: int, *args: Any, **kwargs: Any) -> Any:
        if position != _PLAINTEXT or args:
            raise ValueError("only USM's lookup of the plaintext spec is expected")
        return _PlaintextSpec()

    def prettyPrint(self, scope: int = 0) -> str:
        return f"ScopedPduData({self.getName()}={self.value!r})"


def _leaf(spec: Any, value: Any, shared: int = -1) -> Any:
    """``spec.clone(value)`` as pyasn1's decoder builds it; None where a constraint fails."""
    if shared >= 0:
        found = _SHARED.get((shared, value))
        if found is not None:
            return found
    try:
        leaf = spec.clone(value)
    except PyAsn1Error:
        return None
    if shared >= 0:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        _SHARED[(shared, value)] = leaf
    return leaf


def _scoped_pdu(buf: bytes, pos: int) -> tuple[FastScopedPDU, int]:
    """A scoped PDU holding a Response at ``pos``: (shell, end); BerError otherwise."""
    start, end = read_tlv(buf, pos, _SEQUENCE)
    engine_id = read_tlv(buf, start, _OCTETS_TAG)
    name = read_tlv(buf, engine_id[1], _OCTETS_TAG)
    request_id, status, index, varbinds, pdu_end = read_response_pdu(buf, name[1])
    if pdu_end != end:
        raise BerError("the scoped PDU holds more than its PDU")
    scoped = FastScopedPDU(
        _leaf(_OCTETS, buf[engine_id[0] : engine_id[1]], 10),
        _leaf(_OCTETS, buf[name[0] : name[1]], 11),
        PduChoice(response_pdu(request_id, status, index, buf[varbinds:end])),
    )
    return scoped, end


def fast_scoped_pdu(buf: bytes) -> tuple[FastScopedPDU, bytes] | None:
    """A decrypted scoped PDU holding a Response: (shell, the bytes after it)."""
    try:
        scoped, end = _scoped_pdu(buf, 0)
    except BerError:
        return None
    return scoped, buf[end:]


def fast_v3_message(buf: bytes) -> FastV3Message | None:
    """An SNMPv3 message with an encrypted PDU (authPriv) or a plaintext Response."""
    try:
        return _v3_message(buf)
    except BerError:
        return None


def _v3_message(buf: bytes) -> FastV3Message | None:
    start, end = read_tlv(buf, 0, _SEQUENCE)
    if end != len(buf):
        return None
    version, at = read_integer(buf, start)
    header_start, header_end = read_tlv(buf, at, _SEQUENCE)
    msg_id, at = read_integer(buf, header_start)
    max_size, at = read_integer(buf, at)
    flags = read_tlv(buf, at, _OCTETS_TAG)
    if flags[1] != flags[0] + 1:
        return None
    model, at = read_integer(buf, flags[1])
    if at != header_end:
        return None
    params = read_tlv(buf, header_end, _OCTETS_TAG)
    if params[1] >= len(buf):
        return None
    level = buf[flags[0]] & 0x03
    data: _ScopedPduData
    if buf[params[1]] == _OCTETS_TAG and level == 0x03:
        encrypted = read_tlv(buf, params[1], _OCTETS_TAG)
        if encrypted[1] != len(buf):
            return None
        data = _ScopedPduData(_ENCRYPTED, _leaf(_OCTETS, buf[encrypted[0] : encrypted[1]]))
    elif level in (0x00, 0x01):
        plain, plain_end = _scoped_pdu(buf, params[1])
        if plain_end != len(buf):
            return None
        data = _ScopedPduData(_PLAINTEXT, plain)
    else:
        return None  # a CHOICE that does not match the flags: pysnmp's own handling
    fields = (
        _leaf(_HEADER[0], msg_id),
        _leaf(_HEADER[1], max_size, 1),
        _leaf(_HEADER[2], buf[flags[0] : flags[1]], 2),
        _leaf(_HEADER[3], model, 3),
    )
    version_leaf = _leaf(_VERSION, version, 0)
    params_leaf = _leaf(_OCTETS, buf[params[0] : params[1]])
    if version_leaf is None or None in fields:
        return None
    return FastV3Message(version_leaf, _HeaderData(*fields), params_leaf, data)


Span = tuple[int, int]  # (content start, content end) of an OCTET STRING


def read_usm_parameters(buf: bytes, pos: int) -> tuple[int, Span, int, int, Span, Span, Span]:
    """(end, engine ID, boots, time, user, digest, salt) of the UsmSecurityParameters
    SEQUENCE at ``pos``; BerError where it is not in that form."""
    start, end = read_tlv(buf, pos, _SEQUENCE)
    engine_id = read_tlv(buf, start, _OCTETS_TAG)
    boots, at = read_integer(buf, engine_id[1])
    clock, at = read_integer(buf, at)
    user = read_tlv(buf, at, _OCTETS_TAG)
    digest = read_tlv(buf, user[1], _OCTETS_TAG)
    salt = read_tlv(buf, digest[1], _OCTETS_TAG)
    return end, engine_id, boots, clock, user, digest, salt


def fast_usm_parameters(buf: bytes) -> FastUsmParameters | None:
    """UsmSecurityParameters, the SEQUENCE ending exactly where ``buf`` does."""
    try:
        end, engine_id, boots, clock, user, digest, salt = read_usm_parameters(buf, 0)
    except BerError:
        return None
    if end != len(buf) or salt[1] != end:
        return None
    fields = (
        _leaf(_USM[0], buf[engine_id[0] : engine_id[1]], 20),
        _leaf(_USM[1], boots, 21),
        _leaf(_USM[2], clock),
        _leaf(_USM[3], buf[user[0] : user[1]], 23),
        _leaf(_USM[4], buf[digest[0] : digest[1]]),
        _leaf(_USM[5], buf[salt[0] : salt[1]]),
    )
    return None if None in fields else FastUsmParameters(*fields)


class _Decoder:
    """pyasn1's ``decoder`` module, with v3 Responses and USM parameters decoded by hand."""

    @staticmethod
    def decode(substrate: Any, asn1Spec: Any = None, **options: Any) -> Any:
        if not options:
            kind = type(asn1Spec)
            if kind is usm.UsmSecurityParameters:
                raw = substrate.asOctets() if type(substrate) is univ.OctetString else substrate
                if type(raw) is bytes:
                    params = fast_usm_parameters(raw)
                    if params is not None:
                        return params, b""
            elif type(substrate) is bytes:
                if kind is LazySNMPv3Message:
                    message = fast_v3_message(substrate)
                    if message is not None:
                        return message, b""
                elif kind is LazyScopedPDU:
                    scoped = fast_scoped_pdu(substrate)
                    if scoped is not None:
                        return scoped
        return pyasn1_decoder.decode(substrate, asn1Spec=asn1Spec, **options)


FAST_DECODER = _Decoder()
FAST_SHA = FastHmacSha()
FAST_AES = FastAes()

_USM_CLASS = usm.SnmpUSMSecurityModel
_GENERATE_NAME = "_SnmpUSMSecurityModel__generate_request_or_response_message"
_PREPARE_V3 = rebind(mp_v3.SnmpV3MessageProcessingModel.prepare_data_elements, decoder=FAST_DECODER)
_USM_RECEIVE = rebind(_USM_CLASS.process_incoming_message, decoder=FAST_DECODER)
_USM_GENERATE = rebind(getattr(_USM_CLASS, _GENERATE_NAME), encoder=FAST_ENCODER)


def install(engine: SnmpEngine) -> None:
    """The v3 fast paths on one engine (after :func:`.message.install`)."""
    v3 = engine.message_processing_subsystems[
        mp_v3.SnmpV3MessageProcessingModel.MESSAGE_PROCESSING_MODEL_ID
    ]
    v3.prepare_data_elements = types.MethodType(_PREPARE_V3, v3)
    model = engine.security_models[_USM_CLASS.SECURITY_MODEL_ID]
    model.process_incoming_message = types.MethodType(_USM_RECEIVE, model)
    setattr(model, _GENERATE_NAME, types.MethodType(_USM_GENERATE, model))
    # the same algorithms, byte for byte, without pyasn1 in the per-message work
    model.AUTH_SERVICES = {**model.AUTH_SERVICES, hmacsha.HmacSha.SERVICE_ID: FAST_SHA}
    model.PRIV_SERVICES = {**model.PRIV_SERVICES, aes.Aes.SERVICE_ID: FAST_AES}
