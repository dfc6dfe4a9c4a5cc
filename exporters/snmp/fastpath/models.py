"""Message-processing models whose Response varbinds stay bytes, and pre-encoded requests.

pysnmp decodes a whole message against the message-processing model's spec. These models
use the same specs except that a Response PDU's variable-bindings is an untagged ANY:
pyasn1 then only slices those bytes (the header, request-id and error fields still go
through pyasn1, so pysnmp's matching, USM and error handling are untouched), and the
poll decodes the slice with the core codec (:mod:`edunet.ber`, through
:func:`exporters.snmp.pdu.response_varbinds`). Report PDUs (SNMPv3 discovery and USM
errors) keep the full spec because pysnmp reads their varbinds itself. Requests carry
their varbinds encoded by the core codec, which pyasn1 copies as they are.
"""

from __future__ import annotations

from typing import Any

from pyasn1.type import namedtype, univ
from pysnmp.entity.engine import SnmpEngine
from pysnmp.proto import rfc1901, rfc1905
from pysnmp.proto.mpmod import rfc2576, rfc3412

from edunet.ber import Oid, encode_request_varbinds


class LazyResponsePDU(rfc1905.ResponsePDU):  # type: ignore[misc]
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("request-id", rfc1905.ResponsePDU.componentType[0].asn1Object),
        namedtype.NamedType("error-status", rfc1905.errorStatus),
        namedtype.NamedType("error-index", rfc1905.ResponsePDU.componentType[2].asn1Object),
        namedtype.NamedType("variable-bindings", univ.Any()),
    )


class LazyPDUs(rfc1905.PDUs):  # type: ignore[misc]
    componentType = namedtype.NamedTypes(
        *(
            namedtype.NamedType("response", LazyResponsePDU())
            if t.name == "response"
            else namedtype.NamedType(t.name, t.asn1Object)
            for t in rfc1905.PDUs.componentType.namedTypes
        )
    )


class LazyMessage(rfc1901.Message):  # type: ignore[misc]
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("version", rfc1901.version),
        namedtype.NamedType("community", univ.OctetString()),
        namedtype.NamedType("data", LazyPDUs()),
    )


class LazyScopedPDU(rfc3412.ScopedPDU):  # type: ignore[misc]
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("contextEngineId", univ.OctetString()),
        namedtype.NamedType("contextName", univ.OctetString()),
        namedtype.NamedType("data", LazyPDUs()),
    )


class LazyScopedPduData(rfc3412.ScopedPduData):  # type: ignore[misc]
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("plaintext", LazyScopedPDU()),
        namedtype.NamedType("encryptedPDU", univ.OctetString()),
    )


class LazySNMPv3Message(rfc3412.SNMPv3Message):  # type: ignore[misc]
    componentType = namedtype.NamedTypes(
        *(
            namedtype.NamedType("msgData", LazyScopedPduData())
            if t.name == "msgData"
            else namedtype.NamedType(t.name, t.asn1Object)
            for t in rfc3412.SNMPv3Message.componentType.namedTypes
        )
    )


class _RawVarBindList(univ.Any):  # type: ignore[misc]
    """Pre-encoded request varbinds. The template holds an empty list, and ``clear`` is
    a no-op: pysnmp's SNMPv3 discovery probe resets a copy of the PDU that way."""

    def clear(self) -> None:
        pass


def _with_raw_varbinds(pdu: type[univ.Sequence]) -> namedtype.NamedTypes:
    fields = pdu.componentType.namedTypes
    kept = [namedtype.NamedType(t.name, t.asn1Object) for t in fields[:-1]]
    raw = _RawVarBindList(b"\x30\x00")
    return namedtype.NamedTypes(*kept, namedtype.NamedType("variable-bindings", raw))


class RawGetRequestPDU(rfc1905.GetRequestPDU):  # type: ignore[misc]
    """A GET whose varbinds are pre-encoded bytes (pyasn1 copies them as they are)."""

    componentType = _with_raw_varbinds(rfc1905.GetRequestPDU)


class RawGetBulkRequestPDU(rfc1905.GetBulkRequestPDU):  # type: ignore[misc]
    componentType = _with_raw_varbinds(rfc1905.GetBulkRequestPDU)


def request_pdu(oids: list[Oid], max_repetitions: int) -> univ.Sequence:
    """A GET (max_repetitions 0) or GETBULK for ``oids``, its varbinds encoded by us."""
    raw = _RawVarBindList(encode_request_varbinds(oids))
    if max_repetitions:
        pdu = RawGetBulkRequestPDU()
        values: tuple[Any, ...] = (0, 0, max_repetitions, raw)
    else:
        pdu = RawGetRequestPDU()
        values = (0, 0, 0, raw)
    for position, value in enumerate(values):
        pdu.setComponentByPosition(position, value)
    return pdu


class FastV2cModel(rfc2576.SnmpV2cMessageProcessingModel):  # type: ignore[misc]
    SNMP_MSG_SPEC = LazyMessage


class FastV3Model(rfc3412.SnmpV3MessageProcessingModel):  # type: ignore[misc]
    SNMP_MSG_SPEC = LazySNMPv3Message


def install(engine: SnmpEngine) -> None:
    """Swap this engine's v2c and v3 message processing for the lazy-varbind models."""
    models = engine.message_processing_subsystems
    models[FastV2cModel.MESSAGE_PROCESSING_MODEL_ID] = FastV2cModel()
    models[FastV3Model.MESSAGE_PROCESSING_MODEL_ID] = FastV3Model()
