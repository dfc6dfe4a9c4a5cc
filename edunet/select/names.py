"""Spellings: how a word a user typed is compared with a name, and the one "did you mean"."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "NotFound",
    "close_matches",
    "did_you_mean",
    "find",
    "fold",
    "fold_glob",
    "natural_key",
    "naturally",
]

# đ/Đ carry no combining mark, so NFD alone leaves them
_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})
# "thu-duc", "thu_duc" and "Thu Đức" are one district
_SEPARATORS = str.maketrans({"-": " ", "_": " "})


def _plain(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.translate(_LETTERS))
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` for comparing: without diacritics, case folded, ``-``/``_`` as spaces and
    runs of spaces as one: ``"Trường Tiểu học Lê Ngọc Hân"`` → ``"truong tieu hoc le ngoc han"``.
    """
    return " ".join(_plain(text).translate(_SEPARATORS).split())


def fold_glob(pattern: str) -> str:
    """A glob folded as :func:`fold` folds the names it is matched with, its ``[...]`` sets
    aside (``[0-9]`` keeps its range)."""
    parts = re.split(r"(\[[^\]]*\])", pattern)
    folded = "".join(
        _plain(p) if i % 2 else _plain(p).translate(_SEPARATORS) for i, p in enumerate(parts)
    )
    return " ".join(folded.split())


_DIGITS = re.compile(r"([0-9]+)")


def natural_key(name: str) -> tuple[tuple[tuple[str, int], ...], str]:
    """The order people expect names in: numbers by value, so ``ap2`` comes before ``ap10``;
    letters case folded, the name itself breaking ties so the order is total."""
    parts = _DIGITS.split(name)  # text, number, text, number, …, text
    runs = tuple(
        (parts[i].casefold(), int(parts[i + 1]) if i + 1 < len(parts) else -1)
        for i in range(0, len(parts), 2)
    )
    return runs, name


def naturally(names: Iterable[str]) -> list[str]:
    """``names`` in :func:`natural_key` order."""
    return sorted(names, key=natural_key)


class NotFound(LookupError):
    """A name that is not there (or names several things); the message names close ones.

    The hint is worked out when the message is read: the API asks many lookups that miss
    and never shows the message."""

    def __init__(
        self,
        kind: str,
        key: str,
        choices: Iterable[str] = (),
        where: str = " in the inventory",
        message: str | None = None,
    ) -> None:
        super().__init__(kind, key)
        self.kind = kind
        self.key = key
        self.where = where
        self._choices = choices
        self._message = message

    @property
    def hint(self) -> str:
        """``"; did you mean 'a' or 'b'?"``, or ``""``."""
        return did_you_mean(self.key, self._choices)

    def __str__(self) -> str:
        if self._message is not None:
            return self._message
        return f"no {self.kind} {self.key!r}{self.where}{self.hint}"


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
    """``key`` among ``known``, exactly, case-insensitively or without diacritics; else
    :class:`NotFound` naming close matches."""
    options = list(known)
    if key in options:
        return key
    for k in options:
        if k.casefold() == key.casefold():
            return k
    want = fold(key)
    for k in options:
        if fold(k) == want:
            return k
    raise NotFound(kind, key, options, where)
