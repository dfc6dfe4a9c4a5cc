"""Filter ``edunet_routeros_missing``: the rendered RouterOS lines that ``/export terse`` does
not show yet. RouterOS has no configuration diff of its own and ``add`` is not idempotent,
so the school_lan role sends only what is missing."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["FilterModule", "missing_lines"]

# the words that start a command after its menu path
_VERBS = ("add", "set")


def _parse(line: str) -> tuple[str, str, dict[str, str]] | None:
    """``/ip dns set servers=1.1.1.1`` → ("/ip dns", "set", {"servers": "1.1.1.1"}); a
    ``[ find k=v ]`` selector counts as its pairs."""
    line = line.strip()
    if not line.startswith("/"):
        return None
    try:
        words = shlex.split(line.replace("[", " ").replace("]", " "))
    except ValueError:
        return None
    path: list[str] = []
    verb = ""
    pairs: dict[str, str] = {}
    for word in words:
        if not verb and word in _VERBS:
            verb = word
        elif not verb:
            path.append(word)
        elif "=" in word:
            key, _, value = word.partition("=")
            pairs[key] = value
    return " ".join(path), verb, pairs


def missing_lines(rendered: Iterable[str], export: str) -> list[str]:
    """Rendered lines whose menu path and every ``key=value`` are not on one exported line."""
    present = [p for p in (_parse(x) for x in export.splitlines()) if p is not None]
    out: list[str] = []
    for line in rendered:
        want = _parse(line)
        if want is None:
            continue
        path, _, pairs = want
        if not any(
            have_path == path and all(have.get(k) == v for k, v in pairs.items())
            for have_path, _, have in present
        ):
            out.append(line.strip())
    return out


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"edunet_routeros_missing": missing_lines}
