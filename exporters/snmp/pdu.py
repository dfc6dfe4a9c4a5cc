"""Request PDUs as pysnmp builds them, and a Response PDU's varbinds as poll values.

This is the plain path: pysnmp's own PDU classes and pyasn1's decoding. With the fast paths
engaged (:mod:`exporters.snmp.fastpath`) the request comes from there instead, and a
Response's varbinds arrive as raw bytes that :func:`response_varbinds` decodes with the
core BER codec; pyasn1 stays the reference and the fallback.
"""

from __future__ import annotations

from typing import Any

from pyasn1.codec.ber import decoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import univ
from pysnmp.proto import rfc1902, rfc1905
from pysnmp.proto.api import v2c

from edunet.ber import END_OF_MIB_VIEW, BerError, Decoded, Oid, VarBind, decode_varbind_list

__all__ = ["decode_with_pyasn1", "from_pyasn1", "request_pdu", "response_varbinds"]


def request_pdu(oids: list[Oid], max_repetitions: int) -> Any:
    """A GET (max_repetitions 0) or GETBULK for ``oids``, built by pysnmp."""
    pdu: Any
    if max_repetitions:
        pdu = v2c.GetBulkRequestPDU()
        v2c.apiBulkPDU.set_defaults(pdu)
        v2c.apiBulkPDU.set_non_repeaters(pdu, 0)
        v2c.apiBulkPDU.set_max_repetitions(pdu, max_repetitions)
    else:
        pdu = v2c.GetRequestPDU()
        v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_varbinds(pdu, [(oid, v2c.null) for oid in oids])
    return pdu


_VARBIND_LIST = rfc1905.VarBindList()
_NULLS = (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, univ.Null)


def from_pyasn1(value: Any) -> Decoded:
    """A pysnmp varbind value as a poll value (the reference the fast decoder must match)."""
    if isinstance(value, rfc1905.EndOfMibView):
        return END_OF_MIB_VIEW
    if isinstance(value, _NULLS):
        return None
    if isinstance(value, rfc1902.IpAddress):
        return ".".join(map(str, value.asNumbers()))
    if isinstance(value, univ.OctetString):
        return bytes(value)
    if isinstance(value, univ.ObjectIdentifier):
        return ".".join(map(str, value))
    if isinstance(value, univ.Integer):
        return int(value)
    raise TypeError(f"unexpected SNMP type {type(value).__name__}")


def decode_with_pyasn1(raw: bytes) -> list[VarBind]:
    """The slow, reference path: pysnmp's own VarBindList spec."""
    varbinds, rest = decoder.decode(raw, asn1Spec=_VARBIND_LIST)
    if rest:
        raise PyAsn1Error("trailing bytes after the VarBindList")
    return [(tuple(vb[0]), from_pyasn1(vb[1].getComponent(True))) for vb in varbinds]


def response_varbinds(pdu: Any) -> list[VarBind]:
    """The varbinds of a Response PDU, decoded by pysnmp or left as bytes by the fast paths
    (the direct path's answer holds plain bytes)."""
    field = pdu.getComponentByPosition(3)
    if type(field) is bytes:
        raw = field
    elif not isinstance(field, univ.Any):  # decoded by pysnmp's own model
        return [(tuple(vb[0]), from_pyasn1(vb[1].getComponent(True))) for vb in field]
    else:
        raw = field.asOctets()
    try:
        return decode_varbind_list(raw)
    except BerError:
        return decode_with_pyasn1(raw)  # raises PyAsn1Error where pysnmp would
