"""``q=`` on the site and device lists: what ``edunet find`` finds, from the same core
function (:func:`edunet.select.search`), best match first."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from edunet.model import Inventory
from edunet.select import search

SearchQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        description="Text to search for, as `edunet find` does: words of a name, a code, an "
        "address, a management address or a serial, without case or diacritics "
        "('le ngoc han', 'cu chi', 'FXS2132PASS', '79760'). The list keeps only what it finds, "
        "best match first (exact code or serial, whole words, start of a word, anywhere, words "
        "apart) unless `sort=` is given; the other filters apply as well.",
        examples=["le ngoc han"],
    ),
]


def ranked(inv: Inventory, q: str, kind: str) -> list[str]:
    """The keys (site codes or device names) ``q`` finds among ``kind``, best first."""
    return [m.key for m in search(inv, q, kinds=(kind,))]
