"""The direct path against pysnmp: the requests it sends and the answers it takes.

Requests: pysnmp's own engine (the stock one of ``test_ber_usm``'s pair, which has
discovered an agent) and the direct path encode the same GETBULK with the same msgID,
request-id, clock and salt; the bytes must be identical, v2c and v3 authPriv alike.
Answers: a Response built the way an agent builds it (pysnmp's HMAC and AES) is taken;
one with a wrong key, another user, an old clock, damaged bytes, from another address or
for a request not ours is left to pysnmp, and the agent's direct state is dropped where
the message claimed to answer one of our requests.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import encoder
from pysnmp.proto import rfc1902
from pysnmp.proto.api import v2c
from test_ber_usm import (
    _MSG_IDS,
    AGENT_ID,
    AUTH,
    PAIR,
    PRIV,
    USER,
    _agent_message,
    _keys,
    _response,
    _scoped,
    _send,
    oids,
)

from edunet.ber import decode_varbind_list, encode_request_varbinds
from edunet.secrets import Secret, SnmpCredentials
from exporters.snmp import discovery
from exporters.snmp.fastpath import direct
from exporters.snmp.fastpath.models import request_pdu

V3 = SnmpCredentials(
    "d3", "v3", None, USER.decode(), "sha", Secret(AUTH.decode()), "aes", Secret(PRIV.decode())
)
V2C = SnmpCredentials("d2", "v2c", Secret("public"), None, None, None, None, None)
ADDRESS = ("127.0.79.1", 161)
EXAMPLES = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
_KNOWN = direct.Direct()
_KNOWN.learn(V3, ADDRESS, AGENT_ID, 7, PAIR.clock)  # keys localised once: a megabyte of SHA-1


def _known() -> direct.Direct:
    """A direct path that knows the pair's agent as pysnmp does (boots 7, its clock)."""
    path = direct.Direct()
    path.peers[ADDRESS, V3] = dataclasses.replace(_KNOWN.peers[ADDRESS, V3], stamp=time.monotonic())
    return path


def test_localised_keys_are_pysnmp_s() -> None:
    auth, priv = _keys(AUTH, PRIV, AGENT_ID)
    assert direct.localised_keys(V3, AGENT_ID) == (auth.asOctets(), priv.asOctets()[:16])


@EXAMPLES
@given(st.lists(oids, min_size=1, max_size=12), st.integers(0, 50), st.integers(0, 2**64 - 1))
def test_v3_requests_are_pysnmp_s_byte_for_byte(names: Any, repetitions: int, salt: int) -> None:
    msg_id = next(_MSG_IDS)
    pdu = request_pdu(names, repetitions)
    pdu.setComponentByPosition(0, msg_id)
    stock = _send(PAIR.engines[0], msg_id, pdu, 3, salt)
    # the clock pysnmp holds now (other tests' Reports move it), as the exporter learns it
    boots, clock = discovery.engine_clock(PAIR.engines[0], AGENT_ID) or (0, 0)
    peer = dataclasses.replace(_known().peers[ADDRESS, V3], boots=boots, engine_time=clock)
    body = direct.encode_pdu(msg_id, repetitions, encode_request_varbinds(names))
    assert direct.encode_v3(peer, msg_id, body, salt.to_bytes(8, "big"), peer.stamp) == stock


@EXAMPLES
@given(st.lists(oids, min_size=1, max_size=12), st.integers(0, 50), st.integers(1, 2**31 - 1))
def test_v2c_requests_are_pysnmp_s_byte_for_byte(
    names: Any, repetitions: int, request_id: int
) -> None:
    pdu = request_pdu(names, repetitions)
    pdu.setComponentByPosition(0, request_id)
    message = v2c.Message()
    v2c.apiMessage.set_defaults(message)
    v2c.apiMessage.set_community(message, "public")
    v2c.apiMessage.set_pdu(message, pdu)
    ours = direct.encode_pdu(request_id, repetitions, encode_request_varbinds(names))
    assert direct.encode_v2c(b"public", ours) == encoder.encode(message)


VARBINDS = [
    (v2c.ObjectIdentifier("1.3.6.1.2.1.2.2.1.2.1"), rfc1902.OctetString(b"Gi1/0/1")),
    (v2c.ObjectIdentifier("1.3.6.1.2.1.31.1.1.1.6.1"), rfc1902.Counter64(2**40)),
]
FAULTS = {
    "auth key": {"keys": _keys(b"another-auth-key", PRIV, AGENT_ID)},
    "priv key": {"keys": _keys(AUTH, b"another-priv-key", AGENT_ID)},
    "user": {"user": b"someone-else"},
    "old clock": {"boots": 6},
    "another engine": {"engine_id": AGENT_ID + b"\x01"},
}


