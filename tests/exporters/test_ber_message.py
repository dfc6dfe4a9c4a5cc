"""The hand-written message header paths against pyasn1/pysnmp on generated messages:
same fields where the fast path answers, and it declines whatever pyasn1 would reject."""

from __future__ import annotations

from typing import Any

from ber_damage import damage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import rfc1902
from pysnmp.proto.api import v2c, verdec

from exporters.snmp.fastpath.message import (
    FAST_DECODER,
    encode_request,
    fast_message_version,
    fast_v2c_message,
)
from exporters.snmp.fastpath.models import LazyMessage, request_pdu

EXAMPLES = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

int32 = st.one_of(
    st.integers(-(2**31), 2**31 - 1), st.sampled_from([-(2**31), -1, 0, 127, 128, 2**31 - 1])
)
oids = st.builds(
    lambda second, rest: (1, 3, second, *rest),
    st.integers(0, 300),
    st.lists(st.integers(0, 2**32), max_size=12),
)
varbinds = st.lists(
    st.tuples(
        oids,
        st.one_of(
            st.integers(0, 2**32 - 1).map(rfc1902.Counter32),
            st.binary(max_size=200).map(rfc1902.OctetString),
            int32.map(rfc1902.Integer32),
        ),
    ),
    max_size=40,
)


def _message(
    vbs: Any, request_id: int, status: int, index: int, community: bytes, version: int
) -> bytes:
    pdu = v2c.ResponsePDU()
    v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_request_id(pdu, request_id)
    v2c.apiPDU.set_error_status(pdu, status)
    v2c.apiPDU.set_error_index(pdu, index)
    v2c.apiPDU.set_varbinds(pdu, vbs)
    msg = v2c.Message()
    v2c.apiMessage.set_defaults(msg)
    msg.setComponentByPosition(0, version)
    v2c.apiMessage.set_community(msg, community)
    v2c.apiMessage.set_pdu(msg, pdu)
    return encoder.encode(msg)  # type: ignore[no-any-return]


def _fields(msg: Any) -> tuple[Any, ...]:
    pdu = msg.getComponentByPosition(2).getComponent()
    return (
        int(msg.getComponentByPosition(0)),
        bytes(msg.getComponentByPosition(1)),
        pdu.tagSet,
        int(pdu.getComponentByPosition(0)),
        int(pdu.getComponentByPosition(1)),
        int(pdu.getComponentByPosition(2)),
        pdu.getComponentByPosition(3).asOctets(),
    )


def _reference(wire: bytes) -> tuple[Any, ...] | None:
    try:
        msg, rest = decoder.decode(wire, asn1Spec=LazyMessage())
    except Exception:  # pyasn1 raises more than PyAsn1Error on some damage
        return None
    return None if rest else _fields(msg)


def _check(wire: bytes) -> None:
    """The fast path answers like pyasn1, or declines (and pyasn1 then answers)."""
    reference = _reference(wire)
    fast = fast_v2c_message(wire)
    if fast is not None:
        assert reference is not None, "the fast path accepted what pyasn1 rejects"
        assert _fields(fast) == reference
    try:
        through = _fields(FAST_DECODER.decode(wire, asn1Spec=LazyMessage())[0])
    except Exception:
        through = None
    if reference is not None:
        assert through == reference
    try:
        expected: Any = int(verdec.decode_message_version(wire))
    except Exception as exc:  # the same exception, whatever it is
        expected = type(exc)
    try:
        version: Any = int(fast_message_version(wire))
    except Exception as exc:
        version = type(exc)
    assert version == expected


messages = st.builds(
    _message,
    varbinds,
    int32,
    st.integers(0, 2**31 - 1),
    st.integers(0, 2**31 - 1),
    st.binary(max_size=300),
    st.sampled_from([0, 1, 3, 255]),
)


@EXAMPLES
@given(messages)
def test_v2c_responses_decode_the_same(wire: bytes) -> None:
    assert fast_v2c_message(wire) is not None  # what agents send is the fast path's case
    _check(wire)


@EXAMPLES
@given(messages, st.data())
def test_damaged_messages_decode_the_same(wire: bytes, data: st.DataObject) -> None:
    _check(damage(wire, data, front=40))  # the header is in front


@EXAMPLES
@given(
    st.lists(oids, min_size=1, max_size=30),
    st.integers(0, 100),
    int32,
    st.binary(max_size=300),
)
def test_requests_encode_like_pyasn1(
    names: Any, repetitions: int, request_id: int, community: bytes
) -> None:
    pdu = request_pdu(names, repetitions)
    pdu.setComponentByPosition(0, request_id)
    msg = LazyMessage()
    msg.setComponentByPosition(0, 1)
    msg.setComponentByPosition(1, community)
    msg.setComponentByPosition(2)
    msg.getComponentByPosition(2).setComponentByType(
        pdu.tagSet, pdu, verifyConstraints=False, matchTags=False, matchConstraints=False
    )
    assert encode_request(msg) == encoder.encode(msg)


def test_other_values_go_to_pyasn1() -> None:
    assert encode_request(v2c.Message()) is None
    assert fast_v2c_message(b"\x30\x80\x02\x01\x01\x00\x00") is None  # indefinite length
