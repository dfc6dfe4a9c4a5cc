"""``search(inv, "le ngoc han")``: the districts, sites and devices a piece of text finds,
best first; what ``edunet find``, ``edunet sites -q``/``devices -q`` and the API's ``q=``
answer.

What is searched: a district's code, slug and name; a site's code, name, address and the
serials of its spare hardware; a device's name, management address, serial and asset tag.
Text and query are compared folded (:func:`fold`): without case or diacritics, ``đ`` as
``d``, ``-``/``_``, commas and brackets as spaces, so ``le ngoc han`` finds *Trường Tiểu
học Lê Ngọc Hân* and ``cu chi`` finds *Huyện Củ Chi*.

How matches rank, best first (:class:`Rank`), each thing by its best field:

1. ``exact``: a field is the whole query: a code, slug, device name, serial, asset tag or
   management address typed in full, or a whole name;
2. ``word``: the query is whole words of a field (``le ngoc han`` in *Trường THCS Lê Ngọc
   Hân*, ``cu chi`` in an address in *Huyện Củ Chi*);
3. ``prefix``: a field, or a word of it, starts with the query (``79760`` for that
   district's school codes, ``FXS21`` for serials);
4. ``substring``: the query is inside a field;
5. ``words``: a query of several words, each a whole word somewhere in the thing's fields
   though not together (``nguyen du quan 1``: a name and an address);
6. ``spelling``: only when nothing else is found, the query with each word that is no word
   of a name or an address respelled as the closest one (``le ngoc hna`` → ``le ngoc han``).

Within a rank, the kind decides (districts, then sites, then devices: a site before its
own devices, whose names carry its code), then the field (codes and names before addresses,
:data:`FIELDS` order), then the key in natural order. The index is built
once per inventory and kept as long as the inventory lives: one query on the full city is a
scan of one string, in C, plus a look at each hit.
"""

from __future__ import annotations

import difflib
import string
import threading
import weakref
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum

from edunet.model import Inventory
from edunet.select.names import fold as fold_name
from edunet.select.names import natural_key

__all__ = ["FIELDS", "SEARCH_KINDS", "Match", "Rank", "fold", "search"]

SEARCH_KINDS = ("district", "site", "device")
# the order fields rank in when two things match alike: what names a thing before where it is
FIELDS = (
    "code",
    "name",
    "serial",
    "mgmt_ip",
    "asset_tag",
    "slug",
    "address",
    "spare_serial",
)
_UPPER = string.ascii_uppercase
_SEP = "\n"  # never inside folded text: fold joins words with single spaces
# an address's commas and brackets end a word ("Tỉnh lộ 8, Xã …"); dots and slashes stay, as
# they are part of an address, a serial or a house number ("10.32.0.1", "115/30")
_PUNCTUATION = str.maketrans(dict.fromkeys(",;()", " "))
_ASCII = str.maketrans({**dict.fromkeys(",;()-_", " "), **{c: c.lower() for c in _UPPER}})


def fold(text: str) -> str:
    """``text`` as the search compares it: :func:`edunet.select.names.fold`, and commas,
    semicolons and brackets as spaces."""
    if text.isascii():  # names, addresses and serials of devices: 10 times faster this way
        return " ".join(text.translate(_ASCII).split())
    return " ".join(fold_name(text).translate(_PUNCTUATION).split())


class Rank(IntEnum):
    exact = 0
    word = 1
    prefix = 2
    substring = 3
    words = 4
    spelling = 5


@dataclass(frozen=True, slots=True)
class Match:
    """One thing a search found: its kind and key (district code, site code, device name),
    the name people know it by (a district's or site's name; for a device, its site's), and
    the field that matched best with its text as written."""

    kind: str
    key: str
    name: str
    field: str
    value: str
    rank: Rank


@dataclass(frozen=True, slots=True)
class _Thing:
    kind: str
    key: str
    name: str
    fields: tuple[tuple[str, str], ...]  # (field, text as written)


@dataclass(frozen=True, slots=True)
class _Index:
    things: tuple[_Thing, ...]
    blob: str  # every field's folded text, one segment each, _SEP before, between and after
    starts: tuple[int, ...]  # where each segment starts in blob
    segments: tuple[tuple[int, int, str], ...]  # (thing, field position, folded text)
    first: tuple[int, ...]  # each thing's first segment; then one past the last
    vocabulary: frozenset[str]  # the words of names, slugs and addresses, for respelling
    order: tuple[tuple[int, tuple[tuple[tuple[str, int], ...], str]], ...]  # kind, natural key


def _things(inv: Inventory) -> Iterator[_Thing]:
    for d in inv.districts.values():
        yield _Thing(
            "district", d.code, d.name, (("code", d.code), ("slug", d.slug), ("name", d.name))
        )
    for s in inv.sites.values():
        fields = [("code", s.code), ("name", s.name), ("address", s.address)]
        fields += [("spare_serial", h.serial) for h in s.spares]
        yield _Thing("site", s.code, s.name, tuple(fields))
    for dev in inv.devices.values():
        fields = [("name", dev.name), ("mgmt_ip", str(dev.mgmt_ip))]
        if dev.hardware is not None:
            fields += [("serial", dev.hardware.serial), ("asset_tag", dev.hardware.asset_tag)]
        yield _Thing("device", dev.name, inv.sites[dev.site].name, tuple(fields))


