"""The agents' in-memory tables: the same bytes pyasn1 writes, the same answers snmpsim gave."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import rfc1902, rfc1905
from pysnmp.proto.api import v2c

from edunet import ber
from edunet.ber import Tag
from edunet.model import Inventory
from lab import snmprec
from lab.agent_responder import EncodedVarBinds, answer
from lab.agent_table import EndpointTable, Live, TableError, parse_oid
from lab.variation import edunet_live


def _pyasn1_varbind(oid: tuple[int, ...], value: Any) -> bytes:
    vb = rfc1905.VarBind()
    v2c.apiVarBind.set_oid_value(vb, (rfc1902.ObjectName(oid), value))
    return bytes(encoder.encode(vb))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (ber.encode_integer(0), rfc1902.Integer32(0)),
        (ber.encode_integer(127), rfc1902.Integer32(127)),
        (ber.encode_integer(128), rfc1902.Integer32(128)),
        (ber.encode_integer(-129), rfc1902.Integer32(-129)),
        (ber.encode_unsigned(Tag.COUNTER32, 0), rfc1902.Counter32(0)),
        (ber.encode_unsigned(Tag.COUNTER32, 2**32 - 1), rfc1902.Counter32(2**32 - 1)),
        (ber.encode_unsigned(Tag.GAUGE32, 1000), rfc1902.Gauge32(1000)),
        (ber.encode_unsigned(Tag.TIMETICKS, 2**31), rfc1902.TimeTicks(2**31)),
        (ber.encode_unsigned(Tag.COUNTER64, 2**64 - 1), rfc1902.Counter64(2**64 - 1)),
        (ber.encode_octet_string(b""), rfc1902.OctetString(b"")),
        (ber.encode_octet_string(b"x" * 300), rfc1902.OctetString(b"x" * 300)),
        (ber.encode_oid((1, 3, 6, 1, 4, 1, 2**32 - 1, 16384, 128)), rfc1902.ObjectIdentifier(
            (1, 3, 6, 1, 4, 1, 2**32 - 1, 16384, 128))),
        (ber.encode_ip_address(bytes((10, 0, 0, 1))), rfc1902.IpAddress("10.0.0.1")),
    ],
)  # fmt: skip
def test_encodings_match_pyasn1(ours: bytes, theirs: Any) -> None:
    assert ours == bytes(encoder.encode(theirs))


def test_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        ber.encode_unsigned(Tag.COUNTER32, 2**32)
    with pytest.raises(ValueError):
        ber.encode_unsigned(Tag.COUNTER64, -1)


def _snmpsim_value(tag: str, value: str) -> Any:
    """A static record's value as snmpsim builds it (its own grammar)."""
    from snmpsim.grammar.snmprec import SnmprecGrammar

    typ = SnmprecGrammar.TAG_MAP[tag.rstrip("x")]
    return typ(hexValue=value) if tag.endswith("x") else typ(value)


def test_every_record_encodes_as_snmpsim_and_pyasn1_would(small: Inventory) -> None:
    now = time.time()
    live = []
    for d in snmprec.lab_devices(small):
        lines = snmprec.device_records(small, d)
        table = EndpointTable.from_snmprec(("\n".join(lines) + "\n").encode())
        assert len(table) == len(lines)
        for i, line in enumerate(lines):
            oid_text, tag, value = line.split("|", 2)
            oid = parse_oid(oid_text)
            assert table.oid_at(i) == oid and table.find(oid) == i
            if ":" in tag:
                params = edunet_live.parse(value)
                got = table.varbind(i, lambda r: edunet_live.live_value(r.params, now, {}))
                typ = _snmpsim_value(tag.split(":")[0], "0").__class__
                want = _pyasn1_varbind(oid, typ(edunet_live.live_value(params, now, {})))
                live.append(oid)
            else:
                got = table.varbind(i, lambda r: None)
                want = _pyasn1_varbind(oid, _snmpsim_value(tag, value))
            assert got == want, line
    assert len(live) > 100


def test_unknown_types_and_modules_are_refused() -> None:
    with pytest.raises(TableError, match="line 1"):
        EndpointTable.from_snmprec(b"1.3.6.1.2.1.1.1.0|68|x\n")
    with pytest.raises(TableError, match="variation module"):
        EndpointTable.from_snmprec(b"1.3.6.1.2.1.1.1.0|2:numeric|x\n")


