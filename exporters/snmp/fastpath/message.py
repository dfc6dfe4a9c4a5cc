"""Fast paths for the SNMP message around the varbinds, inside pysnmp's own code.

pysnmp's message processing decodes every message's header with pyasn1 twice (once for
the version, once for the whole message) and encodes every request with pyasn1; for a
walk of small PDUs that costs more than the varbinds. pysnmp's functions still run here,
unchanged: :func:`rebind` gives a copy of one of them a different ``decoder``, ``encoder``
or ``verdec`` module, whose ``decode``/``encode`` handle the common, exact case by hand
(an SNMPv2c Response, our pre-encoded requests) and hand everything else to pyasn1. So
every message the fast path declines is processed exactly as before, and the fast path
is differentially tested against pyasn1 (``tests/exporters/test_ber_message.py``). The BER
itself (TLVs, lengths, integers) is the core codec's, :mod:`edunet.ber`.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from pyasn1.codec.ber import decoder as pyasn1_decoder
from pyasn1.codec.ber import encoder as pyasn1_encoder
from pyasn1.type import univ
from pysnmp.entity.engine import SnmpEngine
from pysnmp.proto import rfc1901, rfc1905, rfc3412
from pysnmp.proto.api import verdec as pysnmp_verdec
from pysnmp.proto.mpmod import rfc2576 as mp_v2c
from pysnmp.proto.secmod import rfc2576 as sec_v2c

from edunet.ber import (
    BerError,
    Tag,
    encode_integer,
    read_integer,
    read_tlv,
    tlv,
)
from exporters.snmp.fastpath import models
from exporters.snmp.fastpath.models import (
    LazyMessage,
    LazyResponsePDU,
    RawGetBulkRequestPDU,
    RawGetRequestPDU,
)

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_SEQUENCE, _OCTETS_TAG = Tag.SEQUENCE, Tag.OCTET_STRING  # one lookup each per TLV
_RESPONSE = 0xA2
_GET, _GETBULK = 0xA0, 0xA5
_NO_CHECKS = {"verifyConstraints": False, "matchTags": False, "matchConstraints": False}


def read_response_pdu(buf: bytes, pos: int) -> tuple[int, int, int, int, int]:
    """(request-id, error-status, error-index, VarBindList start, PDU end) of the Response
    PDU at ``pos``, its VarBindList ending exactly where the PDU does; BerError otherwise."""
    start, pdu_end = read_tlv(buf, pos, _RESPONSE)
    request_id, at = read_integer(buf, start)
    if not _INT32_MIN <= request_id <= _INT32_MAX:
        raise BerError("request-id out of range")
    status, at = read_integer(buf, at)
    index, varbinds = read_integer(buf, at)
    if not 0 <= index <= _INT32_MAX:
        raise BerError("error-index out of range")
    if read_tlv(buf, varbinds, _SEQUENCE)[1] != pdu_end:
        raise BerError("VarBindList does not end the PDU")
    return request_id, status, index, varbinds, pdu_end


def parse_v2c_response(buf: bytes) -> tuple[int, bytes, int, int, int, bytes] | None:
    """(version, community, request-id, error-status, error-index, VarBindList TLV) of an
    SNMPv1/v2c Response message in the exact form agents send; None for anything else."""
    try:
        start, end = read_tlv(buf, 0, _SEQUENCE)
        if end != len(buf):
            return None
        version, at = read_integer(buf, start)
        community = read_tlv(buf, at, _OCTETS_TAG)
        request_id, status, index, varbinds, pdu_end = read_response_pdu(buf, community[1])
    except BerError:
        return None
    if pdu_end != len(buf):
        return None
    return version, buf[community[0] : community[1]], request_id, status, index, buf[varbinds:]


class PduChoice:
    """The PDUs CHOICE of a fast-decoded message or scoped PDU (only what pysnmp asks of it)."""

    __slots__ = ("pdu",)

    def __init__(self, pdu: Any):
        self.pdu = pdu

    def getComponent(self, innerFlag: bool = False) -> Any:
        return self.pdu


class FastMessage:
    """A decoded SNMPv2c message: real pyasn1 version, community and PDU in a light shell
    (pysnmp reads its three components and compares its tags, nothing more)."""

    __slots__ = ("components",)
    tagSet = LazyMessage.tagSet
    subtypeSpec = LazyMessage.subtypeSpec

    def __init__(self, version: Any, community: Any, pdu: Any):
        self.components = (version, community, PduChoice(pdu))

    def getComponentByPosition(self, position: int) -> Any:
        return self.components[position]

    def prettyPrint(self) -> str:
        return f"FastMessage(version={self.components[0]}, pdu={self.components[2].pdu!r})"


_VERSIONS: dict[int, Any] = {}
_REQUEST_ID = rfc1905.ResponsePDU.componentType[0].asn1Object
_ERROR_INDEX = rfc1905.ResponsePDU.componentType[2].asn1Object


def _version(value: int) -> Any:
    version = _VERSIONS.get(value)
    if version is None:
        version = _VERSIONS[value] = rfc1901.version.clone(value)
    return version


def response_pdu(request_id: int, status: int, index: int, varbinds: bytes) -> Any:
    """A lazy Response PDU holding these fields as pyasn1 would decode them."""
    pdu = LazyResponsePDU()
    pdu.setComponentByPosition(0, _REQUEST_ID.clone(request_id), **_NO_CHECKS)
    pdu.setComponentByPosition(1, rfc1905.errorStatus.clone(status), **_NO_CHECKS)
    pdu.setComponentByPosition(2, _ERROR_INDEX.clone(index), **_NO_CHECKS)
    pdu.setComponentByPosition(3, univ.Any(varbinds), **_NO_CHECKS)
    return pdu


def fast_v2c_message(buf: bytes) -> FastMessage | None:
    parts = parse_v2c_response(buf)
    if parts is None:
        return None
    version, community, request_id, status, index, varbinds = parts
    pdu = response_pdu(request_id, status, index, varbinds)
    return FastMessage(_version(version), univ.OctetString(community), pdu)


class _Decoder:
    """pyasn1's ``decoder`` module, with SNMPv2c Responses decoded by hand."""

    @staticmethod
    def decode(substrate: Any, asn1Spec: Any = None, **options: Any) -> Any:
        if type(asn1Spec) is LazyMessage and not options and type(substrate) is bytes:
            message = fast_v2c_message(substrate)
            if message is not None:
                return message, b""
        return pyasn1_decoder.decode(substrate, asn1Spec=asn1Spec, **options)