def _build(inv: Inventory) -> _Index:
    things = tuple(_things(inv))
    starts: list[int] = []
    segments: list[tuple[int, int, str]] = []
    parts: list[str] = []
    first: list[int] = []
    at = len(_SEP)
    for i, t in enumerate(things):
        first.append(len(segments))
        for j, (_, text) in enumerate(t.fields):
            folded = fold(text)
            starts.append(at)
            segments.append((i, j, folded))
            parts.append(folded)
            at += len(folded) + len(_SEP)
    first.append(len(segments))
    order = tuple((SEARCH_KINDS.index(t.kind), natural_key(t.key)) for t in things)
    blob = _SEP + _SEP.join(parts) + _SEP  # every segment between two separators
    spoken = {"name", "slug", "address"}
    vocabulary = frozenset(
        w for i, j, folded in segments if things[i].fields[j][0] in spoken for w in folded.split()
    )
    return _Index(things, blob, tuple(starts), tuple(segments), tuple(first), vocabulary, order)


# One index per live inventory; an inventory is not hashable (its mappings are not), so it is
# kept by identity and dropped when the inventory is collected.
_INDEXES: dict[int, _Index] = {}
_LOCK = threading.Lock()


def _index(inv: Inventory) -> _Index:
    key = id(inv)
    found = _INDEXES.get(key)
    if found is not None:
        return found
    built = _build(inv)
    with _LOCK:
        if key not in _INDEXES:
            _INDEXES[key] = built
            weakref.finalize(inv, _INDEXES.pop, key, None)
        return _INDEXES[key]


def _rank(query: str, text: str) -> Rank:
    if text == query:
        return Rank.exact
    padded = f" {text} "
    if f" {query} " in padded:
        return Rank.word
    if f" {query}" in padded:
        return Rank.prefix
    return Rank.substring


def _hits(index: _Index, query: str) -> Iterator[int]:
    """The segments whose folded text holds ``query``, each once."""
    blob, starts = index.blob, index.starts
    last = len(starts) - 1
    at = blob.find(query)
    while at >= 0:
        seg = bisect_right(starts, at) - 1
        yield seg
        if seg == last:
            return
        at = blob.find(query, starts[seg + 1])


def search(inv: Inventory, text: str, kinds: Iterable[str] = SEARCH_KINDS) -> list[Match]:
    """Everything ``text`` finds among ``kinds`` (``district``, ``site``, ``device``), best
    first as the module says; empty when the text has nothing to search for."""
    wanted = set(kinds)
    unknown = wanted - set(SEARCH_KINDS)
    if unknown:
        raise ValueError(f"cannot search {sorted(unknown)}; one of {', '.join(SEARCH_KINDS)}")
    query = fold(text)
    if not query:
        return []
    index = _index(inv)
    best = _scored(index, query, wanted)
    respelled = _respelled(index, query) if not best else query
    if respelled != query:
        best = _scored(index, respelled, wanted)
    order = index.order
    ranked = sorted(best, key=lambda i: (best[i][0], order[i][0], best[i][1], order[i][1]))
    spelling = respelled != query
    return [
        _match(index.things[i], Rank.spelling if spelling else best[i][0], best[i][2])
        for i in ranked
    ]


def _scored(index: _Index, query: str, wanted: set[str]) -> dict[int, tuple[Rank, int, int]]:
    """Each thing the folded query finds: its best (rank, field order, field position)."""
    best: dict[int, tuple[Rank, int, int]] = {}
    for seg in _hits(index, query):
        thing, pos, folded = index.segments[seg]
        t = index.things[thing]
        if t.kind not in wanted:
            continue
        score = (_rank(query, folded), FIELDS.index(t.fields[pos][0]), pos)
        if thing not in best or score < best[thing]:
            best[thing] = score
    words = query.split()
    if len(words) > 1:
        for thing, pos in _every_word(index, words, wanted).items():
            if thing not in best:
                best[thing] = (Rank.words, FIELDS.index(index.things[thing].fields[pos][0]), pos)
    return best


def _respelled(index: _Index, query: str) -> str:
    """The query with each word of three letters or more that no name or address has
    replaced by the closest one that does; the query itself when none is close."""
    words = []
    for word in query.split():
        close = []
        if len(word) >= 3 and word not in index.vocabulary:
            close = difflib.get_close_matches(word, index.vocabulary, 1, 0.75)
        words.append(close[0] if close else word)
    return " ".join(words)


def _every_word(index: _Index, words: list[str], wanted: set[str]) -> dict[int, int]:
    """The things that hold every word as a whole word somewhere ("q1" is not in
    "pgd-q10-rt1"), each with the first field that holds one. The longest word, likely the
    rarest, is looked for in the whole index; the others only in the things it found."""
    longest, *others = sorted(dict.fromkeys(words), key=len, reverse=True)
    found: dict[int, int] = {}
    blob = index.blob
    for pattern in (f"{a}{longest}{b}" for a in (" ", _SEP) for b in (" ", _SEP)):
        at = blob.find(pattern)
        while at >= 0:
            thing, pos, _ = index.segments[bisect_right(index.starts, at + 1) - 1]
            if index.things[thing].kind in wanted:
                found[thing] = min(pos, found.get(thing, pos))
            at = blob.find(pattern, at + 1)
    for word in others:
        padded = f" {word} "
        kept: dict[int, int] = {}
        for thing, pos in found.items():
            for seg in range(index.first[thing], index.first[thing + 1]):
                _, at, folded = index.segments[seg]
                if padded in f" {folded} ":
                    kept[thing] = min(pos, at)
                    break
        found = kept
    return found


def _match(t: _Thing, rank: Rank, pos: int) -> Match:
    field, value = t.fields[pos]
    return Match(t.kind, t.key, t.name, field, value, rank)
