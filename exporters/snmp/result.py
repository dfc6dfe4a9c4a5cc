"""One poll of one device, as plain data: what the SNMP I/O hands to the collector.

The collector and the reconciliation read only this, so they are tested on recorded
results without a network, and the real I/O is tested against the lab's agents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from exporters.snmp.oids import Oid

# An SNMP value: int for INTEGER/Counter/Gauge/TimeTicks, bytes for OCTET STRING,
# str (dotted) for an OBJECT IDENTIFIER or IpAddress, None where the agent answered
# noSuchObject/noSuchInstance.
Value = int | bytes | str | None


class PollError(StrEnum):
    """Why a poll failed; the ``reason`` label of ``edunet_snmp_error``."""

    timeout = "timeout"  # no answer within the budget (down, unreachable, wrong v2c community)
    auth = "auth"  # SNMPv3 authentication or privacy failed (wrong keys, unknown user)
    credentials = "credentials"  # the credential profile's secrets are not set here
    unknown_target = "unknown_target"  # not a device of the inventory
    protocol = "protocol"  # an answer that is not valid SNMP, or an SNMP error status
    network = "network"  # the socket refused (no route, port unreachable)
    cancelled = "cancelled"  # the scrape gave up before the poll finished


@dataclass(slots=True)
class PollResult:
    target: str  # the device name
    address: str  # the address actually polled (after any address map)
    module: str
    ok: bool = False
    error: PollError | None = None
    detail: str = ""  # one line for the log; never a secret
    duration_s: float = 0.0
    requests: int = 0  # PDUs sent, retries included
    varbinds: int = 0  # varbinds received
    engine_id_changes: int | None = None  # SNMPv3: the agent's new engine IDs seen so far
    scalars: dict[str, Value] = field(default_factory=dict)
    # column name -> {row index (the OID suffix after the column) -> value}
    columns: dict[str, dict[Oid, Value]] = field(default_factory=dict)


def as_text(value: Value) -> str:
    """A value as label text: OCTET STRINGs decoded as UTF-8 (bad bytes replaced)."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