def fast_message_version(whole: Any) -> Any:
    """pysnmp's ``decode_message_version``: the version INTEGER after the outer SEQUENCE."""
    if type(whole) is bytes:
        try:
            start, end = read_tlv(whole, 0, _SEQUENCE)
            if end == len(whole):
                return _version(read_integer(whole, start)[0])
        except BerError:
            pass  # pysnmp decides
    return pysnmp_verdec.decode_message_version(whole)


class _Verdec:
    decode_message_version = staticmethod(fast_message_version)


def is_value(component: Any) -> bool:
    """A set component (not noValue, not an empty schema object)."""
    return component is not univ.noValue and bool(component.isValue)


def encode_pdu(pdu: Any) -> bytes | None:
    """Our pre-encoded GET/GETBULK PDU, encoded as pyasn1 would; None for any other."""
    kind = type(pdu)
    if kind is RawGetBulkRequestPDU:
        tag = _GETBULK
    elif kind is RawGetRequestPDU:
        tag = _GET
    else:
        return None
    fields = [pdu.getComponentByPosition(i, instantiate=False) for i in range(4)]
    if not all(is_value(f) for f in fields):
        return None  # pyasn1 decides (it refuses incomplete PDUs)
    return tlv(tag, b"".join((*(encode_integer(int(f)) for f in fields[:3]), fields[3].asOctets())))


def encode_request(msg: Any) -> bytes | None:
    """Our GET/GETBULK in an SNMPv1/v2c message, encoded as pyasn1 would; None otherwise."""
    if type(msg) is not LazyMessage:
        return None
    pdu = encode_pdu(msg.getComponentByPosition(2).getComponent())
    if pdu is None:
        return None
    version = encode_integer(int(msg.getComponentByPosition(0)))
    community = tlv(_OCTETS_TAG, msg.getComponentByPosition(1).asOctets())
    return tlv(_SEQUENCE, version + community + pdu)


class _Encoder:
    """pyasn1's ``encoder`` module, with our pre-encoded v2c requests encoded by hand."""

    @staticmethod
    def encode(value: Any, asn1Spec: Any = None, **options: Any) -> bytes:
        if asn1Spec is None and not options:
            fast = encode_request(value)
            if fast is not None:
                return fast
        return pyasn1_encoder.encode(value, asn1Spec=asn1Spec, **options)  # type: ignore[no-any-return]


FAST_DECODER = _Decoder()
FAST_ENCODER = _Encoder()
FAST_VERDEC = _Verdec()


def rebind(func: Callable[..., Any], **names: Any) -> Callable[..., Any]:
    """A copy of ``func`` (same code, defaults, closure) seeing ``names`` as its globals."""
    scope = dict(func.__globals__)
    scope.update(names)
    copy = types.FunctionType(
        func.__code__, scope, func.__name__, func.__defaults__, func.__closure__
    )
    copy.__kwdefaults__ = func.__kwdefaults__
    copy.__qualname__ = func.__qualname__
    return copy


_PREPARE_V2C = rebind(
    mp_v2c.SnmpV1MessageProcessingModel.prepare_data_elements, decoder=FAST_DECODER
)
_GENERATE_V2C = rebind(sec_v2c.SnmpV1SecurityModel.generate_request_message, encoder=FAST_ENCODER)
_RECEIVE = rebind(rfc3412.MsgAndPduDispatcher.receive_message, verdec=FAST_VERDEC)


def install(engine: SnmpEngine) -> None:
    """The lazy-varbind models (:mod:`.models`) plus the fast header paths, on one engine."""
    models.install(engine)
    v2c = engine.message_processing_subsystems[models.FastV2cModel.MESSAGE_PROCESSING_MODEL_ID]
    v2c.prepare_data_elements = types.MethodType(_PREPARE_V2C, v2c)
    community = engine.security_models[sec_v2c.SnmpV2cSecurityModel.SECURITY_MODEL_ID]
    community.generate_request_message = types.MethodType(_GENERATE_V2C, community)
    dispatcher = engine.message_dispatcher
    dispatcher.receive_message = types.MethodType(_RECEIVE, dispatcher)
