"""A fast decoder for the VarBindList of an SNMP Response PDU (and the request encoder).

pyasn1 builds several objects per varbind and checks every constraint through generic
machinery; for a 54-port interface walk that is most of the exporter's CPU. This decoder
reads the BER bytes straight into the poll's plain values (see ``result.Value``).

It accepts exactly what pysnmp's VarBindList spec accepts in the definite-length,
primitive form every agent sends, with the same constraints (Integer32 range, unsigned
32/64-bit ranges, 4-octet IpAddress, empty NULLs, pyasn1's OID rules). Anything else
raises :class:`BerError`; the caller then falls back to pyasn1, so an exotic but valid
encoding (indefinite length, constructed OCTET STRING) still decodes, only slower.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from exporters.snmp.oids import Oid
from exporters.snmp.result import Value


class BerError(ValueError):
    """The bytes are not a VarBindList this decoder takes (pyasn1 may still)."""


class _EndOfMibView:
    __slots__ = ()

    def __repr__(self) -> str:
        return "END_OF_MIB_VIEW"


END_OF_MIB_VIEW: Final = _EndOfMibView()

# A decoded varbind value: a poll value, or the end of the agent's MIB view
Decoded = Value | _EndOfMibView
VarBind = tuple[Oid, Decoded]

_INT32_MIN: Final = -(2**31)
_INT32_MAX: Final = 2**31 - 1
_UINT32_MAX: Final = 2**32 - 1
_UINT64_MAX: Final = 2**64 - 1
_MAX_ARC_CONTINUATION: Final = 20  # pyasn1's limit on continuation octets per arc

# value tags
_INTEGER: Final = 0x02
_OCTET_STRING: Final = 0x04
_NULL: Final = 0x05
_OID: Final = 0x06
_IP_ADDRESS: Final = 0x40
_COUNTER32: Final = 0x41
_GAUGE32: Final = 0x42
_TIMETICKS: Final = 0x43
_OPAQUE: Final = 0x44
_COUNTER64: Final = 0x46
_NO_SUCH_OBJECT: Final = 0x80
_NO_SUCH_INSTANCE: Final = 0x81
_END_OF_MIB_VIEW: Final = 0x82
_UNSIGNED_MAX: Final = {
    _COUNTER32: _UINT32_MAX,
    _GAUGE32: _UINT32_MAX,
    _TIMETICKS: _UINT32_MAX,
    _COUNTER64: _UINT64_MAX,
}


def _length(buf: bytes, pos: int) -> tuple[int, int]:
    """The length octets at ``pos``: (content start, content length)."""
    first = buf[pos]
    if first < 0x80:
        return pos + 1, first
    count = first & 0x7F
    if count == 0:
        raise BerError("indefinite length")
    if count > 4 or pos + 1 + count > len(buf):
        raise BerError("bad long-form length")
    return pos + 1 + count, int.from_bytes(buf[pos + 1 : pos + 1 + count], "big")


def decode_oid(raw: bytes) -> Oid:
    """OBJECT IDENTIFIER contents to a tuple, with pyasn1's rules for the first arcs."""
    if not raw:
        raise BerError("empty OID")
    if raw.isascii():  # every arc below 128: one octet each (the common case)
        arcs = list(raw)
    else:
        arcs = []
        index, size = 0, len(raw)
        while index < size:
            octet = raw[index]
            index += 1
            if octet < 128:
                arcs.append(octet)
            elif octet == 128:
                raise BerError("leading 0x80 in an OID arc")
            else:
                arc, count = 0, 0
                while octet >= 128:
                    count += 1
                    if count > _MAX_ARC_CONTINUATION or index >= size:
                        raise BerError("OID arc too long or cut short")
                    arc = (arc << 7) | (octet & 0x7F)
                    octet = raw[index]
                    index += 1
                arcs.append((arc << 7) | octet)
    first = arcs[0]
    if first < 40:
        return (0, *arcs)
    if first < 80:
        return (1, first - 40, *arcs[1:])
    return (2, first - 80, *arcs[1:])


