"""SNMPv3 engine discovery, again, when an agent's engine ID changes under the same address.

pysnmp discovers an agent's engine ID once and keeps it for 300 s per transport address
(the message processing model's engine cache; the USM keeps the engine's boots and time
beside it). When the agent restarts with a new engine ID (net-snmp's ``snmpd`` without a
persistent one, a replaced device, an HA failover), it answers our requests with a
usmStatsUnknownEngineIDs Report that carries the new ID; pysnmp drops that Report (it knows
no user for the new engine) and keeps sending to the old one until the cache expires.

:func:`watch` sees those Reports (pysnmp's observer at the point where security processing
fails) and :func:`forget` drops the cached engine of that one address, so the next request
discovers the agent again. pysnmp has no public call for that: the two caches are private
attributes of the pinned release (the fast paths rely on the same release); on another one
:func:`forget` finds no cache and does nothing, and the engine expires after 300 s as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity.engine import SnmpEngine

from edunet.ber import BerError, Tag, read_tlv
from exporters.snmp.transport import peer

__all__ = ["cached_engine_id", "engine_clock", "forget", "security_engine_id", "watch"]

Address = tuple[str, int]
# an agent's Report failed security processing: (its address, the engine ID it carries)
OnForeignEngine = Callable[[Address, bytes], None]

_V3_MODEL = 3  # SNMPv3 message processing model ID
_USM = 3  # user-based security model ID
_ENGINE_CACHE = "_SnmpV3MessageProcessingModel__engineIdCache"
_ENGINE_EXPIRY = "_SnmpV3MessageProcessingModel__engineIdCacheExpQueue"
_TIMELINE = "_SnmpUSMSecurityModel__timeline"
_SM_FAILURE = "rfc3412.prepareDataElements:sm-failure"


def security_engine_id(params: Any) -> bytes | None:
    """msgAuthoritativeEngineID of a message's USM security parameters (their bytes)."""
    try:
        raw = params.asOctets() if hasattr(params, "asOctets") else bytes(params)
        start, _ = read_tlv(raw, 0, Tag.SEQUENCE)
        first, after = read_tlv(raw, start, Tag.OCTET_STRING)
    except (BerError, TypeError, ValueError):
        return None
    return raw[first:after]


def cached_engine_id(engine: SnmpEngine, address: Address) -> bytes | None:
    """The engine ID pysnmp sends to at ``address``; None before discovery."""
    model = engine.message_processing_subsystems.get(_V3_MODEL)
    if model is None:
        return None
    engine_id = model.get_peer_engine_info(udp.DOMAIN_NAME, address)[0]
    return None if engine_id is None else bytes(engine_id)


def engine_clock(engine: SnmpEngine, engine_id: bytes) -> tuple[int, int] | None:
    """(boots, time) of the agent engine ``engine_id`` as pysnmp last authenticated them;
    None when pysnmp keeps none (or on another release)."""
    usm = engine.security_models.get(_USM)
    timeline: dict[Any, Any] | None = getattr(usm, _TIMELINE, None)
    found = timeline.get(engine_id) if timeline is not None else None
    if found is None:
        return None
    try:
        return int(found[0]), int(found[1])
    except (TypeError, ValueError, IndexError):
        return None


def forget(engine: SnmpEngine, address: Address) -> bool:
    """Drop pysnmp's cached engine of ``address`` (and that engine's clock), so the next
    request discovers the agent again; False when there was nothing to drop."""
    model = engine.message_processing_subsystems.get(_V3_MODEL)
    cache: dict[Any, Any] | None = getattr(model, _ENGINE_CACHE, None)
    expiry: dict[Any, list[Any]] | None = getattr(model, _ENGINE_EXPIRY, None)
    if cache is None or expiry is None:
        return False
    key = (udp.DOMAIN_NAME, address)
    peer = cache.pop(key, None)
    if peer is None:
        return False
    # pysnmp deletes each queued key without looking: a key left queued would raise there
    for keys in expiry.values():
        while key in keys:
            keys.remove(key)
    usm = engine.security_models.get(_USM)
    timeline: dict[Any, Any] | None = getattr(usm, _TIMELINE, None)
    if timeline is not None:
        timeline.pop(peer["securityEngineId"], None)  # its expiry checks before deleting
    return True


def watch(engine: SnmpEngine, on_foreign_engine: OnForeignEngine) -> None:
    """Call ``on_foreign_engine`` for every SNMPv3 message whose security processing failed
    while it came from another engine than the one pysnmp sends to at its address."""

    def observe(_engine: Any, _point: str, variables: dict[str, Any], _ctx: Any) -> None:
        try:  # an observer runs inside pysnmp's message processing: it must never raise
            address = peer(variables.get("transportAddress"))
            engine_id = security_engine_id(variables.get("securityParameters"))
            if address is None or not engine_id:
                return
            known = cached_engine_id(engine, address)
            if known is not None and known != engine_id:
                on_foreign_engine(address, engine_id)
        except Exception:  # pysnmp goes on as if we were not here
            return

    engine.observer.register_observer(observe, _SM_FAILURE)
