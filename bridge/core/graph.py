"""The in-memory connection graph that answers degree questions.

Why in memory: one aiosqlite round trip costs about as much as a whole
networkx query, so a degree question that goes to the database per pair can
never be fast. The database stays the source of truth; the core updates this
index after every committed change (accept, remove, block), the same way
LinkedIn keeps its network cache beside its stores.

Why `array('i')`: a sorted array of 32-bit ids costs 4 bytes per edge end,
where a Python set or dict costs 30-60, so a 100,000-member network with
~100 connections each fits in tens of megabytes instead of gigabytes.
Degrees above 3 are "out of network", so every search stops at depth 3.

Why a few cached sets: a degree question from a member with thousands of connections starts
by turning their row into a set (half a millisecond at 9,000), and the same heavy members ask
again and again (every inbox page, every search). The sets of the last few such members are
kept, and dropped when their row changes.

Why a CSR snapshot: rebuilding the index from five million rows costs seconds of per-row
Python work at every start. `to_csr` writes the index as two flat arrays (where each
member's row starts; every row end to end) that the storage keeps as raw bytes, and
`from_csr` loads them back with work per member only, none per connection: each row is
sliced out (one C copy) into an array of its own, as `from_edges` makes them. (Read-only
views into the one big array would save that copy, ~40 ms at 100,000 members, but cost
~93 MB resident instead of ~54: a view object is three times an array's header.)
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from itertools import islice, pairwise
from operator import le

_EMPTY = array("i")
# Rows at least this long get their set cached (a shorter one is turned into a set in a few
# microseconds), for this many members at most: ~0.8 MB for a member with 9,000 connections,
# so ~25 MB if all of them were that heavy.
CACHED_ROW = 256
CACHED_SETS = 32


class GraphIndex:
    """Undirected adjacency: member id -> sorted array of connection ids."""

    __slots__ = ("_adj", "_edges", "_sets", "log_position")

    def __init__(self) -> None:
        # The connections' change log position this index includes (`load_graph`; followed
        # across workers by `Core.follow_graph`); 0 when not known.
        self.log_position = 0
        self._adj: list[array[int] | None] = []
        self._edges = 0
        self._sets: OrderedDict[int, frozenset[int]] = OrderedDict()

    # -- building -------------------------------------------------------------

    @classmethod
    def from_edges(cls, edges: Iterable[tuple[int, int]]) -> GraphIndex:
        """Bulk load: collect both ends, then sort each array once."""
        graph = cls()
        adj = graph._adj
        for a, b in edges:
            if a == b:
                continue
            top = max(a, b)
            if top >= len(adj):
                adj.extend([None] * (top + 1 - len(adj)))
            for x, y in ((a, b), (b, a)):
                row = adj[x]
                if row is None:
                    row = adj[x] = array("i")
                row.append(y)
        edges_twice = 0
        for i, row in enumerate(adj):
            if row is None:
                continue
            unique = sorted(set(row))
            adj[i] = array("i", unique)
            edges_twice += len(unique)
        graph._edges = edges_twice // 2
        return graph

    @classmethod
    def from_csr(cls, offsets: array[int], neighbours: array[int]) -> GraphIndex:
        """Load what `to_csr` wrote: member `i`'s row is `neighbours[offsets[i]:offsets[i+1]]`.

        Only the shape is checked here (cheap, in C): the storage checks the bytes
        themselves (checksums), and a snapshot that fails either is rebuilt from the edges.
        Raises ValueError on a malformed pair of arrays."""
        if (
            neighbours.typecode != "i"
            or not len(offsets)
            or offsets[0] != 0
            or offsets[-1] != len(neighbours)
            or len(neighbours) % 2
            or not all(map(le, offsets, islice(offsets, 1, None)))
        ):
            raise ValueError("not a CSR graph snapshot")
        graph = cls()
        graph._adj = [
            neighbours[start:end] if end > start else None for start, end in pairwise(offsets)
        ]
        graph._edges = len(neighbours) // 2
        return graph

    def to_csr(self) -> tuple[array[int], array[int]]:
        """The index as (offsets, neighbours): two flat arrays, see `from_csr`."""
        offsets, neighbours = array("q", [0]), array("i")
        for row in self._adj:
            if row:
                neighbours.extend(row)
            offsets.append(len(neighbours))
        return offsets, neighbours

    def _row(self, node: int) -> array[int]:
        if 0 <= node < len(self._adj):
            row = self._adj[node]
            if row is not None:
                return row
        return _EMPTY

    def _ensure(self, node: int) -> array[int]:
        if node >= len(self._adj):
            self._adj.extend([None] * (node + 1 - len(self._adj)))
        row = self._adj[node]
        if row is None:
            row = self._adj[node] = array("i")
        return row

    def add_edge(self, a: int, b: int) -> bool:
        """Add a connection; returns False when it was already there."""
        if a == b or self.has_edge(a, b):
            return False
        insort(self._ensure(a), b)
        insort(self._ensure(b), a)
        self._edges += 1
        self._forget(a, b)
        return True

    def remove_edge(self, a: int, b: int) -> bool:
        """Remove a connection; returns False when there was none."""
        if not self.has_edge(a, b):
            return False
        for x, y in ((a, b), (b, a)):
            row = self._adj[x]
            assert row is not None
            del row[bisect_left(row, y)]
        self._edges -= 1
        self._forget(a, b)
        return True

    def remove_node(self, node: int) -> None:
        for other in list(self._row(node)):
            self.remove_edge(node, other)

    def _forget(self, a: int, b: int) -> None:
        self._sets.pop(a, None)
        self._sets.pop(b, None)

    def _first_set(self, node: int) -> frozenset[int] | set[int]:
        """`node`'s connections as a set; cached for long rows (see the module's docstring)."""
        row = self._row(node)
        if len(row) < CACHED_ROW:
            return set(row)
        cached = self._sets.get(node)
        if cached is None:
            cached = self._sets[node] = frozenset(row)
            if len(self._sets) > CACHED_SETS:
                self._sets.popitem(last=False)
        else:
            self._sets.move_to_end(node)
        return cached

    # -- reading --------------------------------------------------------------

    def has_edge(self, a: int, b: int) -> bool:
        row = self._row(a)
        i = bisect_left(row, b)
        return i < len(row) and row[i] == b

    def neighbours(self, node: int) -> array[int]:
        """The sorted connection ids of `node` (do not mutate)."""
        return self._row(node)

    def degree_count(self, node: int) -> int:
        return len(self._row(node))

    def edge_count(self) -> int:
        return self._edges

    def nodes(self) -> Iterator[int]:
        return (i for i, row in enumerate(self._adj) if row)

    def mutual(self, a: int, b: int) -> list[int]:
        """Connections `a` and `b` share, ascending."""
        ra, rb = self._row(a), self._row(b)
        if len(ra) > len(rb):
            ra, rb = rb, ra
        return sorted(set(ra).intersection(rb))

    def _weight(self, node: int) -> int:
        """Cost of expanding `node` two levels: the sum of its neighbours' degrees (summed in
        C: a fraction of a millisecond even for a member with 9,000 connections)."""
        return sum(map(len, map(self._adj.__getitem__, self._row(node))))  # type: ignore[arg-type]

    def _weight_up_to(self, node: int, cap: int) -> int:
        """`_weight(node)` when below `cap`, else some value at least `cap`."""
        adj = self._adj
        total = 0
        for x in self._row(node):
            total += len(adj[x])  # type: ignore[arg-type]
            if total >= cap:
                break
        return total

    def _third_hop(self, a: int, b: int) -> tuple[int, int] | None:
        """A pair (x, y) with a-x-y-b, expanding the cheaper side; None when none."""
        swapped = self._weight(a) > self._weight(b)
        near, far = (b, a) if swapped else (a, b)
        far_set = set(self._row(far))
        adj = self._adj
        for x in self._row(near):
            row = adj[x]
            assert row is not None
            if not far_set.isdisjoint(row):
                y = min(far_set.intersection(row))
                return (y, x) if swapped else (x, y)
        return None

    def distance(self, a: int, b: int, max_depth: int = 3) -> int | None:
        """Hops from `a` to `b`: 0, 1, 2, 3 — or None when beyond `max_depth`."""
        if a == b:
            return 0
        ra, rb = self._row(a), self._row(b)
        if not ra or not rb:
            return None
        if max_depth >= 1 and self.has_edge(a, b):
            return 1
        if max_depth < 2:
            return None
        small, large = (ra, rb) if len(ra) <= len(rb) else (rb, ra)
        if not set(small).isdisjoint(large):
            return 2
        if max_depth < 3:
            return None
        if max_depth == 3:
            return 3 if self._third_hop(a, b) is not None else None
        path = self._bfs_path(a, b, max_depth)
        return None if path is None else len(path) - 1

    def path(self, a: int, b: int, max_depth: int = 3) -> list[int] | None:
        """One shortest path [a, ..., b] of at most `max_depth` hops."""
        d = self.distance(a, b, max_depth)
        if d is None:
            return None
        if d == 0:
            return [a]
        if d == 1:
            return [a, b]
        if d == 2:
            return [a, self.mutual(a, b)[0], b]
        if d == 3:
            hop = self._third_hop(a, b)
            assert hop is not None
            return [a, hop[0], hop[1], b]
        return self._bfs_path(a, b, max_depth)

    def _bfs_path(self, a: int, b: int, max_depth: int) -> list[int] | None:
        """Plain BFS with parents, for depths the fast cases above don't cover."""
        parent = {a: a}
        frontier = [a]
        for _ in range(max_depth):
            nxt = []
            for x in frontier:
                for y in self._row(x):
                    if y not in parent:
                        parent[y] = x
                        if y == b:
                            path = [b]
                            while path[-1] != a:
                                path.append(parent[path[-1]])
                            return path[::-1]
                        nxt.append(y)
            frontier = nxt
        return None

    def distances_from(
        self, viewer: int, targets: Iterable[int], plan: str | None = None
    ) -> dict[int, int | None]:
        """Distance (≤ 3, else None) from `viewer` to each target.

        1st and 2nd degree cost one C-level set probe each. Only targets further away need
        the third hop, by one of two plans, whichever costs less in neighbour-row reads:
        "second" builds the viewer's 2nd-degree set once (the viewer's weight — a million
        insertions for a recruiter with 9,000 connections, worth it for ranking many search
        results), "probe" expands each target from its cheaper side (a page of ten needs
        little). `plan` forces one, for tests.
        """
        first_row = self._row(viewer)
        first = self._first_set(viewer)
        result: dict[int, int | None] = {}
        far: list[int] = []
        for t in targets:
            if t == viewer:
                result[t] = 0
            elif t in first:
                result[t] = 1
            else:
                row = self._row(t)
                if not first or not row:
                    result[t] = None
                elif not first.isdisjoint(row):
                    result[t] = 2
                else:
                    result[t] = None
                    far.append(t)
        if not far:
            return result
        weights = [self._weight(t) for t in far]
        # Probing never costs more than the targets' own weights, so the viewer's weight is
        # only summed up to there: a heavy viewer (9,000 connections: half a millisecond for
        # the full sum) is known to be the heavier side after a few of its neighbours.
        viewer_weight = self._weight_up_to(viewer, sum(weights))
        if plan is None:
            probing = sum(min(w, viewer_weight) for w in weights)
            plan = "second" if viewer_weight < probing else "probe"
        if plan == "second":
            third = self._third_via_second_degree(first_row, far)
        else:
            third = self._third_by_probing(first_row, first, far, weights, viewer_weight)
        for t in third:
            result[t] = 3
        return result

    def _third_by_probing(
        self,
        first_row: array[int],
        first: frozenset[int] | set[int],
        far: list[int],
        weights: list[int],
        viewer_weight: int,
    ) -> list[int]:
        """The targets three hops away, each expanded from its cheaper side."""
        adj = self._adj
        found = []
        for t, weight in zip(far, weights, strict=True):
            if weight <= viewer_weight:  # t's neighbours' rows against the viewer's row
                hit = any(not first.isdisjoint(adj[y]) for y in self._row(t))  # type: ignore[arg-type]
            else:  # the viewer's neighbours' rows against t's row
                row = set(self._row(t))
                hit = any(not row.isdisjoint(adj[x]) for x in first_row)  # type: ignore[arg-type]
            if hit:
                found.append(t)
        return found

    def _third_via_second_degree(self, first_row: array[int], far: list[int]) -> list[int]:
        """The targets three hops away, through the viewer's 2nd-degree set built once."""
        second: set[int] = set()
        adj = self._adj
        for x in first_row:
            second.update(adj[x])  # type: ignore[arg-type]
        return [t for t in far if not second.isdisjoint(self._row(t))]

    def memory_bytes(self) -> int:
        """Approximate bytes held by the index (list + arrays)."""
        import sys

        total = sys.getsizeof(self._adj)
        for row in self._adj:
            if row is not None:
                total += sys.getsizeof(row)
        return total
