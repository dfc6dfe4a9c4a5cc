"""What the exporter remembers of each agent between polls, and what it makes of it.

Per agent address: how long it takes to answer (so a lost datagram is resent after a few
round trips, not after the whole request timeout), its SNMPv3 engine ID and how often that
changed (a restarted agent without a persistent engine ID, a replaced device at the same
address, an HA failover), and which SNMPv3 authentication keys it accepted before (so that a
silence after that reads as "wrong privacy key or unreachable"). Agents are the inventory's
devices, so this stays as small as the inventory.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Final

from edunet.secrets import SnmpCredentials

__all__ = [
    "MAX_BACKOFF",
    "MAX_POLLS_PER_AGENT",
    "MAX_TRIES",
    "MIN_RETRY_TIMEOUT_S",
    "NO_HINT",
    "PRIVACY_HINT",
    "Agent",
    "auth_fingerprint",
]

# A resend waits at least this long: an agent answering a large GETBULK on a slow CPU, or a
# queue on the path, must not look like loss (TCP's minimum retransmission timeout, RFC 6298).
MIN_RETRY_TIMEOUT_S: Final = 0.2
FIRST_RETRY_TIMEOUT_S: Final = 1.0  # before any round trip is measured (RFC 6298's 1 s)
# Loss, not congestion, is what a poll meets: backing off further would only spend the
# budget waiting (at 30% loss each way a try fails half the time)
MAX_BACKOFF: Final = 4
MAX_TRIES: Final = 24  # tries of one request, however long the budget: a bound, not a limit
# Polls of one agent at once; more wait their turn here, within their budget. An agent
# answers one request at a time: a queue at the agent only stretches its round trips until
# retries fire, and each duplicate lengthens the queue (hundreds of scrapes of a few agents
# collapsed that way); a queue here costs nothing, and a switch's CPU is spared.
MAX_POLLS_PER_AGENT: Final = 4
NO_HINT: Final = "no response"
PRIVACY_HINT: Final = "timeout (wrong privacy key or unreachable)"


@functools.lru_cache(maxsize=4096)  # asked per answered request
def auth_fingerprint(c: SnmpCredentials) -> str:
    """The user and authentication key of SNMPv3 credentials, without keeping the key."""
    key = c.auth_key.reveal() if c.auth_key is not None else ""
    text = "\0".join((c.user or "", c.auth_protocol or "", key))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(slots=True)
class Agent:
    """One agent address as the polls have found it."""

    srtt: float | None = None  # smoothed round-trip time (RFC 6298), seconds
    rttvar: float = 0.0
    engine_id: bytes | None = None  # the SNMPv3 engine ID last discovered there
    engine_id_changes: int = 0
    answering: bool = False  # its last poll was answered, with no silence since
    authenticated: set[str] = field(default_factory=set)  # auth fingerprints it accepted
    turns: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(MAX_POLLS_PER_AGENT), repr=False
    )

    def retry_timeout(self, ceiling_s: float, tries: int) -> float:
        """How long try number ``tries`` (0 first) waits: a few round trips, doubled per
        unanswered try up to :data:`MAX_BACKOFF` times, never more than the configured
        request timeout ``ceiling_s``."""
        if self.srtt is None:
            rto = FIRST_RETRY_TIMEOUT_S  # nothing measured yet
        else:
            rto = max(MIN_RETRY_TIMEOUT_S, self.srtt + 4 * self.rttvar)
        return min(ceiling_s, rto * min(1 << min(tries, 8), MAX_BACKOFF))

    def answered(self, rtt_s: float | None) -> None:
        """A request was answered, by the try sent ``rtt_s`` before (None: not known)."""
        if rtt_s is None:
            return
        if self.srtt is None:
            self.srtt, self.rttvar = rtt_s, rtt_s / 2
        else:
            self.rttvar = 0.75 * self.rttvar + 0.25 * abs(self.srtt - rtt_s)
            self.srtt = 0.875 * self.srtt + 0.125 * rtt_s

    def saw_engine(self, engine_id: bytes) -> None:
        """The engine ID discovered there now; counts a change from the last one."""
        if self.engine_id is not None and engine_id != self.engine_id:
            self.engine_id_changes += 1
        self.engine_id = engine_id

    def timeout_detail(self, c: SnmpCredentials) -> str:
        """The detail of a timeout: with SNMPv3 privacy, after these authentication keys
        were accepted here, the likely cause is the privacy key (net-snmp drops what it
        cannot decrypt and sends no report), or the agent went away."""
        private = c.version == "v3" and c.priv_key is not None and c.priv_protocol is not None
        if private and auth_fingerprint(c) in self.authenticated:
            return PRIVACY_HINT
        return NO_HINT
