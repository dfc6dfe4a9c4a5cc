"""Depth-first trees with low-links, and the sites a failure cuts off, on integer graphs.

Nodes are ``0..n-1``; ``adj[u]`` lists ``(neighbour, edge)`` pairs, one per parallel edge.
The tree hangs from a virtual root (node ``n``, position 0) joined to the ``rooted``
nodes by edges that cannot fail: that is how every data-center device is one root.

With preorder positions, every subtree is a contiguous range ``[pre, pre + size)``, so
"what does this failure cut off" is a handful of ranges, computed once per tree:

* node ``v`` fails: the subtrees of its children ``c`` with ``low[c] >= pre[v]``;
* edge ``e`` (tree edge to child ``c``) fails: subtree ``c`` if ``low[c] > pre[parent]``
  (parallel edges are told apart by id, so a doubled link is never a bridge).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Collection, Iterable, Sequence

Adjacency = Sequence[Sequence[tuple[int, int]]]
Range = tuple[int, int]


class Tree:
    """An iterative DFS from the virtual root; no recursion, so 100k nodes are fine."""

    def __init__(self, adj: Adjacency, rooted: Iterable[int]) -> None:
        n = len(adj)
        root = n
        pre = [-1] * (n + 1)
        low = [0] * (n + 1)
        size = [1] * (n + 1)
        parent = [-1] * (n + 1)
        parent_edge = [-1] * (n + 1)
        is_rooted = bytearray(n + 1)
        roots = list(rooted)
        for r in roots:
            is_rooted[r] = 1
        pre[root] = 0
        order = [root]
        cursor = [0] * (n + 1)
        t = 1
        for r in roots:
            if pre[r] != -1:
                continue
            pre[r] = t
            low[r] = 0
            parent[r] = root
            order.append(r)
            t += 1
            stack = [r]
            while stack:
                u = stack[-1]
                au = adj[u]
                i = cursor[u]
                if i < len(au):
                    cursor[u] = i + 1
                    v, e = au[i]
                    if e == parent_edge[u]:
                        continue
                    pv = pre[v]
                    if pv == -1:
                        pre[v] = t
                        low[v] = 0 if is_rooted[v] else t
                        parent[v] = u
                        parent_edge[v] = e
                        order.append(v)
                        t += 1
                        stack.append(v)
                    elif pv < low[u]:
                        low[u] = pv
                else:
                    stack.pop()
                    p = parent[u]
                    if low[u] < low[p]:
                        low[p] = low[u]
                    size[p] += size[u]
        self.n = n
        self.pre = pre
        self.low = low
        self.size = size
        self.parent = parent
        self.parent_edge = parent_edge
        self.order = order  # node at each position; position 0 is the virtual root
        self.is_rooted = is_rooted
        # node -> ranges cut off (besides itself) when it fails; only articulation points
        self.cuts: dict[int, list[Range]] = {}
        # edge -> the child below it, for bridges only
        self.bridges: dict[int, int] = {}
        for c in order[1:]:
            p = parent[c]
            if p == root:
                continue
            if low[c] >= pre[p]:
                self.cuts.setdefault(p, []).append((pre[c], pre[c] + size[c]))
                if low[c] > pre[p]:
                    self.bridges[parent_edge[c]] = c

    def reached(self, node: int) -> bool:
        return self.pre[node] >= 0

    def node_ranges(self, node: int) -> list[Range]:
        """Everything that loses the root when ``node`` fails, the node itself first."""
        p = self.pre[node]
        if p < 0:
            return []
        return [(p, p + 1), *self.cuts.get(node, ())]

    def edge_ranges(self, edge: int) -> list[Range]:
        c = self.bridges.get(edge)
        if c is None:
            return []
        return [(self.pre[c], self.pre[c] + self.size[c])]

    def cut_by_nodes(self, adj: Adjacency, removed: Collection[int]) -> list[Range]:
        """Positions that lose the root when all of ``removed`` fail, as sorted ranges.

        Only the subtrees under removed nodes can be cut (everything else keeps its tree
        path), so the search is a BFS inside those subtrees from their intact border.
        """
        pre, size = self.pre, self.size
        spans = sorted((pre[x], pre[x] + size[x]) for x in removed if pre[x] >= 0)
        inside: set[int] = set()
        end = -1
        for lo, hi in spans:
            for pos in range(max(lo, end), hi):
                inside.add(self.order[pos])
            end = max(end, hi)
        gone = {x for x in removed if pre[x] >= 0}
        inside -= gone
        queue: deque[int] = deque()
        alive: set[int] = set()
        for u in inside:
            if self.is_rooted[u] or any(v not in inside and v not in gone for v, _ in adj[u]):
                alive.add(u)
                queue.append(u)
        while queue:
            u = queue.popleft()
            for v, _ in adj[u]:
                if v in inside and v not in alive:
                    alive.add(v)
                    queue.append(v)
        return ranges_of(sorted(pre[x] for x in (inside - alive) | gone))


def ranges_of(positions: Sequence[int]) -> list[Range]:
    """Sorted positions to sorted, disjoint ranges."""
    out: list[Range] = []
    for p in positions:
        if out and out[-1][1] == p:
            out[-1] = (out[-1][0], p + 1)
        else:
            out.append((p, p + 1))
    return out


class Level:
    """The sites a set of cut positions takes with it, on one tree.

    A site is cut when every one of its reached nodes is cut. Each reached site is filed
    under its first position (its key): a site can only be cut if its key is. When the
    site's nodes stay connected among themselves whatever fails elsewhere (``single``),
    the key alone decides; other sites, and the failed element's own sites, are checked
    node by node.
    """

    def __init__(
        self,
        tree: Tree,
        weight: Sequence[int],
        site_nodes: Sequence[Sequence[int]],
        single: Sequence[bool],
    ) -> None:
        self.tree = tree
        acc = 0
        wsum = [0]
        for node in tree.order:
            acc += weight[node] if node < tree.n else 0
            wsum.append(acc)
        self.wsum = wsum
        self.site_pos: list[list[int]] = []
        keyed: list[tuple[int, int]] = []
        for s, nodes in enumerate(site_nodes):
            pos = sorted(tree.pre[x] for x in nodes if tree.pre[x] >= 0)
            self.site_pos.append(pos)
            if pos:
                keyed.append((pos[0], s))
        keyed.sort()
        self.keys = [k for k, _ in keyed]
        self.key_site = [s for _, s in keyed]
        self.single = list(single)

    def reached(self, site: int) -> bool:
        return bool(self.site_pos[site])

    def weight(self, ranges: Sequence[Range]) -> int:
        return sum(self.wsum[hi] - self.wsum[lo] for lo, hi in ranges)

    def covered(self, site: int, ranges: Sequence[Range], starts: Sequence[int]) -> bool:
        pos = self.site_pos[site]
        if not pos:
            return False
        for p in pos:
            i = bisect_right(starts, p) - 1
            if i < 0 or p >= ranges[i][1]:
                return False
        return True

    def sites(self, ranges: Sequence[Range], own: Collection[int] = ()) -> list[int]:
        """Sites cut by these (sorted, disjoint) ranges; ``own`` sites are checked in full."""
        out: list[int] = []
        starts = [lo for lo, _ in ranges]
        keys, key_site, single = self.keys, self.key_site, self.single
        for lo, hi in ranges:
            for i in range(bisect_left(keys, lo), bisect_left(keys, hi)):
                s = key_site[i]
                if (single[s] and s not in own) or self.covered(s, ranges, starts):
                    out.append(s)
        return out
