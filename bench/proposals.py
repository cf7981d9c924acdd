"""Changes proposed to `bridge/core` that the benchmarks measure as "what if" rows, without
editing the core (another team owns it): applied by patching the class in this process only.

`distances_from`: the core builds the viewer's whole 2nd-degree set before probing targets.
That costs the sum of the viewer's connections' degrees — about a million set insertions for
a recruiter with 9,000 connections — even for the 10 entries of an inbox page, where asking
each target alone costs a few dozen microseconds. The proposal picks the cheaper plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from bridge.core.graph import GraphIndex

_original = GraphIndex.distances_from


def adaptive_distances_from(self: GraphIndex, viewer: int, targets: Iterable[int]
                            ) -> dict[int, int | None]:
    """The proposed `GraphIndex.distances_from` (drop-in): probe from whichever side is
    cheaper — the viewer's 2nd-degree set (cost: the viewer's weight, paid once) or each
    target's own neighbourhood against the viewer's 1st-degree set (cost: the targets'
    weights, stopping as soon as they exceed the viewer's)."""
    targets = list(targets)
    adj = self._adj
    # The viewer's weight, estimated in O(1): summing a hub's 9,000 rows would itself cost
    # more than answering an inbox page.
    mean_degree = 2 * self._edges / max(1, len(adj))
    viewer_cost = len(self._row(viewer)) * mean_degree
    target_cost = 0
    for t in targets:
        target_cost += self._weight(t)
        if target_cost >= viewer_cost:
            return _original(self, viewer, targets)
    first = set(self._row(viewer))
    result: dict[int, int | None] = {}
    for t in targets:
        row = self._row(t)
        if t == viewer:
            result[t] = 0
        elif t in first:
            result[t] = 1
        elif not first or not row:
            result[t] = None
        elif not first.isdisjoint(row):
            result[t] = 2
        elif any(not first.isdisjoint(adj[y]) for y in row):  # type: ignore[arg-type]
            result[t] = 3
        else:
            result[t] = None
    return result


PATCH = """\
--- a/bridge/core/graph.py
+++ b/bridge/core/graph.py
@@ class GraphIndex:
     def distances_from(self, viewer: int, targets: Iterable[int]) -> dict[int, int | None]:
-        (current body)
+        (the body of bench.proposals.adaptive_distances_from, with `_original(...)` replaced
+         by the current body: build the 2nd-degree set once when the targets' weights add
+         up to more than the viewer's)
"""


@contextmanager
def adaptive_graph() -> Iterator[None]:
    """Run the core with the proposed `distances_from` for the duration."""
    GraphIndex.distances_from = adaptive_distances_from  # type: ignore[method-assign]
    try:
        yield
    finally:
        GraphIndex.distances_from = _original  # type: ignore[method-assign]
