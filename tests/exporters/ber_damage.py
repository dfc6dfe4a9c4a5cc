"""Damaged messages for the differential tests: what a broken agent or a bad link sends."""

from __future__ import annotations

from hypothesis import strategies as st


def damage(raw: bytes, data: st.DataObject, *, front: int | None = None, flips: int = 2) -> bytes:
    """``raw`` truncated, extended by up to four octets, or with one to ``flips`` octets
    changed among its first ``front`` (where the headers are; all of it when None)."""
    out = bytearray(raw)
    how = data.draw(
        st.sampled_from(["truncate", "extend", *(f"flip{n}" for n in range(1, flips + 1))])
    )
    if how == "truncate":
        return bytes(out[: data.draw(st.integers(0, len(out) - 1))])
    if how == "extend":
        return bytes(out + data.draw(st.binary(min_size=1, max_size=4)))
    last = len(out) - 1 if front is None else min(len(out) - 1, front)
    for _ in range(int(how.removeprefix("flip"))):
        out[data.draw(st.integers(0, last))] = data.draw(st.integers(0, 255))
    return bytes(out)
