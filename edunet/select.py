"""Finding what a user named: one lookup with "did you mean", for every command, the API and
the lab. (The selection language, ``district=q1&level=thcs``, is built on top of this.)"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["NotFound", "close_matches", "did_you_mean", "find"]


class NotFound(LookupError):
    """A name that is not there; the message names close ones."""


def close_matches(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The closest choices by spelling, case folded; else those that contain the word."""
    options = list(dict.fromkeys(choices))
    folded: dict[str, str] = {}
    for c in options:
        folded.setdefault(c.casefold(), c)
    close = [folded[c] for c in difflib.get_close_matches(word.casefold(), folded, n, 0.6)]
    if not close:
        w = word.casefold()
        close = sorted(c for c in options if w and w in c.casefold())[:n]
    return close


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'a' or 'b'?"``, or ``""`` when nothing is close."""
    close = close_matches(word, choices)
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""


def find(kind: str, key: str, known: Iterable[str], where: str = " in the inventory") -> str:
    """``key`` among ``known``, exactly or case-insensitively; else :class:`NotFound` naming
    close matches."""
    options = list(known)
    if key in options:
        return key
    for k in options:
        if k.casefold() == key.casefold():
            return k
    raise NotFound(f"no {kind} {key!r}{where}{did_you_mean(key, options)}")
