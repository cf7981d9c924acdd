"""The graph index against a plain BFS on random graphs."""

from array import array
from collections import deque
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.core import graph as graph_module
from bridge.core.graph import GraphIndex

edges_st = st.lists(st.tuples(st.integers(0, 25), st.integers(0, 25)), max_size=60)


def bfs(edges, a, b):
    adj: dict[int, set[int]] = {}
    for x, y in edges:
        if x != y:
            adj.setdefault(x, set()).add(y)
            adj.setdefault(y, set()).add(x)
    seen = {a: 0}
    queue = deque([a])
    while queue:
        x = queue.popleft()
        for y in adj.get(x, ()):
            if y not in seen:
                seen[y] = seen[x] + 1
                queue.append(y)
    d = seen.get(b)
    return d if d is not None and d <= 3 else None, adj


@settings(max_examples=300, deadline=None)
@given(edges_st, st.integers(0, 26), st.integers(0, 26))
def test_distance_and_path_match_bfs(edges, a, b):
    graph = GraphIndex.from_edges(edges)
    expected, adj = bfs(edges, a, b)
    assert graph.distance(a, b) == expected
    path = graph.path(a, b)
    if expected is None:
        assert path is None
    else:
        assert path[0] == a and path[-1] == b and len(path) == expected + 1
        for x, y in zip(path, path[1:], strict=False):
            assert y in adj[x]
    assert graph.mutual(a, b) == sorted(adj.get(a, set()) & adj.get(b, set()))


@settings(max_examples=200, deadline=None)
@given(edges_st, st.integers(0, 26), st.lists(st.integers(0, 26), max_size=12))
def test_distances_from_matches_bfs(edges, viewer, targets):
    graph = GraphIndex.from_edges(edges)
    got = graph.distances_from(viewer, targets)
    assert got == {t: bfs(edges, viewer, t)[0] for t in targets}


@settings(max_examples=300, deadline=None)
@given(edges_st, st.integers(0, 26), st.lists(st.integers(0, 26), max_size=12))
def test_both_distance_plans_match_bfs(edges, viewer, targets):
    """`distances_from` picks a plan by cost; each plan alone must give the BFS answer."""
    graph = GraphIndex.from_edges(edges)
    expected = {t: bfs(edges, viewer, t)[0] for t in targets}
    assert graph.distances_from(viewer, targets, plan="probe") == expected
    assert graph.distances_from(viewer, targets, plan="second") == expected


def _spy_plans(graph: GraphIndex, monkeypatch) -> list[str]:
    used: list[str] = []
    for name in ("_third_by_probing", "_third_via_second_degree"):
        plan = getattr(GraphIndex, name)
        monkeypatch.setattr(
            GraphIndex,
            name,
            lambda self, *a, plan=plan, name=name: used.append(name) or plan(self, *a),
        )
    return used


def test_a_hub_asking_about_a_few_members_probes_them(monkeypatch):
    """A recruiter with 300 connections asking about a page of 5 people: probing the 5 costs
    less than building the recruiter's whole 2nd-degree set."""
    edges = [(0, i) for i in range(1, 301)]
    edges += [(i, i + 1) for i in range(1, 300)]  # the hub's connections know each other
    edges += [(300 + i, 400 + i) for i in range(1, 6)]  # 301..305 each know one far member
    edges += [(300, 500), (500, 501)]  # 501 is three hops away
    graph = GraphIndex.from_edges(edges)
    used = _spy_plans(graph, monkeypatch)
    targets = [5, 301, 302, 401, 500, 501, 999]
    expected = {t: bfs(edges, 0, t)[0] for t in targets}
    assert graph.distances_from(0, targets) == expected
    assert (expected[500], expected[501]) == (2, 3)
    assert used == ["_third_by_probing"]


def test_a_member_ranking_many_results_builds_their_second_degree_once(monkeypatch):
    edges = [(0, 1), (1, 2), (2, 3)] + [(3, i) for i in range(10, 200)]
    graph = GraphIndex.from_edges(edges)
    used = _spy_plans(graph, monkeypatch)
    targets = list(range(10, 200))
    assert graph.distances_from(1, targets) == {t: bfs(edges, 1, t)[0] for t in targets}
    assert used == ["_third_via_second_degree"]


@settings(max_examples=200, deadline=None)
@given(edges_st, edges_st)
def test_incremental_updates_equal_bulk_load(first, changes):
    graph = GraphIndex.from_edges(first)
    current = {frozenset(e) for e in first if e[0] != e[1]}
    for i, (a, b) in enumerate(changes):
        if i % 3 == 2:
            assert graph.remove_edge(a, b) == (frozenset((a, b)) in current)
            current.discard(frozenset((a, b)))
        else:
            assert graph.add_edge(a, b) == (a != b and frozenset((a, b)) not in current)
            if a != b:
                current.add(frozenset((a, b)))
    rebuilt = GraphIndex.from_edges(tuple(e) for e in current)
    assert graph.edge_count() == rebuilt.edge_count() == len(current)
    for node in range(27):
        assert list(graph.neighbours(node)) == list(rebuilt.neighbours(node))


def test_remove_node_drops_every_edge():
    graph = GraphIndex.from_edges([(1, 2), (1, 3), (2, 3)])
    graph.remove_node(1)
    assert graph.degree_count(1) == 0
    assert graph.edge_count() == 1
    assert graph.distance(1, 2) is None and graph.distance(2, 3) == 1


def test_depth_beyond_three_is_out_of_network_but_longer_depths_are_reachable():
    chain = GraphIndex.from_edges([(i, i + 1) for i in range(6)])
    assert chain.distance(0, 3) == 3
    assert chain.distance(0, 4) is None
    assert chain.distance(0, 5, max_depth=6) == 5
    assert chain.path(0, 5, max_depth=6) == [0, 1, 2, 3, 4, 5]


