"""The core BER codec and the lazy models against pysnmp/pyasn1 on generated PDUs: same
values, same errors."""

from __future__ import annotations

from typing import Any

import pytest
from ber_damage import damage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import rfc1902, rfc1905
from pysnmp.proto.api import v2c
from pysnmp.proto.mpmod import rfc3412

from edunet.ber import (
    ENCODED_END_OF_MIB_VIEW,
    ENCODED_NO_SUCH_INSTANCE,
    ENCODED_NULL,
    END_OF_MIB_VIEW,
    BerError,
    Tag,
    decode_oid,
    decode_value,
    decode_varbind_list,
    encode_integer,
    encode_ip_address,
    encode_octet_string,
    encode_oid,
    encode_request_varbinds,
    encode_unsigned,
    encode_varbind,
    oid_contents,
    read_integer,
    read_tlv,
    tlv,
)
from exporters.snmp import pdu as plain
from exporters.snmp.fastpath.models import LazyMessage, LazyScopedPDU, request_pdu
from exporters.snmp.pdu import decode_with_pyasn1, response_varbinds

EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

arcs = st.one_of(st.integers(0, 127), st.integers(128, 2**32), st.sampled_from([2**63, 2**64 + 1]))
oids = st.builds(
    lambda first, second, rest: (first, second, *rest),
    st.integers(0, 2),
    st.integers(0, 39),
    st.lists(arcs, min_size=0, max_size=40),
) | st.builds(lambda second, rest: (2, second, *rest), st.integers(40, 2**20), st.lists(arcs))


def _unsigned(kind: Any, bits: int) -> st.SearchStrategy[Any]:
    top = 2**bits - 1
    return st.one_of(st.integers(0, top), st.sampled_from([0, 1, 127, 128, 255, top])).map(kind)


values = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(rfc1902.Integer32),
    st.sampled_from([-(2**31), -1, 0, 2**31 - 1]).map(rfc1902.Integer32),
    _unsigned(rfc1902.Counter32, 32),
    _unsigned(rfc1902.Gauge32, 32),
    _unsigned(rfc1902.TimeTicks, 32),
    _unsigned(rfc1902.Counter64, 64),
    st.binary(max_size=300).map(rfc1902.OctetString),
    st.binary(min_size=4, max_size=4).map(rfc1902.IpAddress),
    st.binary(max_size=20).map(rfc1902.Opaque),
    oids.map(rfc1902.ObjectIdentifier),
    st.sampled_from([rfc1905.noSuchObject, rfc1905.noSuchInstance, rfc1905.endOfMibView]),
    st.just(rfc1905.unSpecified),
)
varbind_lists = st.lists(st.tuples(oids, values), max_size=60)
error_fields = st.tuples(st.integers(0, 2**31 - 1), st.integers(0, 18), st.integers(0, 60))


def _response(varbinds: list[tuple[Any, Any]], fields: tuple[int, int, int]) -> Any:
    pdu = v2c.ResponsePDU()
    v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_request_id(pdu, fields[0])
    v2c.apiPDU.set_error_status(pdu, fields[1])
    v2c.apiPDU.set_error_index(pdu, fields[2])
    v2c.apiPDU.set_varbinds(pdu, varbinds)
    return pdu


def _reference(pdu: Any) -> tuple[tuple[int, int, int], list[tuple[Any, Any]]]:
    head = (int(pdu[0]), int(pdu[1]), int(pdu[2]))
    return head, decode_with_pyasn1(encoder.encode(pdu[3]))


def _fast(pdu: Any) -> tuple[tuple[int, int, int], list[tuple[Any, Any]]]:
    return (int(pdu[0]), int(pdu[1]), int(pdu[2])), response_varbinds(pdu)


@EXAMPLES
@given(varbind_lists, error_fields, st.binary(max_size=20))
def test_v2c_message_decodes_the_same(varbinds: Any, fields: Any, community: bytes) -> None:
    msg = v2c.Message()
    v2c.apiMessage.set_defaults(msg)
    v2c.apiMessage.set_community(msg, community)
    v2c.apiMessage.set_pdu(msg, _response(varbinds, fields))
    wire = encoder.encode(msg)
    full, _ = decoder.decode(wire, asn1Spec=v2c.Message())
    lazy, _ = decoder.decode(wire, asn1Spec=LazyMessage())
    assert bytes(lazy[1]) == community
    assert _fast(lazy[2].getComponent()) == _reference(full[2].getComponent())


