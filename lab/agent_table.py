"""One endpoint's SNMP data in memory: a sorted table of pre-encoded records.

Built once from the endpoint's ``.snmprec`` file (on its first request), it answers GET
with a dict lookup and GETNEXT/GETBULK with a bisect. Every OID and every static value is
kept BER-encoded; only the ``edunet_live`` records (uptime, counters, oper status, last
change, serial) are computed per request, by the same functions snmpsim's variation module
uses, so the values are the same functions of time and of faults.json.
"""

from __future__ import annotations

import bisect
import ipaddress
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lab import agent_ber as ber
from lab.variation import edunet_live

__all__ = ["EndpointTable", "Live", "Oid", "TableError"]

Oid = tuple[int, ...]

LIVE_MODULE = "edunet_live"

# snmprec type tags -> BER tags
_TAGS = {
    "2": ber.INTEGER,
    "4": ber.OCTET_STRING,
    "5": ber.NULL_TAG,
    "6": ber.OBJECT_IDENTIFIER,
    "64": ber.IP_ADDRESS,
    "65": ber.COUNTER32,
    "66": ber.GAUGE32,
    "67": ber.TIMETICKS,
    "70": ber.COUNTER64,
}


class TableError(ValueError):
    """A record the lab's agents cannot serve (unknown type, variation module or OID)."""


class Live:
    """A record whose value is computed at each request."""

    __slots__ = ("params", "tag")

    def __init__(self, tag: int, params: dict[str, Any]) -> None:
        self.tag = tag
        self.params = params


def parse_oid(text: str) -> Oid:
    return tuple(int(x) for x in text.strip(".").split("."))


def _encode_static(tag: int, raw: bytes) -> bytes:
    if tag == ber.OCTET_STRING:
        return ber.tlv(tag, raw)
    text = raw.decode("ascii")
    if tag == ber.INTEGER:
        return ber.integer(int(text))
    if tag == ber.OBJECT_IDENTIFIER:
        return ber.oid(parse_oid(text))
    if tag == ber.IP_ADDRESS:
        return ber.tlv(tag, ipaddress.IPv4Address(text).packed)
    if tag == ber.NULL_TAG:
        return ber.NULL
    return ber.unsigned(tag, int(text))


def encode_value(tag: int, value: Any) -> bytes:
    """A live value of the record's type (an int, or text for OCTET STRING)."""
    if tag == ber.INTEGER:
        return ber.integer(int(value))
    if tag == ber.OCTET_STRING:
        if isinstance(value, str):
            # snmpsim reads its files as Latin-1 and pyasn1 writes text back the same way;
            # text beyond Latin-1 (a swapped serial) goes out as UTF-8
            try:
                value = value.encode("iso-8859-1")
            except UnicodeEncodeError:
                value = value.encode()
        return ber.tlv(tag, bytes(value))
    return ber.unsigned(tag, int(value))


def parse_record(line: bytes) -> tuple[Oid, bytes | Live]:
    """One snmprec line (``oid|tag[:module]|value``) as its OID and encoded value."""
    oid_text, tag_text, raw = line.split(b"|", 2)
    tag_s = tag_text.decode("ascii")
    module = None
    if ":" in tag_s:
        tag_s, module = tag_s.split(":", 1)
    hex_value = tag_s.endswith("x")
    tag = _TAGS.get(tag_s[:-1] if hex_value else tag_s)
    if tag is None:
        raise TableError(f"unsupported snmprec type {tag_s!r}")
    oid = parse_oid(oid_text.decode("ascii"))
    if module is not None:
        if module != LIVE_MODULE:
            raise TableError(f"unsupported variation module {module!r}")
        return oid, Live(tag, edunet_live.parse(raw.decode("iso-8859-1")))
    if hex_value:
        raw = bytes.fromhex(raw.decode("ascii"))
    return oid, _encode_static(tag, raw)


class EndpointTable:
    """The records of one endpoint, sorted by OID, each answered as an encoded varbind."""

    __slots__ = ("_oids", "_values")

    def __init__(self, records: list[tuple[Oid, bytes | Live]]) -> None:
        records.sort(key=lambda r: r[0])
        self._oids: list[Oid] = [r[0] for r in records]
        # the varbind itself for a static record; (encoded OID, Live) for a live one
        self._values: list[bytes | tuple[bytes, Live]] = []
        for o, value in records:
            encoded = ber.oid(o)
            if isinstance(value, Live):
                self._values.append((encoded, value))
            else:
                self._values.append(ber.varbind(encoded, value))

    @classmethod
    def from_snmprec(cls, data: bytes) -> EndpointTable:
        records = []
        for n, line in enumerate(data.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith(b"#"):
                continue
            try:
                records.append(parse_record(line))
            except (ValueError, KeyError) as e:
                raise TableError(f"line {n}: {e}") from None
        return cls(records)

    @classmethod
    def load(cls, path: Path) -> EndpointTable:
        try:
            return cls.from_snmprec(path.read_bytes())
        except TableError as e:
            raise TableError(f"{path.name}: {e}") from None

    def __len__(self) -> int:
        return len(self._oids)

    def find(self, oid: Oid) -> int:
        """The record at exactly ``oid``, or -1."""
        i = bisect.bisect_left(self._oids, oid)
        return i if i < len(self._oids) and self._oids[i] == oid else -1

    def after(self, oid: Oid) -> int:
        """The first record after ``oid`` (len(self) when there is none)."""
        return bisect.bisect_right(self._oids, oid)

    def oid_at(self, i: int) -> Oid:
        return self._oids[i]

    def varbind(self, i: int, live: Callable[[Live], Any]) -> bytes:
        """Record ``i`` as an encoded varbind; ``live`` computes a live record's value."""
        value = self._values[i]
        if isinstance(value, bytes):
            return value
        encoded_oid, record = value
        try:
            encoded = encode_value(record.tag, live(record))
        except (ValueError, TypeError, KeyError, ArithmeticError):
            encoded = ber.NO_SUCH_INSTANCE  # as snmpsim answers a record it cannot evaluate
        return ber.varbind(encoded_oid, encoded)
