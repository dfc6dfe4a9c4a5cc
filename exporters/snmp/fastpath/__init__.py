"""The SNMP exporter's fast paths inside pysnmp: what they are, and when they engage.

pysnmp decodes and encodes every message with pyasn1's generic machinery; for a walk of
small PDUs that is most of the exporter's CPU. The modules here keep pysnmp's own message
processing, USM and command generator, and give them hand-written BER for the exact,
common case (the bytes come from the core codec, :mod:`edunet.ber`):

========================  ==================================================================
``models``                message models whose Response varbinds stay bytes; requests whose
                          varbinds are pre-encoded
``message``               SNMPv2c: the message header decoded and the request encoded by hand
``usm``                   SNMPv3: the message, USM parameters and scoped PDU decoded by hand
``usm_encode``            SNMPv3: the scoped PDU, USM parameters and message encoded by hand
``usm_crypto``            HMAC-SHA-96 and CFB128-AES-128 without pyasn1 per message
``direct``                once an agent is known: requests and answers straight on the
                          socket, past pysnmp's layers (v2c; v3 authPriv with SHA and AES)
========================  ==================================================================

Anything unusual (Reports, damage, other PDU types) is handed back to pyasn1, so pysnmp
decides every error as before; the tests check the fast paths against pyasn1 and pysnmp
byte for byte. They reach into pysnmp's internals (module globals, a name-mangled method),
so they engage only on the pysnmp release they were written for, :data:`PYSNMP_VERSION`,
the exact pin in pyproject.toml. On any other release, or with ``EDUNET_SNMP_FASTPATH=0``
in the environment, the exporter runs pysnmp's plain path (slower, same metrics) and logs
one line saying why.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from importlib import metadata
from typing import TYPE_CHECKING, Any, Final

from edunet.ber import Oid
from exporters.logs import event

if TYPE_CHECKING:
    from pysnmp.entity.engine import SnmpEngine

    from edunet.secrets import SnmpCredentials
    from exporters.snmp.fastpath.direct import Direct

__all__ = [
    "PYSNMP_VERSION",
    "SWITCH",
    "RequestBuilder",
    "direct_path",
    "direct_takes",
    "install",
    "why_off",
]

PYSNMP_VERSION: Final = "7.1.30"  # pyproject.toml pins this; a test checks they agree
SWITCH: Final = "EDUNET_SNMP_FASTPATH"
_OFF: Final = ("0", "false", "no", "off")

# builds a GET (repetitions 0) or GETBULK request PDU for these OIDs
RequestBuilder = Callable[[list[Oid], int], Any]

log = logging.getLogger("exporters.snmp.fastpath")
_logged: set[str] = set()


@functools.cache
def _installed_pysnmp() -> str:
    return metadata.version("pysnmp")


def why_off() -> str | None:
    """Why the fast paths stay off here, or None when they engage."""
    if os.environ.get(SWITCH, "").strip().lower() in _OFF:
        return f"{SWITCH}={os.environ[SWITCH]} in the environment"
    installed = _installed_pysnmp()
    if installed != PYSNMP_VERSION:
        return f"pysnmp {installed} is installed, they are written for pysnmp {PYSNMP_VERSION}"
    return None


def install(engine: SnmpEngine) -> RequestBuilder | None:
    """Put the fast paths on ``engine`` and return their request builder; None when they
    stay off (the engine keeps pysnmp's plain path), said once per process in the log."""
    reason = why_off()
    if reason is not None:
        if reason not in _logged:
            _logged.add(reason)
            level = logging.INFO if reason.startswith(SWITCH) else logging.WARNING
            event(log, level, f"SNMP fast paths off ({reason}): pysnmp's plain path instead")
        return None
    # imported only now: on another pysnmp release these imports may fail
    from exporters.snmp.fastpath import message, models, usm

    message.install(engine)
    usm.install(engine)
    return models.request_pdu


def direct_path() -> Direct:
    """The direct path of one engine (only where :func:`install` engaged the fast paths)."""
    from exporters.snmp.fastpath.direct import Direct

    return Direct()


def direct_takes(c: SnmpCredentials) -> bool:
    """Whether the direct path serves ``c`` once its agent is known."""
    from exporters.snmp.fastpath.direct import takes

    return takes(c)