@EXAMPLES
@given(varbind_lists, error_fields, st.binary(max_size=32), st.binary(max_size=32))
def test_v3_scoped_pdu_decodes_the_same(
    varbinds: Any, fields: Any, engine_id: bytes, context: bytes
) -> None:
    scoped = rfc3412.ScopedPDU()
    scoped.setComponentByPosition(0, engine_id)
    scoped.setComponentByPosition(1, context)
    scoped.setComponentByPosition(2)
    pdu = _response(varbinds, fields)
    scoped.getComponentByPosition(2).setComponentByType(pdu.tagSet, pdu, matchTags=False)
    wire = encoder.encode(scoped)
    full, _ = decoder.decode(wire, asn1Spec=rfc3412.ScopedPDU())
    lazy, _ = decoder.decode(wire, asn1Spec=LazyScopedPDU())
    assert (bytes(lazy[0]), bytes(lazy[1])) == (engine_id, context)
    assert _fast(lazy[2].getComponent()) == _reference(full[2].getComponent())


def _outcome(decode: Any, raw: bytes) -> Any:
    try:
        return decode(raw)
    except PyAsn1Error:
        return "rejected"


@EXAMPLES
@given(varbind_lists.filter(bool), st.data())
def test_damaged_varbinds_fail_the_same(varbinds: Any, data: st.DataObject) -> None:
    raw_bytes = damage(encoder.encode(_response(varbinds, (1, 0, 0))[3]), data, flips=1)
    try:
        reference = decode_with_pyasn1(raw_bytes)
    except PyAsn1Error:
        reference = None
    try:
        fast = decode_varbind_list(raw_bytes)
    except BerError:
        fast = None
    if reference is None:
        assert fast is None, "the fast decoder accepted what pyasn1 rejects"
    elif fast is not None:
        assert fast == reference
    # and the poll's path (fast, else pyasn1) answers exactly like pyasn1
    try:
        through = decode_varbind_list(raw_bytes)
    except BerError:
        try:
            through = decode_with_pyasn1(raw_bytes)
        except PyAsn1Error:
            through = None
    assert through == reference


@EXAMPLES
@given(st.lists(oids, min_size=1, max_size=30), st.integers(0, 100))
def test_request_varbinds_encode_like_pyasn1(names: Any, repetitions: int) -> None:
    ours = request_pdu(names, repetitions)
    theirs = plain.request_pdu(names, repetitions)  # pysnmp's own PDU, as the plain path sends
    v2c.apiPDU.set_request_id(theirs, 0)
    assert encoder.encode(ours) == encoder.encode(theirs)
    assert encode_request_varbinds(names) == encoder.encode(theirs[3])


@EXAMPLES
@given(oids)
def test_oid_round_trip(oid: tuple[int, ...]) -> None:
    assert decode_oid(oid_contents(oid)) == oid


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x30",
        b"\x30\x80\x00\x00",  # indefinite length: pyasn1 takes it, we hand it over
        b"\x30\x05\x30\x03\x06\x01\x2b",  # varbind without a value
        b"\x30\x07\x30\x05\x06\x01\x2b\x05\x01",  # NULL longer than its bytes
        b"\x30\x08\x30\x06\x06\x01\x2b\x41\x01\xff",  # negative Counter32
        b"\x30\x0b\x30\x09\x06\x01\x2b\x40\x03\x0a\x00\x01",  # 3-octet IpAddress
        b"\x30\x0b\x30\x09\x06\x01\x2b\x02\x05\x01\x00\x00\x00\x00",  # > Integer32
        b"\x30\x08\x30\x06\x06\x02\x2b\x80\x05\x00",  # OID arc with a leading 0x80
        b"\x30\x08\x30\x06\x06\x01\x2b\x47\x01\x01",  # unknown application tag
    ],
)
def test_edge_cases_agree(raw: bytes) -> None:
    reference = _outcome(decode_with_pyasn1, raw)
    try:
        fast = decode_varbind_list(raw)
    except BerError:
        return  # the poll falls back to pyasn1, which answers ``reference``
    assert fast == reference


