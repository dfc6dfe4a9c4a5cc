"""Breadth-first walks: neighbourhoods and every equal-cost shortest path."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from typing import TypeVar

from edunet.topology.dfs import Adjacency

T = TypeVar("T", bound=Hashable)


def within(start: T, hops: int, neighbours: Callable[[T], Iterable[T]]) -> dict[T, int]:
    """Everything at most ``hops`` steps from ``start`` (itself left out), with its distance."""
    dist = {start: 0}
    frontier = [start]
    for d in range(1, hops + 1):
        nxt: list[T] = []
        for u in frontier:
            for v in neighbours(u):
                if v not in dist:
                    dist[v] = d
                    nxt.append(v)
        frontier = nxt
    del dist[start]
    return dist


def reach(
    adj: Adjacency,
    roots: Iterable[int],
    stub: Sequence[int],
    dead_nodes: Collection[int] = (),
    dead_edges: Collection[int] = (),
) -> list[bool]:
    """Which nodes ``roots`` still reach with ``dead_nodes`` and ``dead_edges`` gone. A node
    in a stub site (``stub[u] >= 0``) is entered but never left for another site: the plain
    walk for failures the precomputed trees do not answer (many links at once)."""
    seen = [False] * len(adj)
    todo = [r for r in roots if r not in dead_nodes]
    for r in todo:
        seen[r] = True
    while todo:
        u = todo.pop()
        own = stub[u]
        for v, e in adj[u]:
            if seen[v] or e in dead_edges or v in dead_nodes or (own >= 0 and stub[v] != own):
                continue
            seen[v] = True
            todo.append(v)
    return seen


def shortest(
    adj: Adjacency,
    src: Iterable[int],
    dst: Iterable[int],
    stub: Sequence[int] | None = None,
    ends: Collection[int] = (),
) -> Iterator[tuple[list[int], list[int]]]:
    """Every shortest walk from any of ``src`` to any of ``dst`` as (nodes, edges).

    With ``stub``, a node ``v`` with ``stub[v] >= 0`` lies in a stub site and is only
    entered when that site is one of ``ends`` (the walk's own end sites): walks never
    pass through a third stub site.

    The BFS runs backwards from ``dst`` and stops at the first layer holding a source;
    the walks then follow the layers down, sources in index order, then (node, edge) in
    adjacency order at every hop: with sorted adjacency lists that is a fixed order,
    and a caller that wants the first k paths pays for those k only.
    """
    dist: dict[int, int] = {}
    frontier = sorted(set(dst))
    for x in frontier:
        dist[x] = 0
    wanted = set(src)
    d = 0
    while frontier and wanted.isdisjoint(frontier):
        nxt: list[int] = []
        for u in frontier:
            for v, _ in adj[u]:
                if v not in dist:
                    if stub is not None and stub[v] >= 0 and stub[v] not in ends:
                        continue
                    dist[v] = d + 1
                    nxt.append(v)
        frontier = nxt
        d += 1
    if not frontier:
        return

    def steps(u: int) -> Iterator[tuple[int, int]]:
        want = dist[u] - 1
        return iter([(v, e) for v, e in adj[u] if dist.get(v) == want])

    for start in sorted(x for x in wanted if dist.get(x) == d):
        if d == 0:
            yield [start], []
            continue
        nodes = [start]
        edges: list[int] = []
        stack = [steps(start)]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                if edges:
                    nodes.pop()
                    edges.pop()
                continue
            v, e = step
            nodes.append(v)
            edges.append(e)
            if dist[v] == 0:
                yield list(nodes), list(edges)
                nodes.pop()
                edges.pop()
            else:
                stack.append(steps(v))