def test_memory_is_compact():
    edges = [(i, (i * 7 + k) % 5000) for i in range(5000) for k in range(1, 21)]
    graph = GraphIndex.from_edges(edges)
    # ~4 bytes per edge end plus a small fixed cost per member.
    assert graph.memory_bytes() < graph.edge_count() * 2 * 4 + 5000 * 100


@settings(max_examples=150, deadline=None)
@given(edges_st, edges_st, st.integers(0, 26))
def test_cached_sets_follow_every_change(first, changes, viewer):
    """With every row cached (and the cache smaller than the graph), degrees asked between
    changes always match a BFS of the current edges."""
    with patch.object(graph_module, "CACHED_ROW", 1), patch.object(graph_module, "CACHED_SETS", 3):
        graph = GraphIndex.from_edges(first)
        current = [e for e in first]
        targets = list(range(27))
        for i, (a, b) in enumerate(changes):
            for asker in (viewer, a, b):
                assert graph.distances_from(asker, targets) == {
                    t: bfs(current, asker, t)[0] for t in targets
                }
            if i % 3 == 2:
                graph.remove_edge(a, b)
                current = [e for e in current if frozenset(e) != frozenset((a, b))]
            else:
                graph.add_edge(a, b)
                current.append((a, b))
        assert graph.distances_from(viewer, targets) == {
            t: bfs(current, viewer, t)[0] for t in targets
        }
        assert len(graph._sets) <= 3


def test_a_heavy_members_set_is_kept_until_their_row_changes():
    hub = 0
    graph = GraphIndex.from_edges([(hub, n) for n in range(1, graph_module.CACHED_ROW + 1)])
    assert graph.distances_from(hub, [1, 5000]) == {1: 1, 5000: None}
    kept = graph._sets[hub]
    assert graph.distances_from(hub, [2]) == {2: 1}
    assert graph._sets[hub] is kept  # asked again: not rebuilt
    graph.add_edge(hub, 5000)
    assert hub not in graph._sets
    assert graph.distances_from(hub, [5000]) == {5000: 1}
    graph.add_edge(1, 2)
    graph.remove_edge(hub, 1)
    assert graph.distances_from(hub, [1]) == {1: 2}  # now through 2 only


@given(edges_st, st.integers(0, 26), st.integers(0, 400))
def test_capped_weight_is_exact_below_the_cap(edges, node, cap):
    graph = GraphIndex.from_edges(edges)
    full = graph._weight(node)
    capped = graph._weight_up_to(node, cap)
    assert capped == full if full < cap else capped >= cap


def _reloaded(graph: GraphIndex) -> GraphIndex:
    """The graph through its CSR snapshot form, as a start-up loads it (arrays copied, as
    they would be read back from storage)."""
    offsets, neighbours = graph.to_csr()
    return GraphIndex.from_csr(array("q", offsets), array("i", neighbours))


def _same_answers(graph: GraphIndex, edges, nodes=range(27)) -> None:
    rebuilt = GraphIndex.from_edges(edges)
    assert graph.edge_count() == rebuilt.edge_count()
    for node in nodes:
        assert list(graph.neighbours(node)) == list(rebuilt.neighbours(node))
        assert graph.degree_count(node) == rebuilt.degree_count(node)
    targets = list(nodes)
    for viewer in nodes:
        expected = {t: bfs(edges, viewer, t)[0] for t in targets}
        assert graph.distances_from(viewer, targets) == expected
        for t in targets:
            assert graph.distance(viewer, t) == expected[t]
            assert graph.mutual(viewer, t) == rebuilt.mutual(viewer, t)


@settings(max_examples=150, deadline=None)
@given(edges_st, edges_st)
def test_a_graph_loaded_from_its_snapshot_answers_as_one_built_from_edges(first, changes):
    """Loaded from CSR arrays, then changed, the index answers every degree question as one
    built from the same edges; the arrays it was loaded from are never written to."""
    offsets, neighbours = GraphIndex.from_edges(first).to_csr()
    kept = (array("q", offsets), array("i", neighbours))
    loaded = GraphIndex.from_csr(offsets, neighbours)
    _same_answers(loaded, first)
    current = {frozenset(e) for e in first if e[0] != e[1]}
    for i, (a, b) in enumerate(changes):
        if i % 3 == 2:
            assert loaded.remove_edge(a, b) == (frozenset((a, b)) in current)
            current.discard(frozenset((a, b)))
        else:
            assert loaded.add_edge(a, b) == (a != b and frozenset((a, b)) not in current)
            if a != b:
                current.add(frozenset((a, b)))
    assert (offsets, neighbours) == kept
    final = [tuple(e) for e in current]
    _same_answers(loaded, final)
    _same_answers(_reloaded(loaded), final)  # and saved again after the changes


@pytest.mark.parametrize(
    "offsets, neighbours",
    [
        ([], []),  # no offsets at all
        ([1, 2], [5, 5]),  # does not start at 0
        ([0, 2, 1, 2], [2, 1]),  # a row ending before it starts
        ([0, 1, 2], [1, 0, 0]),  # the last row does not end at the end
        ([0, 1, 1], [1]),  # an edge with one end only
    ],
)
def test_a_malformed_snapshot_is_refused(offsets, neighbours):
    with pytest.raises(ValueError):
        GraphIndex.from_csr(array("q", offsets), array("i", neighbours))


def test_a_snapshot_loaded_graph_is_as_compact_as_a_built_one():
    edges = [(i, (i * 7 + k) % 5000) for i in range(5000) for k in range(1, 21)]
    built = GraphIndex.from_edges(edges)
    assert _reloaded(built).memory_bytes() <= built.memory_bytes()
