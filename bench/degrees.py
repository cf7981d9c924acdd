"""Degree queries: our core (the graph index the bot loads from the on-disk database through
`Core.open`) side by side with networkx (bidirectional BFS, in memory) and igraph (C), on
the same graph, query by query.

Pairs are drawn evenly from 1st, 2nd, 3rd degree and out of network by BFS from seeded
random viewers, so the median isn't just "mostly 2nd degree". Every answer is checked
against networkx before anything is timed.
"""

from __future__ import annotations

import random
import time
from functools import partial
from pathlib import Path

import igraph as ig
import networkx as nx

from bench.data import network_db
from bench.timing import rss_bytes, summary, timed_us
from bridge.core.app import Core
from bridge.core.graph import GraphIndex
from bridge.core.models import Degree
from bridge.storage.sqlite import SqliteStore

CLASSES = ("1st", "2nd", "3rd", "out")
_CLASS_OF = {1: "1st", 2: "2nd", 3: "3rd"}


def levels(graph: GraphIndex, source: int) -> list[set[int]]:
    """Members at distance 0, 1, 2, 3 from `source` (set.update on arrays runs in C)."""
    seen = {source}
    out = [{source}]
    frontier = {source}
    for _ in range(3):
        reached: set[int] = set()
        for x in frontier:
            reached.update(graph.neighbours(x))
        reached -= seen
        seen |= reached
        out.append(reached)
        frontier = reached
    return out


