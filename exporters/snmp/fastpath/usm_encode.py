"""Our SNMPv3 requests encoded by hand where pysnmp's USM encodes them with pyasn1.

pysnmp's USM encodes three things per request: the scoped PDU (before encryption), the
USM security parameters (with the digest placeholder) and the whole message. Each is
encoded here exactly as pyasn1 would, but only when every part is one we know (set,
with the universal tags, our pre-encoded GET/GETBULK inside); anything else goes to
pyasn1. Requests are checked byte for byte against pysnmp's in
``tests/exporters/test_ber_usm.py``.
"""

from __future__ import annotations

from typing import Any

from pyasn1.codec.ber import encoder as pyasn1_encoder
from pyasn1.type import univ
from pysnmp.proto.mpmod import rfc3412 as mp_v3
from pysnmp.proto.secmod.rfc3414 import service as usm

from edunet.ber import Tag, encode_integer, encode_octet_string, tlv
from exporters.snmp.fastpath.message import encode_pdu, is_value
from exporters.snmp.fastpath.models import LazyScopedPDU, LazySNMPv3Message

_OCTETS_TAGS = univ.OctetString.tagSet
_SEQUENCE = Tag.SEQUENCE  # module globals: read per TLV, one lookup each
_INTEGER_TAGS = univ.Integer.tagSet


def _octets(component: Any) -> bytes | None:
    if not is_value(component) or component.tagSet != _OCTETS_TAGS:
        return None
    return encode_octet_string(component.asOctets())


def _int(component: Any) -> bytes | None:
    if not is_value(component) or component.tagSet != _INTEGER_TAGS:
        return None
    return encode_integer(int(component))


def _sequence(parts: list[bytes | None]) -> bytes | None:
    if None in parts:
        return None
    return tlv(_SEQUENCE, b"".join(parts))  # type: ignore[arg-type]


def _components(value: Any, count: int) -> list[Any]:
    return [value.getComponentByPosition(i, instantiate=False) for i in range(count)]


def encode_scoped_pdu(scoped: Any) -> bytes | None:
    """Our GET/GETBULK in a scoped PDU, as pyasn1 encodes it; None otherwise."""
    if type(scoped) not in (mp_v3.ScopedPDU, LazyScopedPDU):
        return None
    engine_id, name, data = _components(scoped, 3)
    if not is_value(data):
        return None
    return _sequence([_octets(engine_id), _octets(name), encode_pdu(data.getComponent())])


def encode_usm_parameters(params: Any) -> bytes | None:
    if type(params) is not usm.UsmSecurityParameters:
        return None
    c = _components(params, 6)
    return _sequence([_octets(c[0]), _int(c[1]), _int(c[2]), *map(_octets, c[3:])])


def encode_v3_message(msg: Any) -> bytes | None:
    """An SNMPv3 request message carrying an encrypted PDU or our plaintext request."""
    if type(msg) is not LazySNMPv3Message:
        return None
    version, header, params, data = _components(msg, 4)
    if not is_value(header) or not is_value(data):
        return None
    h = _components(header, 4)
    chosen = data.getComponent()
    payload = _octets(chosen) if chosen.tagSet == _OCTETS_TAGS else encode_scoped_pdu(chosen)
    return _sequence(
        [
            _int(version),
            _sequence([_int(h[0]), _int(h[1]), _octets(h[2]), _int(h[3])]),
            _octets(params),
            payload,
        ]
    )


_ENCODERS = (encode_scoped_pdu, encode_usm_parameters, encode_v3_message)


class _Encoder:
    """pyasn1's ``encoder`` module, with the v3 request's parts encoded by hand."""

    @staticmethod
    def encode(value: Any, asn1Spec: Any = None, **options: Any) -> bytes:
        if asn1Spec is None and not options:
            for encode in _ENCODERS:
                fast = encode(value)
                if fast is not None:
                    return fast
        return pyasn1_encoder.encode(value, asn1Spec=asn1Spec, **options)  # type: ignore[no-any-return]


FAST_ENCODER = _Encoder()
