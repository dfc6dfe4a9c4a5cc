"""Stub sites hanging off the transit tree: which of them a transit failure cuts off.

A stub site (a school) carries no other site's traffic, so it is no part of the transit
graph the DFS tree is built on. Each internally connected part of a stub site (a
*group*: the devices its own links join) hangs from the transit nodes at the far ends of
its external links (its *anchors*). A failure in the transit network cuts a group off
exactly when it cuts every one of the group's reached anchors, and cuts a stub site off
when it cuts every one of the site's reached groups.

As in :class:`~edunet.topology.dfs.Level`, each group is filed under its first anchor
position (its key): only a failure whose ranges hold the key can cut it. When all of the
group's anchors lie in the range holding its key (one anchor, or several below the same
failed node or bridge), that decides it; otherwise each anchor is looked up.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from edunet.topology.dfs import Range, Tree


@dataclass(frozen=True, slots=True)
class Group:
    """One internally connected part of a stub site."""

    site: int
    weight: int  # devices in it
    anchors: tuple[int, ...]  # transit nodes at the far ends of its external links


class Attached:
    """Groups hung from one tree by their anchors."""

    def __init__(self, tree: Tree, groups: Sequence[Group], sites: int) -> None:
        self.site = [g.site for g in groups]
        self.weights = [g.weight for g in groups]
        self.pos: list[list[int]] = []
        keyed: list[tuple[int, int]] = []
        self.site_groups = [0] * sites  # reached groups per site
        for i, g in enumerate(groups):
            pos = sorted({tree.pre[a] for a in g.anchors if tree.pre[a] >= 0})
            self.pos.append(pos)
            if pos:
                keyed.append((pos[0], i))
                self.site_groups[g.site] += 1
        keyed.sort()
        self.keys = [k for k, _ in keyed]
        self.key_group = [i for _, i in keyed]
        self.order = tree.order

    def reached(self, group: int) -> bool:
        return bool(self.pos[group])

    def sole_anchors(self) -> set[int]:
        """Nodes that are some group's only way out."""
        return {self.order[pos[0]] for pos in self.pos if len(pos) == 1}

    def cut(self, ranges: Sequence[Range]) -> tuple[list[int], int]:
        """(stub sites cut, devices cut) when every position in ``ranges`` (sorted,
        disjoint) loses the root."""
        if not ranges:
            return [], 0
        starts = [lo for lo, _ in ranges]
        keys, key_group, all_pos = self.keys, self.key_group, self.pos
        weight = 0
        hits: dict[int, int] = {}
        for lo, hi in ranges:
            for k in range(bisect_left(keys, lo), bisect_left(keys, hi)):
                g = key_group[k]
                pos = all_pos[g]
                if pos[-1] >= hi and not _covered(pos, ranges, starts):
                    continue
                weight += self.weights[g]
                s = self.site[g]
                hits[s] = hits.get(s, 0) + 1
        sites = [s for s, n in hits.items() if n == self.site_groups[s]]
        return sites, weight


def _covered(pos: Sequence[int], ranges: Sequence[Range], starts: Sequence[int]) -> bool:
    for p in pos:
        i = bisect_right(starts, p) - 1
        if i < 0 or p >= ranges[i][1]:
            return False
    return True
