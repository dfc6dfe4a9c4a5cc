"""SNMP's BER, by hand: TLVs and lengths, the SNMP value types, varbind lists.

One codec for the SNMP exporter (it decodes Response varbinds and encodes its requests) and
the lab's agents (they pre-encode their answers). Standard library only: pysnmp and pyasn1
stay the reference the tests check these bytes against.

Decoding takes exactly what pysnmp's VarBindList spec takes in the definite-length,
primitive form every agent sends, with the same constraints (Integer32 range, unsigned
32/64-bit ranges, 4-octet IpAddress, empty NULLs, pyasn1's OID rules); anything else raises
:class:`BerError`, and a caller may then fall back to pyasn1, so an exotic but valid
encoding (indefinite length, constructed OCTET STRING) still decodes, only slower.
Encoding writes what pyasn1's BER encoder writes for the same values, octet for octet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

__all__ = [
    "ENCODED_END_OF_MIB_VIEW",
    "ENCODED_NO_SUCH_INSTANCE",
    "ENCODED_NO_SUCH_OBJECT",
    "ENCODED_NULL",
    "END_OF_MIB_VIEW",
    "BerError",
    "Decoded",
    "Oid",
    "Tag",
    "Value",
    "VarBind",
    "decode_oid",
    "decode_value",
    "decode_varbind_list",
    "encode_integer",
    "encode_ip_address",
    "encode_length",
    "encode_octet_string",
    "encode_oid",
    "encode_request_varbinds",
    "encode_unsigned",
    "encode_varbind",
    "oid_contents",
    "oid_text",
    "read_integer",
    "read_length",
    "read_tlv",
    "tlv",
]

Oid = tuple[int, ...]

# A decoded SNMP value: int for INTEGER/Counter/Gauge/TimeTicks, bytes for OCTET STRING
# (and Opaque), str (dotted) for an OBJECT IDENTIFIER or IpAddress, None where the agent
# answered noSuchObject/noSuchInstance (or NULL).
Value = int | bytes | str | None


class BerError(ValueError):
    """The bytes or the value are not what this codec takes (pyasn1 may still)."""


class Tag:
    """The BER tags of SNMP (RFC 2578's application types are class 0x40). Plain ints,
    not an enum: the agents compare them per request, and an enum member is slow to read."""

    INTEGER: Final = 0x02
    OCTET_STRING: Final = 0x04
    NULL: Final = 0x05
    OBJECT_IDENTIFIER: Final = 0x06
    SEQUENCE: Final = 0x30
    IP_ADDRESS: Final = 0x40
    COUNTER32: Final = 0x41
    GAUGE32: Final = 0x42
    TIMETICKS: Final = 0x43
    OPAQUE: Final = 0x44
    COUNTER64: Final = 0x46
    NO_SUCH_OBJECT: Final = 0x80
    NO_SUCH_INSTANCE: Final = 0x81
    END_OF_MIB_VIEW: Final = 0x82


class _EndOfMibView:
    __slots__ = ()

    def __repr__(self) -> str:
        return "END_OF_MIB_VIEW"


END_OF_MIB_VIEW: Final = _EndOfMibView()

# A decoded varbind value: a value, or the end of the agent's MIB view
Decoded = Value | _EndOfMibView
VarBind = tuple[Oid, Decoded]

ENCODED_NULL: Final = b"\x05\x00"
ENCODED_NO_SUCH_OBJECT: Final = b"\x80\x00"
ENCODED_NO_SUCH_INSTANCE: Final = b"\x81\x00"
ENCODED_END_OF_MIB_VIEW: Final = b"\x82\x00"

_INT32_MIN: Final = -(2**31)
_INT32_MAX: Final = 2**31 - 1
_MAX_ARC_CONTINUATION: Final = 20  # pyasn1's limit on continuation octets per arc
_MAX_LENGTH_OCTETS: Final = 4

# module globals in the decoder's loop: one lookup each, not two
_INTEGER: Final = Tag.INTEGER
_OCTET_STRING: Final = Tag.OCTET_STRING
_NULL: Final = Tag.NULL
_OID: Final = Tag.OBJECT_IDENTIFIER
_SEQUENCE: Final = Tag.SEQUENCE
_IP_ADDRESS: Final = Tag.IP_ADDRESS
_OPAQUE: Final = Tag.OPAQUE
_NO_SUCH_OBJECT: Final = Tag.NO_SUCH_OBJECT
_NO_SUCH_INSTANCE: Final = Tag.NO_SUCH_INSTANCE
_END_OF_MIB_VIEW: Final = Tag.END_OF_MIB_VIEW
_UNSIGNED_MAX: Final = {
    Tag.COUNTER32: 2**32 - 1,
    Tag.GAUGE32: 2**32 - 1,
    Tag.TIMETICKS: 2**32 - 1,
    Tag.COUNTER64: 2**64 - 1,
}
_UNSIGNED_LIMIT: Final = {tag: top + 1 for tag, top in _UNSIGNED_MAX.items()}


# --- reading ----------------------------------------------------------------------------


def read_length(buf: bytes, pos: int) -> tuple[int, int]:
    """The length octets at ``pos``: (content start, content length)."""
    first = buf[pos]
    if first < 0x80:
        return pos + 1, first
    count = first & 0x7F
    if count == 0:
        raise BerError("indefinite length")
    if count > _MAX_LENGTH_OCTETS or pos + 1 + count > len(buf):
        raise BerError("bad long-form length")
    return pos + 1 + count, int.from_bytes(buf[pos + 1 : pos + 1 + count], "big")


def read_tlv(buf: bytes, pos: int, tag: int) -> tuple[int, int]:
    """(content start, content end) of the definite-length TLV with ``tag`` at ``pos``."""
    if pos + 1 >= len(buf) or buf[pos] != tag:
        raise BerError(f"no tag 0x{tag:02x} at {pos}")
    size = buf[pos + 1]
    if size < 0x80:  # the short form without a call: a message header reads a dozen TLVs
        start = pos + 2
    else:
        start, size = read_length(buf, pos + 1)
    end = start + size
    if end > len(buf):
        raise BerError("content runs past the end")
    return start, end


def read_integer(buf: bytes, pos: int) -> tuple[int, int]:
    """(value, next position) of the INTEGER at ``pos`` (any size: callers check ranges)."""
    start, end = read_tlv(buf, pos, _INTEGER)
    if end == start:
        raise BerError("INTEGER without contents")
    return int.from_bytes(buf[start:end], "big", signed=True), end


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


def decode_value(tag: int, content: bytes) -> Decoded:
    """A varbind value's contents, by its tag, within the SNMP type's constraints."""
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
    if len(buf) < 2 or buf[0] != _SEQUENCE:
        raise BerError("not a SEQUENCE")
    # the exporter's hottest loop: read_length inline-called, no TLV helper per field
    length = read_length
    pos, size = length(buf, 1)
    end = pos + size
    if end != len(buf):
        raise BerError("VarBindList length does not match its bytes")
    out: list[VarBind] = []
    append = out.append
    while pos < end:
        if buf[pos] != _SEQUENCE or pos + 1 >= end:
            raise BerError("varbind is not a SEQUENCE")
        pos, size = length(buf, pos + 1)
        bind_end = pos + size
        if bind_end > end or pos + 1 >= bind_end or buf[pos] != _OID:
            raise BerError("varbind name is not an OID")
        pos, size = length(buf, pos + 1)
        name = decode_oid(buf[pos : pos + size])
        pos += size
        if pos + 1 >= bind_end:
            raise BerError("varbind without a value")
        tag = buf[pos]
        pos, size = length(buf, pos + 1)
        if pos + size != bind_end:
            raise BerError("varbind length does not match its value")
        append((name, decode_value(tag, buf[pos:bind_end])))
        pos = bind_end
    return out


# --- writing ----------------------------------------------------------------------------


def encode_length(size: int) -> bytes:
    """BER length octets, minimal, as pyasn1 writes them."""
    if size < 0x80:
        return bytes((size,))
    body = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, body: bytes) -> bytes:
    """Tag, length and ``body``."""
    size = len(body)
    if size < 0x80:
        return bytes((tag, size)) + body
    return bytes((tag,)) + encode_length(size) + body


def _integer_body(value: int) -> bytes:
    # pyasn1's size: one octet more than minimal for some negatives (-128 is ff 80)
    return value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True)


def encode_integer(value: int) -> bytes:
    """An INTEGER of any size (the SNMP message's own fields are not Integer32-bound)."""
    # _integer_body inline: four of these per request
    return tlv(_INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def encode_unsigned(tag: int, value: int) -> bytes:
    """Counter32, Gauge32, TimeTicks or Counter64; a value out of range is an error."""
    limit = _UNSIGNED_LIMIT.get(tag)
    if limit is None:
        raise BerError(f"tag 0x{tag:02x} is not an unsigned type")
    if not 0 <= value < limit:
        raise BerError(f"value {value} out of range for tag 0x{tag:02x}")
    return tlv(tag, _integer_body(value))


def encode_octet_string(value: bytes) -> bytes:
    return tlv(_OCTET_STRING, value)


def encode_ip_address(packed: bytes) -> bytes:
    """An IpAddress from its 4 octets (``ipaddress.IPv4Address(…).packed``)."""
    if len(packed) != 4:
        raise BerError("IpAddress is not 4 octets")
    return tlv(_IP_ADDRESS, packed)


def oid_contents(oid: Sequence[int]) -> bytes:
    """OBJECT IDENTIFIER contents, as pyasn1 encodes them (the first two arcs in one)."""
    if len(oid) < 2 or oid[0] > 2 or (oid[0] < 2 and oid[1] > 39):
        raise BerError(f"cannot encode OID {oid_text(tuple(oid))}")
    out = bytearray()
    try:
        for arc in (oid[0] * 40 + oid[1], *oid[2:]):
            if arc < 0x80:  # most arcs: one octet (a negative one fails the append)
                out.append(arc)
                continue
            chunk = [arc & 0x7F]
            arc >>= 7
            while arc:
                chunk.append(0x80 | (arc & 0x7F))
                arc >>= 7
            out.extend(reversed(chunk))
    except ValueError:
        raise BerError(f"negative arc in OID {oid_text(tuple(oid))}") from None
    return bytes(out)


def encode_oid(oid: Sequence[int]) -> bytes:
    """An OBJECT IDENTIFIER, tag and length included."""
    return tlv(_OID, oid_contents(oid))


def encode_varbind(encoded_oid: bytes, encoded_value: bytes) -> bytes:
    return tlv(_SEQUENCE, encoded_oid + encoded_value)


def encode_request_varbinds(oids: Iterable[Oid]) -> bytes:
    """The VarBindList of a GET/GETNEXT/GETBULK request: each OID with a NULL value."""
    body = bytearray()
    for oid in oids:
        name = tlv(_OID, oid_contents(oid))
        body += tlv(_SEQUENCE, name + b"\x05\x00")
    return tlv(_SEQUENCE, bytes(body))
