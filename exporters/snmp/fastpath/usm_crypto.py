"""pysnmp's HMAC-SHA-96 and CFB128-AES-128 services without pyasn1 in the per-message work.

pysnmp builds both HMAC pads with pyasn1 and a lambda per octet on every message, and
slices keys and IVs through pyasn1 objects. These subclasses compute the very same bytes
(the pads exactly as pysnmp derives them, kept per localised key; the same salt counter
and IV layout) and raise the same errors; ``tests/exporters/test_ber_usm.py`` checks them
against pysnmp's own classes byte for byte.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from pyasn1.type import univ
from pysnmp.proto import errind, error
from pysnmp.proto.secmod.rfc3414.auth import hmacsha
from pysnmp.proto.secmod.rfc3826.priv import aes

_TWELVE_ZEROS = bytes(12)
_KEYS_KEPT = 4096  # localised keys are per agent engine; a bound, not a working limit
_IPAD = bytes([0x36] * 64)
_OPAD = bytes([0x5C] * 64)


def _octets(value: Any) -> bytes:
    return value.asOctets() if hasattr(value, "asOctets") else bytes(value)


class FastHmacSha(hmacsha.HmacSha):  # type: ignore[misc]
    """HMAC-SHA-96 (RFC 3414 7.3) with the inner and outer pad hashes kept per key."""

    def __init__(self) -> None:
        self._pads: dict[bytes, tuple[Any, Any]] = {}

    def _digest(self, key: Any, message: bytes) -> bytes:
        raw = _octets(key)
        pads = self._pads.get(raw)
        if pads is None:
            # pysnmp pairs key + 44 zero octets with the 64-octet pads, stopping at the shorter
            extended = (raw + bytes(44))[:64]
            inner = bytes(a ^ b for a, b in zip(extended, _IPAD, strict=False))
            outer = bytes(a ^ b for a, b in zip(extended, _OPAD, strict=False))
            pads = (hashlib.sha1(inner), hashlib.sha1(outer))
            if len(self._pads) >= _KEYS_KEPT:
                self._pads.clear()
            self._pads[raw] = pads
        first = pads[0].copy()
        first.update(message)
        second = pads[1].copy()
        second.update(first.digest())
        return second.digest()[:12]

    def authenticate_outgoing_message(self, authKey: Any, wholeMsg: bytes) -> bytes:
        at = wholeMsg.find(_TWELVE_ZEROS)
        if at == -1:
            raise error.ProtocolError("Cant locate digest placeholder")
        return wholeMsg[:at] + self._digest(authKey, wholeMsg) + wholeMsg[at + 12 :]

    def authenticate_incoming_message(
        self, authKey: Any, authParameters: Any, wholeMsg: bytes
    ) -> bytes:
        if len(authParameters) != 12:
            raise error.StatusInformation(errorIndication=errind.authenticationError)
        digest = _octets(authParameters)
        at = wholeMsg.find(digest)
        if at == -1:
            raise error.ProtocolError("Cant locate digest in wholeMsg")
        authenticated = wholeMsg[:at] + _TWELVE_ZEROS + wholeMsg[at + 12 :]
        if not hmac.compare_digest(self._digest(authKey, authenticated), digest):
            raise error.StatusInformation(errorIndication=errind.authenticationFailure)
        return authenticated


def _iv(boots: Any, clock: Any, salt: bytes) -> bytes:
    # pysnmp takes the low 32 bits of each, big-endian, then the salt
    head = ((int(boots) & 0xFFFFFFFF) << 32) | (int(clock) & 0xFFFFFFFF)
    return head.to_bytes(8, "big") + salt


class FastAes(aes.Aes):  # type: ignore[misc]
    """CFB128-AES-128 (RFC 3826) through the ``cryptography`` package, as pysnmp does."""

    def __init__(self) -> None:
        # a salt counter of its own (pysnmp's instance keeps counting for other engines)
        self.local_int = secrets.randbits(64)

    def _cipher(self, key: Any, iv: bytes) -> Any:
        return aes.Cipher(aes.algorithms.AES(_octets(key)[: self.KEY_SIZE]), aes.CFB(iv))

    def encrypt_data(
        self, encryptKey: Any, privParameters: Any, dataToEncrypt: bytes
    ) -> tuple[Any, Any]:
        if aes.PysnmpCryptoError:
            return super().encrypt_data(encryptKey, privParameters, dataToEncrypt)  # type: ignore[no-any-return]
        boots, clock, _ = privParameters
        salt = self.local_int.to_bytes(8, "big")
        self.local_int = 0 if self.local_int == 0xFFFFFFFFFFFFFFFF else self.local_int + 1
        try:
            encryptor = self._cipher(encryptKey, _iv(boots, clock, salt)).encryptor()
            ciphertext = encryptor.update(dataToEncrypt) + encryptor.finalize()
        except AttributeError:
            raise error.StatusInformation(errorIndication=errind.unsupportedPrivProtocol) from None
        return univ.OctetString(ciphertext), univ.OctetString(salt)

    def decrypt_data(self, decryptKey: Any, privParameters: Any, encryptedData: Any) -> bytes:
        if aes.PysnmpCryptoError:
            return super().decrypt_data(decryptKey, privParameters, encryptedData)  # type: ignore[no-any-return]
        boots, clock, salt = privParameters
        if len(salt) != 8:
            raise error.StatusInformation(errorIndication=errind.decryptionError)
        try:
            decryptor = self._cipher(decryptKey, _iv(boots, clock, _octets(salt))).decryptor()
            return decryptor.update(encryptedData.asOctets()) + decryptor.finalize()  # type: ignore[no-any-return]
        except AttributeError:
            raise error.StatusInformation(errorIndication=errind.unsupportedPrivProtocol) from None
