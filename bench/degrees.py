"""Degree queries: our core (graph index loaded from the on-disk database) side by side with
networkx (bidirectional BFS, in memory) and igraph (C), on the same seeded network."""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import igraph as ig
import networkx as nx
import psutil
from tqdm import tqdm

from bridge.core.app import Core
from bridge.core.graph import GraphIndex
from bridge.seed.network import powerlaw_cluster_edges, profiles
from bridge.storage.sqlite import SqliteStore
from bridge.storage.sqlite.bulk import insert_connections, insert_members

DATA = Path(__file__).resolve().parents[1] / "data" / "bench"
CLASSES = ("1st", "2nd", "3rd", "out")


def rss() -> int:
    gc.collect()
    return psutil.Process().memory_info().rss


async def build_database(n: int, m: int, seed: int) -> tuple[Path, tuple]:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"net-{n}-{m}-{seed}.db"
    edges = powerlaw_cluster_edges(n, m, 0.5, seed)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        store = await SqliteStore.open(str(tmp))
        with tqdm(total=n + len(edges[0]), desc=f"writing {n:,}-member network",
                  unit="row") as bar:
            await insert_members(store, _progress(profiles(n, seed), bar))
            await insert_connections(store, _progress(zip(*edges, strict=True), bar))
        await store.close()
        tmp.rename(path)
    return path, edges


def _progress(rows, bar):
    for row in rows:
        bar.update()
        yield row


def sample_pairs(graph: GraphIndex, n: int, per_class: int, seed: int) -> dict[str, list]:
    """Pairs drawn evenly from 1st, 2nd, 3rd and out of network (BFS from random viewers)."""
    rng = random.Random(seed)
    pairs: dict[str, list] = {c: [] for c in CLASSES}
    tries = 0
    while any(len(v) < per_class for v in pairs.values()) and tries < per_class * 40:
        tries += 1
        viewer = rng.randint(1, n)
        target = rng.randint(1, n)
        d = graph.distance(viewer, target)
        key = {1: "1st", 2: "2nd", 3: "3rd", None: "out"}.get(d)
        if key == "1st" or (key is None and d is None):
            pass
        if d is None:
            key = "out"
        if key in ("2nd", "3rd", "out") and len(pairs[key]) < per_class:
            pairs[key].append((viewer, target))
        neighbours = graph.neighbours(viewer)
        if neighbours and len(pairs["1st"]) < per_class:
            pairs["1st"].append((viewer, neighbours[rng.randrange(len(neighbours))]))
        if len(pairs["2nd"]) < per_class and neighbours:
            via = neighbours[rng.randrange(len(neighbours))]
            far = graph.neighbours(via)
            candidate = far[rng.randrange(len(far))]
            if graph.distance(viewer, candidate) == 2:
                pairs["2nd"].append((viewer, candidate))
    return pairs


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter_ns()
    for _ in range(repeat):
        fn()
    return (time.perf_counter_ns() - start) / repeat / 1e3  # µs


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_us": statistics.median(ordered),
            "p99_us": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]}


async def run(n: int, m: int = 50, seed: int = 1, per_class: int = 100) -> dict:
    path, (left, right) = await build_database(n, m, seed)
    before = rss()
    store = await SqliteStore.open(str(path))
    core = await Core.open(store)
    ours_rss = rss() - before
    graph = core.deps.graph
    before = rss()
    g = nx.Graph()
    g.add_edges_from(zip(left, right, strict=True))
    nx_rss = rss() - before
    ig_graph = ig.Graph(n=n + 1, edges=list(zip(left, right, strict=True)))
    pairs = sample_pairs(graph, n, per_class, seed)
    result: dict = {"members": n, "edges": graph.edge_count(),
                    "memory": {"ours_index_bytes": graph.memory_bytes(),
                               "ours_rss_bytes": ours_rss, "networkx_rss_bytes": nx_rss},
                    "pairs": {k: len(v) for k, v in pairs.items()}}
    all_pairs = [p for v in pairs.values() for p in v]
    timings: dict[str, list[float]] = {"ours": [], "networkx": [], "igraph_pair": [],
                                       "igraph_row": []}
    for a, b in all_pairs:
        ours = core.network.degree(a, b)
        timings["ours"].append(timed(lambda a=a, b=b: core.network.degree(a, b)))
        try:
            theirs = nx.shortest_path_length(g, a, b)
        except nx.NetworkXNoPath:
            theirs = None
        timings["networkx"].append(timed(lambda a=a, b=b: _nx_distance(g, a, b)))
        timings["igraph_pair"].append(timed(
            lambda a=a, b=b: ig_graph.get_shortest_path(a, to=b)))
        timings["igraph_row"].append(timed(lambda a=a: ig_graph.distances(source=a)))
        expected = theirs if theirs is not None and theirs <= 3 else None
        assert int(ours) == (expected if expected is not None else 9), (a, b, ours, theirs)
    result["degree"] = {k: summary(v) for k, v in timings.items()}
    # Mutual connections and "rank 50 search results by degree for a viewer".
    rng = random.Random(seed + 1)
    mutual = {"ours": [], "networkx": []}
    rank = {"ours": [], "networkx": []}
    for a, b in all_pairs[:200]:
        mutual["ours"].append(timed(lambda a=a, b=b: graph.mutual(a, b)))
        mutual["networkx"].append(timed(lambda a=a, b=b: sorted(nx.common_neighbors(g, a, b))))
    for _ in range(50):
        viewer = rng.randint(1, n)
        targets = [rng.randint(1, n) for _ in range(50)]
        rank["ours"].append(timed(lambda v=viewer, t=targets: graph.distances_from(v, t)))
        rank["networkx"].append(timed(lambda v=viewer, t=targets: [
            _nx_distance(g, v, x) for x in t]))
    result["mutual"] = {k: summary(v) for k, v in mutual.items()}
    result["rank50"] = {k: summary(v) for k, v in rank.items()}
    await store.close()
    return result


def _nx_distance(g: nx.Graph, a: int, b: int) -> int | None:
    try:
        return nx.shortest_path_length(g, a, b)
    except nx.NetworkXNoPath:
        return None