def test_values_are_plain() -> None:
    vbs = [
        ((1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 1), rfc1902.Counter64(2**64 - 1)),
        ((1, 3, 6, 1, 4, 1, 2**32 - 1, 7), rfc1902.Integer32(-(2**31))),
        ((1, 3, 6, 1, 2), rfc1902.IpAddress("10.1.2.3")),
        ((1, 3, 6, 1, 3), rfc1902.ObjectIdentifier("1.3.6.1.4.1.2636")),
        ((1, 3, 6, 1, 4), rfc1902.OctetString(b"")),
        ((1, 3, 6, 1, 5), rfc1905.noSuchInstance),
        ((1, 3, 6, 1, 6), rfc1905.endOfMibView),
    ]
    raw = encoder.encode(_response(vbs, (1, 0, 0))[3])
    assert [v for _, v in decode_varbind_list(raw)] == [
        2**64 - 1,
        -(2**31),
        "10.1.2.3",
        "1.3.6.1.4.1.2636",
        b"",
        None,
        END_OF_MIB_VIEW,
    ]


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        (b"", 0x30),
        (b"\x30", 0x30),  # no length octet
        (b"\x04\x00", 0x30),  # another tag
        (b"\x30\x80\x00\x00", 0x30),  # indefinite length
        (b"\x30\x85\x00\x00\x00\x00\x01\x00", 0x30),  # five length octets
        (b"\x30\x82\x01", 0x30),  # length octets cut short
        (b"\x30\x03\x02\x01", 0x30),  # contents cut short
    ],
)
def test_read_tlv_refuses(raw: bytes, tag: int) -> None:
    with pytest.raises(BerError):
        read_tlv(raw, 0, tag)


def test_read_tlv_and_integer() -> None:
    body = encode_integer(-129) + encode_integer(2**31)
    raw = b"\x30\x81" + bytes((len(body),)) + body  # a long form where the short one would do
    assert read_tlv(raw, 0, Tag.SEQUENCE) == (3, len(raw))
    value, at = read_integer(raw, 3)
    assert value == -129 and read_integer(raw, at) == (2**31, len(raw))
    with pytest.raises(BerError):
        read_integer(b"\x02\x00", 0)  # an INTEGER has at least one octet


@pytest.mark.parametrize(
    ("encoded", "value"),
    [
        (encode_integer(-(2**31)), -(2**31)),
        (encode_unsigned(Tag.COUNTER64, 2**64 - 1), 2**64 - 1),
        (encode_unsigned(Tag.TIMETICKS, 0), 0),
        (encode_octet_string(b"\x00\xff" * 100), b"\x00\xff" * 100),
        (encode_ip_address(bytes((10, 1, 2, 3))), "10.1.2.3"),
        (encode_oid((1, 3, 6, 1, 4, 1, 2**32 - 1)), "1.3.6.1.4.1.4294967295"),
        (ENCODED_NULL, None),
        (ENCODED_NO_SUCH_INSTANCE, None),
        (ENCODED_END_OF_MIB_VIEW, END_OF_MIB_VIEW),
    ],
)
def test_what_is_encoded_decodes_back(encoded: bytes, value: Any) -> None:
    start, end = read_tlv(encoded, 0, encoded[0])
    assert decode_value(encoded[0], encoded[start:end]) == value
    varbinds = tlv(Tag.SEQUENCE, encode_varbind(encode_oid((1, 3, 6)), encoded))
    assert decode_varbind_list(varbinds) == [((1, 3, 6), value)]


def test_encoders_refuse_what_snmp_cannot_carry() -> None:
    for bad in (
        lambda: encode_unsigned(Tag.COUNTER32, 2**32),
        lambda: encode_unsigned(Tag.GAUGE32, -1),
        lambda: encode_unsigned(Tag.INTEGER, 1),  # not an unsigned type
        lambda: encode_ip_address(b"\x0a\x00\x00"),
        lambda: encode_oid((3, 1)),
        lambda: encode_oid((1, 3, -6)),
    ):
        with pytest.raises(BerError):
            bad()
