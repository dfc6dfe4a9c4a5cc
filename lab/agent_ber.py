"""The few BER encodings the lab's agents need to pre-build their answers.

The agents keep every record's OID, and every static value, as encoded bytes, so
answering a request joins bytes instead of building pyasn1 objects per varbind. The
encodings are the ones pyasn1's BER encoder produces for the same SNMP types (checked by
the tests against pyasn1 itself).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "COUNTER32",
    "COUNTER64",
    "END_OF_MIB_VIEW",
    "GAUGE32",
    "INTEGER",
    "IP_ADDRESS",
    "NO_SUCH_INSTANCE",
    "NO_SUCH_OBJECT",
    "NULL",
    "OBJECT_IDENTIFIER",
    "OCTET_STRING",
    "TIMETICKS",
    "integer",
    "length",
    "oid",
    "tlv",
    "unsigned",
    "varbind",
]

# BER tags of the SNMP types (RFC 2578 application types: class 0x40)
INTEGER, OCTET_STRING, NULL_TAG, OBJECT_IDENTIFIER = 0x02, 0x04, 0x05, 0x06
IP_ADDRESS, COUNTER32, GAUGE32, TIMETICKS, COUNTER64 = 0x40, 0x41, 0x42, 0x43, 0x46
SEQUENCE = 0x30

NULL = b"\x05\x00"
NO_SUCH_OBJECT = b"\x80\x00"
NO_SUCH_INSTANCE = b"\x81\x00"
END_OF_MIB_VIEW = b"\x82\x00"

_UNSIGNED_MAX = {COUNTER32: 1 << 32, GAUGE32: 1 << 32, TIMETICKS: 1 << 32, COUNTER64: 1 << 64}


def length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes((tag, n)) + body
    return bytes((tag,)) + length(n) + body


def _int_body(value: int) -> bytes:
    # minimal two's complement, as pyasn1 writes it (0 is one zero octet)
    return value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True)


def integer(value: int) -> bytes:
    return tlv(INTEGER, _int_body(value))


def unsigned(tag: int, value: int) -> bytes:
    """Counter32, Gauge32, TimeTicks or Counter64; a value out of range is an error."""
    if not 0 <= value < _UNSIGNED_MAX[tag]:
        raise ValueError(f"value {value} out of range for tag {tag:#x}")
    return tlv(tag, _int_body(value))


def _arc(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def oid(arcs: Sequence[int]) -> bytes:
    """An OBJECT IDENTIFIER, tag and length included."""
    if len(arcs) < 2 or arcs[0] > 2 or (arcs[0] < 2 and arcs[1] > 39):
        raise ValueError(f"not an OID: {arcs}")
    body = _arc(arcs[0] * 40 + arcs[1]) + b"".join(_arc(a) for a in arcs[2:])
    return tlv(OBJECT_IDENTIFIER, body)


def varbind(encoded_oid: bytes, encoded_value: bytes) -> bytes:
    return tlv(SEQUENCE, encoded_oid + encoded_value)
