"""Splitting a whole number into parts by weight: schools to levels and to districts."""

from __future__ import annotations

from collections.abc import Sequence


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights``, in whole numbers that add up exactly."""
    wsum = sum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    exact = [total * w / wsum for w in weights]
    out = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (out[i] - exact[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def capped_split(total: int, weights: Sequence[float], caps: Sequence[int]) -> list[int]:
    """Like :func:`largest_remainder`, never giving a part more than its cap."""
    out = [0] * len(weights)
    free = [i for i in range(len(weights)) if caps[i] > 0]
    left = total
    while left > 0 and free:
        share = largest_remainder(left, [weights[i] for i in free])
        over = False
        for i, n in zip(free, share, strict=True):
            room = caps[i] - out[i]
            if n >= room:
                out[i] += room
                left -= room
                over = True
            else:
                out[i] += n
                left -= n
        free = [i for i in free if out[i] < caps[i]]
        if not over:
            break
    return out