def _exchange(wire_for: Any, address: tuple[str, int] = ADDRESS) -> tuple[bool, Any, bool]:
    """(taken, what the request's future holds, the peer still known)."""

    async def main() -> tuple[bool, Any, bool]:
        path = _known()
        request = _Request(asyncio.get_running_loop().create_future())
        made = path.request(V3, ADDRESS, encode_request_varbinds([(1, 3, 6, 1)]), 10, request)
        assert made is not None
        taken = path.receive(wire_for(made[0]), address)
        result = request.future.result() if request.future.done() else None
        return taken, result, (ADDRESS, V3) in path.peers

    return asyncio.run(main())


@dataclasses.dataclass
class _Request:
    future: asyncio.Future[Any]
    answered_by: int | None = None

    def signal(self, what: Any) -> None:
        if not self.future.done():
            self.future.set_result(what)


def _answer(key: int, **fault: Any) -> bytes:
    scoped = _scoped(_response(key, VARBINDS))
    return _agent_message(key, scoped, boots=fault.pop("boots", 7), clock=PAIR.clock, **fault)


def test_an_agent_s_response_is_taken() -> None:
    taken, answer, known = _exchange(_answer)
    assert taken and known
    assert (answer.status, answer.index) == (0, 0)
    expected = [(tuple(n), v) for n, v in ((VARBINDS[0][0], b"Gi1/0/1"), (VARBINDS[1][0], 2**40))]
    assert decode_varbind_list(answer.varbinds) == expected


@pytest.mark.parametrize("fault", FAULTS)
def test_a_response_that_does_not_check_goes_to_pysnmp(fault: str) -> None:
    taken, answer, known = _exchange(lambda key: _answer(key, **FAULTS[fault]))
    assert (taken, answer, known) == (False, None, False)


def test_damaged_foreign_and_unknown_messages_go_to_pysnmp() -> None:
    def damaged(key: int) -> bytes:
        wire = bytearray(_answer(key))
        wire[-3] ^= 0x40  # in the ciphertext: the digest no longer checks
        return bytes(wire)

    assert _exchange(damaged)[:2] == (False, None)
    assert _exchange(_answer, ("127.0.79.2", 161))[:2] == (False, None)
    assert _exchange(lambda key: _answer(key + 1)) == (False, None, True)
    assert _exchange(lambda key: b"\x30\x03\x02\x01\x03") == (False, None, True)


def test_v2c_answers_match_id_address_and_community() -> None:
    def exchange(community: bytes, address: tuple[str, int], shift: int = 0) -> bool:
        async def main() -> bool:
            path = direct.Direct()
            request = _Request(asyncio.get_running_loop().create_future())
            made = path.request(V2C, ADDRESS, encode_request_varbinds([(1, 3, 6, 1)]), 0, request)
            assert made is not None
            pdu = _response(made[0] + shift, VARBINDS)
            message = v2c.Message()
            v2c.apiMessage.set_defaults(message)
            v2c.apiMessage.set_community(message, community)
            v2c.apiMessage.set_pdu(message, pdu)
            return path.receive(encoder.encode(message), address)

        return asyncio.run(main())

    assert exchange(b"public", ADDRESS)
    assert not exchange(b"private", ADDRESS)
    assert not exchange(b"public", ("127.0.79.2", 161))
    assert not exchange(b"public", ADDRESS, shift=1)


def test_a_peer_unrefreshed_for_long_is_left_to_pysnmp() -> None:
    path = _known()
    path.peers[ADDRESS, V3].stamp = time.monotonic() - 301
    assert path.request(V3, ADDRESS, b"\x30\x00", 10, object()) is None
    assert (ADDRESS, V3) not in path.peers


@pytest.mark.parametrize("passphrase", ["auth-key-1", "a" * 64, "é-passphrase-longer-than-64-" * 3])
def test_passphrase_keys_are_pysnmp_s(passphrase: str) -> None:
    credentials = dataclasses.replace(V3, auth_key=Secret(passphrase), priv_key=Secret(passphrase))
    auth, priv = _keys(passphrase, passphrase, AGENT_ID)  # type: ignore[arg-type]  # as pysnmp is given it
    assert direct.localised_keys(credentials, AGENT_ID) == (auth.asOctets(), priv.asOctets()[:16])
