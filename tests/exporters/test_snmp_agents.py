"""What the exporter keeps per agent (round trips, engine IDs, accepted keys), and how it
makes pysnmp forget an agent's engine, without a network."""

from __future__ import annotations

import dataclasses

import pytest
from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity.engine import SnmpEngine

from edunet.ber import Tag, encode_integer, encode_octet_string, tlv
from edunet.secrets import Secret, SnmpCredentials
from exporters.snmp import discovery
from exporters.snmp.agents import (
    FIRST_RETRY_TIMEOUT_S,
    MIN_RETRY_TIMEOUT_S,
    NO_HINT,
    PRIVACY_HINT,
    Agent,
    auth_fingerprint,
)

V3 = SnmpCredentials("p", "v3", None, "u", "sha", Secret("auth-key-1"), "aes", Secret("priv-k"))
V2C = SnmpCredentials("p", "v2c", Secret("public"), None, None, None, None, None)
ADDRESS = ("192.0.2.7", 161)
OLD, NEW = bytes.fromhex("80001f8880aa"), bytes.fromhex("80001f8880bb")


def test_a_try_waits_a_few_round_trips_doubling_up_to_the_timeout() -> None:
    agent = Agent()
    assert agent.retry_timeout(2.0, 0) == FIRST_RETRY_TIMEOUT_S  # nothing measured yet
    assert agent.retry_timeout(0.5, 0) == 0.5  # never more than the request timeout
    agent.answered(0.001)
    first = agent.retry_timeout(2.0, 0)
    assert first == MIN_RETRY_TIMEOUT_S  # a loopback round trip is no reason to resend sooner
    assert [agent.retry_timeout(2.0, n) for n in range(1, 5)] == [0.4, 0.8, 0.8, 0.8]
    assert agent.retry_timeout(2.0, 10_000) == 0.8  # loss, not congestion: keep trying
    assert agent.retry_timeout(0.5, 3) == 0.5
    for _ in range(50):
        agent.answered(0.3)  # a slow agent: srtt follows, with room for its variance
    assert 0.3 < agent.retry_timeout(5.0, 0) < 0.5
    agent.answered(None)  # an answer not timed says nothing
    assert 0.3 < agent.retry_timeout(5.0, 0) < 0.5


def test_engine_id_changes_are_counted() -> None:
    agent = Agent()
    agent.saw_engine(OLD)
    agent.saw_engine(OLD)
    assert agent.engine_id_changes == 0
    agent.saw_engine(NEW)
    agent.saw_engine(NEW)
    agent.saw_engine(OLD)
    assert (agent.engine_id, agent.engine_id_changes) == (OLD, 2)


def test_the_privacy_hint_needs_keys_accepted_before() -> None:
    agent = Agent()
    assert agent.timeout_detail(V3) == NO_HINT
    agent.authenticated.add(auth_fingerprint(V3))
    assert agent.timeout_detail(V3) == PRIVACY_HINT
    other_priv = dataclasses.replace(V3, priv_key=Secret("another"))
    assert agent.timeout_detail(other_priv) == PRIVACY_HINT  # same user and auth key
    other_auth = dataclasses.replace(V3, auth_key=Secret("another"))
    assert agent.timeout_detail(other_auth) == NO_HINT
    no_priv = dataclasses.replace(V3, priv_protocol=None, priv_key=None)
    assert agent.timeout_detail(no_priv) == NO_HINT  # no privacy: nothing to blame it on
    assert agent.timeout_detail(V2C) == NO_HINT
    assert "auth-key-1" not in auth_fingerprint(V3)


def _usm_parameters(engine_id: bytes) -> bytes:
    fields = [encode_octet_string(engine_id), encode_integer(1), encode_integer(2)]
    fields += [encode_octet_string(b"u"), encode_octet_string(b""), encode_octet_string(b"")]
    return tlv(Tag.SEQUENCE, b"".join(fields))


@pytest.mark.parametrize("damage", [b"", b"\x30\x03\x02\x01\x01", b"\x04\x02ab", b"\x30\x80"])
def test_the_engine_id_of_security_parameters(damage: bytes) -> None:
    assert discovery.security_engine_id(_usm_parameters(NEW)) == NEW
    assert discovery.security_engine_id(damage) is None
    assert discovery.security_engine_id(None) is None


def _peer(engine_id: bytes) -> dict[str, bytes]:
    """An entry of pysnmp's engine cache, as discovery leaves it."""
    return {"securityEngineId": engine_id, "contextEngineId": engine_id, "contextName": b""}


def _cache(engine: SnmpEngine) -> tuple[dict[object, object], dict[int, list[object]]]:
    model = engine.message_processing_subsystems[3]
    return getattr(model, discovery._ENGINE_CACHE), getattr(model, discovery._ENGINE_EXPIRY)


def test_forget_drops_one_address_and_pysnmp_expiry_still_runs() -> None:
    engine = SnmpEngine()
    cache, expiry = _cache(engine)
    key, other = (udp.DOMAIN_NAME, ADDRESS), (udp.DOMAIN_NAME, ("192.0.2.8", 161))
    for k in (key, other):
        cache[k] = _peer(OLD)
    expiry[5] = [key, other]
    assert discovery.cached_engine_id(engine, ADDRESS) == OLD
    assert discovery.forget(engine, ADDRESS)
    assert discovery.cached_engine_id(engine, ADDRESS) is None
    assert not discovery.forget(engine, ADDRESS)  # nothing left to drop
    assert cache == {other: cache[other]} and expiry[5] == [other]
    model = engine.message_processing_subsystems[3]
    for tick in range(7):  # pysnmp's own expiry deletes the other without a KeyError
        model.receive_timer_tick(engine, tick)
    assert cache == {}


def test_a_report_from_another_engine_is_seen() -> None:
    engine = SnmpEngine()
    seen: list[tuple[tuple[str, int], bytes]] = []
    discovery.watch(engine, lambda address, engine_id: seen.append((address, engine_id)))
    cache, _ = _cache(engine)
    cache[(udp.DOMAIN_NAME, ADDRESS)] = _peer(OLD)

    def fail(engine_id: bytes, address: object = ADDRESS) -> None:
        variables = {"transportAddress": address, "securityParameters": _usm_parameters(engine_id)}
        engine.observer.store_execution_context(engine, discovery._SM_FAILURE, variables)

    fail(OLD)  # a failure from the known engine: wrong keys, not a new engine
    fail(NEW, ("192.0.2.99", 161))  # an address never discovered
    fail(NEW, object())  # not an address: ignored, never raised into pysnmp
    assert seen == []
    fail(NEW)
    assert seen == [(ADDRESS, NEW)]
