"""pysnmp's names for the USM protocols a profile names, and its security errors classified.

The profile says ``sha``/``aes``; pysnmp's configuration wants its protocol OIDs. A failed
request comes back from pysnmp as an error indication: the security ones (wrong user, key,
digest, time window, engine) are a credentials problem for the operator, the others a
protocol one.
"""

from __future__ import annotations

from typing import Any

from pysnmp.entity import config
from pysnmp.proto import errind

from exporters.snmp.result import PollError

__all__ = ["AUTH", "PRIV", "classify"]

AUTH = {
    None: config.USM_AUTH_NONE,
    "md5": config.USM_AUTH_HMAC96_MD5,
    "sha": config.USM_AUTH_HMAC96_SHA,
    "sha224": config.USM_AUTH_HMAC128_SHA224,
    "sha256": config.USM_AUTH_HMAC192_SHA256,
    "sha384": config.USM_AUTH_HMAC256_SHA384,
    "sha512": config.USM_AUTH_HMAC384_SHA512,
}
PRIV = {
    None: config.USM_PRIV_NONE,
    "des": config.USM_PRIV_CBC56_DES,
    "aes": config.USM_PRIV_CFB128_AES,
    "aes192": config.USM_PRIV_CFB192_AES,
    "aes256": config.USM_PRIV_CFB256_AES,
}
_AUTH_ERRORS = (
    errind.UnknownUserName,
    errind.WrongDigest,
    errind.DecryptionError,
    errind.UnsupportedSecurityLevel,
    errind.NotInTimeWindow,
    errind.UnknownEngineID,
    errind.UnknownSecurityName,
    errind.AuthenticationError,
    errind.AuthenticationFailure,
    errind.UnsupportedAuthProtocol,
    errind.UnsupportedPrivProtocol,
    errind.EngineIDMismatch,
)


def classify(indication: Any) -> tuple[PollError, str]:
    """The poll error and its detail for one of pysnmp's error indications."""
    name = type(indication).__name__
    if isinstance(indication, _AUTH_ERRORS):
        return PollError.auth, f"SNMPv3 security: {name}"
    return PollError.protocol, f"pysnmp: {name}"
