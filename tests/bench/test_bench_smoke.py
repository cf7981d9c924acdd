"""Smoke test of the degree benchmark at a tiny size: it runs, every sampled pair is
answered the same by our core and networkx, and the report has the expected rows. The bench
extra (networkx, igraph, psutil, matplotlib) is part of the test set-up."""

from __future__ import annotations

from pathlib import Path

from bench import degrees, report
from bench.timing import machine
from bridge.seed import seed_network
from bridge.storage.sqlite import SqliteStore


async def test_degree_benchmark_runs_and_agrees_with_networkx(tmp_path: Path) -> None:
    path = tmp_path / "tiny.db"
    store = await SqliteStore.open(str(path))
    await seed_network(store, 300, 3, seed=4)
    await store.close()
    result = await degrees.run(300, per_class=6, row_samples=3, path=path)
    assert result["mismatches"] == 0
    assert result["members"] == 300 and result["edges"] > 300
    assert all(result["pairs"][c] > 0 for c in ("1st", "2nd", "3rd"))
    for system in ("ours", "networkx", "igraph_pair", "igraph_row"):
        timing = result["degree"][system]
        assert 0 < timing["median_us"] <= timing["p99_us"]
    assert result["memory"]["ours_index_bytes"] > 0
    table = report.markdown({"machine": machine(), "degrees": [result]})
    assert "| 300 |" in table and "ours/networkx" in table
    assert table.count("| 300 |") == 4  # latency, by class, network queries, memory
    written = report.charts({"degrees": [result]}, tmp_path)
    assert (tmp_path / "degrees.png").stat().st_size > 0 and "memory.png" in written