def _table() -> EndpointTable:
    rows = [f"1.3.6.1.2.1.2.2.1.{c}.{i}|2|{c * 100 + i}" for c in (2, 3) for i in (1, 2, 3)]
    rows.append("1.3.6.1.2.1.1.3.0|67:edunet_live|f=up,d=sw1,ph=0")
    return EndpointTable.from_snmprec("\n".join(rows).encode())


def _decode(payload: bytes) -> list[tuple[tuple[int, ...], Any]]:
    vbl, _ = decoder.decode(ber.tlv(Tag.SEQUENCE, payload), asn1Spec=rfc1905.VarBindList())
    return [(tuple(vb[0]), vb[1].getComponent(innerFlag=True)) for vb in vbl]


def test_get_next_and_bulk_answer_as_snmpsim_did() -> None:
    t = _table()
    col2, col3 = (1, 3, 6, 1, 2, 1, 2, 2, 1, 2), (1, 3, 6, 1, 2, 1, 2, 2, 1, 3)
    status, got = answer(t, [(*col2, 2), (*col2, 9)], "get")
    assert status == 0
    (o1, v1), (o2, v2) = _decode(got)
    assert (o1, int(v1)) == ((*col2, 2), 202)
    assert o2 == (*col2, 9) and v2.isSameTypeWith(rfc1905.noSuchInstance)
    assert [o for o, _ in _decode(answer(t, [col2, (*col3, 3)], "next")[1])] == [
        (*col2, 1),
        (*col3, 3),  # past the end: endOfMibView at the OID asked
    ]
    # GETBULK: one non-repeater, two columns, five repetitions
    rows = _decode(answer(t, [(1, 3, 6, 1, 2, 1, 1), col2, col3], "bulk", (1, 5))[1])
    assert rows[0][0] == (1, 3, 6, 1, 2, 1, 1, 3, 0)
    repeated = [(o, type(v).__name__) for o, v in rows[1:]]
    assert len(repeated) == 10
    assert repeated[0::2][:3] == [((*col2, i), "Integer") for i in (1, 2, 3)]
    assert repeated[1::2][:3] == [((*col3, i), "Integer") for i in (1, 2, 3)]
    assert repeated[7] == ((*col3, 3), "EndOfMibView")  # col3's walk ran off the table
    # repetitions stop once every column is past the end
    tail = _decode(answer(t, [(*col3, 2)], "bulk", (0, 5))[1])
    assert [(o, type(v).__name__) for o, v in tail] == [
        ((*col3, 3), "Integer"),
        ((*col3, 3), "EndOfMibView"),
    ]
    # the responder's cap on varbinds, then the size of the response
    assert len(_decode(answer(t, [col2, col3], "bulk", (0, 50), max_varbinds=4)[1])) == 4
    status, small = answer(t, [col2], "bulk", (0, 50), max_size=120)
    assert status == 0 and 0 < len(_decode(small)) < 7
    assert answer(t, [col2] * 8, "next", max_size=100) == (1, b"")  # tooBig


def test_live_records_are_computed_each_time() -> None:
    t = _table()
    i = t.find((1, 3, 6, 1, 2, 1, 1, 3, 0))
    record = t.varbind(i, lambda r: 5 if isinstance(r, Live) else None)
    assert record == _pyasn1_varbind((1, 3, 6, 1, 2, 1, 1, 3, 0), rfc1902.TimeTicks(5))


def test_encoded_varbinds_inside_a_pysnmp_pdu() -> None:
    t = _table()
    _, payload = answer(t, [(1, 3, 6, 1, 2, 1, 2, 2, 1, 2)], "bulk", (0, 3))
    request = v2c.GetBulkRequestPDU()
    v2c.apiBulkPDU.set_defaults(request)
    pdu = v2c.apiPDU.get_response(request)
    reference = v2c.apiPDU.get_response(request)
    v2c.apiPDU.set_varbinds(reference, _decode(payload))
    pdu.setComponentByPosition(3, EncodedVarBinds(payload), verifyConstraints=False)
    assert encoder.encode(pdu) == encoder.encode(reference)
