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

from edunet import ber
from edunet.ber import Tag
from lab.variation import edunet_live

__all__ = ["EndpointTable", "Live", "Oid", "TableError"]

Oid = ber.Oid

LIVE_MODULE = "edunet_live"

# snmprec type tags -> BER tags
_TAGS = {
    "2": Tag.INTEGER,
    "4": Tag.OCTET_STRING,
    "5": Tag.NULL,
    "6": Tag.OBJECT_IDENTIFIER,
    "64": Tag.IP_ADDRESS,
    "65": Tag.COUNTER32,
    "66": Tag.GAUGE32,
    "67": Tag.TIMETICKS,
    "70": Tag.COUNTER64,
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
    if tag == Tag.OCTET_STRING:
        return ber.encode_octet_string(raw)
    text = raw.decode("ascii")
    if tag == Tag.INTEGER:
        return ber.encode_integer(int(text))
    if tag == Tag.OBJECT_IDENTIFIER:
        return ber.encode_oid(parse_oid(text))
    if tag == Tag.IP_ADDRESS:
        return ber.encode_ip_address(ipaddress.IPv4Address(text).packed)
    if tag == Tag.NULL:
        return ber.ENCODED_NULL
    return ber.encode_unsigned(tag, int(text))


def encode_value(tag: int, value: Any) -> bytes:
    """A live value of the record's type (an int, or text for OCTET STRING)."""
    if tag == Tag.INTEGER:
        return ber.encode_integer(int(value))
    if tag == Tag.OCTET_STRING:
        if isinstance(value, str):
            # snmpsim reads its files as Latin-1 and pyasn1 writes text back the same way;
            # text beyond Latin-1 (a swapped serial) goes out as UTF-8
            try:
                value = value.encode("iso-8859-1")
            except UnicodeEncodeError:
                value = value.encode()
        return ber.encode_octet_string(bytes(value))
    return ber.encode_unsigned(tag, int(value))


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
            encoded = ber.encode_oid(o)
            if isinstance(value, Live):
                self._values.append((encoded, value))
            else:
                self._values.append(ber.encode_varbind(encoded, value))

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
            encoded = ber.ENCODED_NO_SUCH_INSTANCE  # as snmpsim answers a record it cannot evaluate
        return ber.encode_varbind(encoded_oid, encoded)