def sample_pairs(
    graph: GraphIndex, ids: list[int], per_class: int, seed: int
) -> dict[str, list[tuple[int, int]]]:
    """`per_class` (viewer, target) pairs of each degree, a few per random viewer."""
    rng = random.Random(seed)
    pairs: dict[str, list[tuple[int, int]]] = {c: [] for c in CLASSES}
    per_viewer = max(1, per_class // 25)
    for _ in range(per_class * 40):
        if all(len(v) >= per_class for v in pairs.values()):
            break
        viewer = rng.choice(ids)
        if not graph.degree_count(viewer):
            continue
        by_level = levels(graph, viewer)
        reached = set().union(*by_level)
        for distance in (1, 2, 3):
            need = per_class - len(pairs[_CLASS_OF[distance]])
            pool = sorted(by_level[distance])
            for target in rng.sample(pool, min(need, per_viewer, len(pool))):
                pairs[_CLASS_OF[distance]].append((viewer, target))
        need = min(per_class - len(pairs["out"]), per_viewer)
        for _ in range(need * 20 if need > 0 else 0):
            target = rng.choice(ids)
            if target not in reached:
                pairs["out"].append((viewer, target))
                need -= 1
                if need == 0:
                    break
    return pairs


def networkx_graph(graph: GraphIndex, ids: list[int]) -> nx.Graph[int]:
    g: nx.Graph[int] = nx.Graph()
    g.add_nodes_from(ids)
    g.add_edges_from((a, b) for a in ids for b in graph.neighbours(a) if b > a)
    return g


def igraph_graph(graph: GraphIndex, ids: list[int]) -> ig.Graph:
    edges = [(a, b) for a in ids for b in graph.neighbours(a) if b > a]
    return ig.Graph(n=max(ids) + 1, edges=edges)


def nx_distance(g: nx.Graph[int], a: int, b: int) -> int | None:
    try:
        return int(nx.shortest_path_length(g, a, b))  # unweighted: hops (typed float)
    except nx.NetworkXNoPath:
        return None


def _common_sorted(g: nx.Graph[int], a: int, b: int) -> list[int]:
    """networkx's mutual connections, in the order ours come (what the timing compares)."""
    return sorted(nx.common_neighbors(g, a, b))


def _distances(g: nx.Graph[int], viewer: int, targets: list[int]) -> list[int | None]:
    """networkx's answer to "how far is each of these": one search per target."""
    return [nx_distance(g, viewer, t) for t in targets]


def as_class(distance: int | None) -> str:
    return _CLASS_OF.get(distance or 0, "out") if distance != 0 else "self"


async def run(
    n: int,
    m: int = 50,
    seed: int = 1,
    per_class: int = 100,
    row_samples: int = 40,
    path: Path | None = None,
) -> dict:
    """Degree, mutual-connections and rank-50 benchmarks on the `n`-member network."""
    if path is None:
        path, build = await network_db(n, m, seed)
    else:
        build = {"path": str(path), "cached": True}
    before = rss_bytes()
    started = time.perf_counter()
    store = await SqliteStore.open(str(path))
    core = await Core.open(store)
    load_seconds = time.perf_counter() - started
    ours_rss = rss_bytes() - before
    graph = core.deps.graph
    ids = [i for i in graph.nodes()]
    before = rss_bytes()
    started = time.perf_counter()
    g = networkx_graph(graph, ids)
    nx_build = time.perf_counter() - started
    nx_rss = rss_bytes() - before
    started = time.perf_counter()
    ig_graph = igraph_graph(graph, ids)
    ig_build = time.perf_counter() - started
    pairs = sample_pairs(graph, ids, per_class, seed)
    all_pairs = [p for c in CLASSES for p in pairs[c]]

    # Correctness first: ours, networkx and igraph agree on every sampled pair.
    mismatches = 0
    for kind in CLASSES:
        for a, b in pairs[kind]:
            ours = core.network.degree(a, b)
            theirs = Degree.from_distance(nx_distance(g, a, b))
            hops = len(ig_graph.get_shortest_path(a, to=b)) - 1 if kind != "out" else None
            if (
                ours != theirs
                or as_class(nx_distance(g, a, b)) != kind
                or (hops is not None and as_class(hops) != kind)
            ):
                mismatches += 1

    timings: dict[str, list[float]] = {"ours": [], "networkx": [], "igraph_pair": []}
    by_class: dict[str, dict[str, list[float]]] = {c: {"ours": [], "networkx": []} for c in CLASSES}
    for kind in CLASSES:
        for a, b in pairs[kind]:
            ours_us = timed_us(partial(core.network.degree, a, b))
            theirs_us = timed_us(partial(nx_distance, g, a, b))
            timings["ours"].append(ours_us)
            timings["networkx"].append(theirs_us)
            by_class[kind]["ours"].append(ours_us)
            by_class[kind]["networkx"].append(theirs_us)
            timings["igraph_pair"].append(
                timed_us(partial(ig_graph.get_shortest_path, a, to=b), repeat=1)
            )
    # igraph's full distance row is a whole-graph BFS (10-300 ms): a sample is enough.
    rng = random.Random(seed + 2)
    row_pairs = rng.sample(all_pairs, min(row_samples, len(all_pairs)))
    timings["igraph_row"] = [
        timed_us(partial(ig_graph.distances, source=a), repeat=1) for a, _ in row_pairs
    ]

    mutual: dict[str, list[float]] = {"ours": [], "networkx": []}
    for a, b in all_pairs[:: max(1, len(all_pairs) // 200)]:
        mutual["ours"].append(timed_us(partial(graph.mutual, a, b)))
        mutual["networkx"].append(timed_us(partial(_common_sorted, g, a, b)))
    rank: dict[str, list[float]] = {"ours": [], "networkx": []}
    for _ in range(50):
        viewer = rng.choice(ids)
        targets = rng.sample(ids, 50)
        assert {
            t: Degree.from_distance(d) for t, d in graph.distances_from(viewer, targets).items()
        } == {t: Degree.from_distance(nx_distance(g, viewer, t)) for t in targets}
        rank["ours"].append(timed_us(partial(graph.distances_from, viewer, targets)))
        rank["networkx"].append(timed_us(partial(_distances, g, viewer, targets), repeat=1))
    await store.close()
    from bench.memory import graph_memory

    isolated = await graph_memory(path)
    return {
        "members": n,
        "edges": graph.edge_count(),
        "build": build,
        "load_seconds": {
            "ours_core_open": load_seconds,
            "networkx_build": nx_build,
            "igraph_build": ig_build,
        },
        "memory": {
            "ours_index_bytes": graph.memory_bytes(),
            "ours_rss_bytes": isolated.get("ours", {}).get("rss_bytes", ours_rss),
            "networkx_rss_bytes": isolated.get("networkx", {}).get("rss_bytes", nx_rss),
            "in_process": {"ours_rss_bytes": ours_rss, "networkx_rss_bytes": nx_rss},
            "isolated": isolated,
        },
        "pairs": {k: len(v) for k, v in pairs.items()},
        "mismatches": mismatches,
        "degree": {k: summary(v) for k, v in timings.items()},
        "degree_by_class": {c: {k: summary(v) for k, v in d.items()} for c, d in by_class.items()},
        "mutual": {k: summary(v) for k, v in mutual.items()},
        "rank50": {k: summary(v) for k, v in rank.items()},
    }