def oid_text(oid: Oid) -> str:
    return ".".join(map(str, oid))


def _value(tag: int, content: bytes) -> Decoded:
    if tag in _UNSIGNED_MAX:
        number = int.from_bytes(content, "big", signed=True)
        if number < 0 or number > _UNSIGNED_MAX[tag]:
            raise BerError("unsigned value out of range")
        return number
    if tag in (_OCTET_STRING, _OPAQUE):
        return content
    if tag == _INTEGER:
        number = int.from_bytes(content, "big", signed=True)
        if number < _INT32_MIN or number > _INT32_MAX:
            raise BerError("INTEGER out of Integer32 range")
        return number
    if tag == _OID:
        return oid_text(decode_oid(content))
    if tag == _IP_ADDRESS:
        if len(content) != 4:
            raise BerError("IpAddress is not 4 octets")
        return ".".join(map(str, content))
    if tag in (_NULL, _NO_SUCH_OBJECT, _NO_SUCH_INSTANCE, _END_OF_MIB_VIEW):
        if content:
            raise BerError("NULL with contents")
        return END_OF_MIB_VIEW if tag == _END_OF_MIB_VIEW else None
    raise BerError(f"unexpected value tag 0x{tag:02x}")


def decode_varbind_list(data: bytes) -> list[VarBind]:
    """One whole VarBindList TLV (``30 len …``) to [(oid, value)], in order."""
    buf = bytes(data)
    if len(buf) < 2 or buf[0] != 0x30:
        raise BerError("not a SEQUENCE")
    pos, size = _length(buf, 1)
    end = pos + size
    if end != len(buf):
        raise BerError("VarBindList length does not match its bytes")
    out: list[VarBind] = []
    append = out.append
    while pos < end:
        if buf[pos] != 0x30 or pos + 1 >= end:
            raise BerError("varbind is not a SEQUENCE")
        pos, size = _length(buf, pos + 1)
        bind_end = pos + size
        if bind_end > end or pos + 1 >= bind_end or buf[pos] != _OID:
            raise BerError("varbind name is not an OID")
        pos, size = _length(buf, pos + 1)
        name = decode_oid(buf[pos : pos + size])
        pos += size
        if pos + 1 >= bind_end:
            raise BerError("varbind without a value")
        tag = buf[pos]
        pos, size = _length(buf, pos + 1)
        if pos + size != bind_end:
            raise BerError("varbind length does not match its value")
        append((name, _value(tag, buf[pos:bind_end])))
        pos = bind_end
    return out


def encode_length(size: int) -> bytes:
    """BER length octets, minimal, as pyasn1 writes them."""
    if size < 0x80:
        return bytes((size,))
    body = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def encode_oid(oid: Oid) -> bytes:
    """OBJECT IDENTIFIER contents, as pyasn1 encodes them (the first two arcs in one)."""
    if len(oid) < 2 or oid[0] > 2 or (oid[0] < 2 and oid[1] > 39):
        raise BerError(f"cannot encode OID {oid_text(oid)}")
    out = bytearray()
    for arc in (oid[0] * 40 + oid[1], *oid[2:]):
        if arc < 0x80:
            out.append(arc)
            continue
        if arc < 0:
            raise BerError("negative OID arc")
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


def encode_request_varbinds(oids: Iterable[Oid]) -> bytes:
    """The VarBindList of a GET/GETNEXT/GETBULK request: each OID with a NULL value."""
    body = bytearray()
    for oid in oids:
        raw = encode_oid(oid)
        name = b"\x06" + encode_length(len(raw)) + raw
        body += b"\x30" + encode_length(len(name) + 2) + name + b"\x05\x00"
    return b"\x30" + encode_length(len(body)) + bytes(body)
