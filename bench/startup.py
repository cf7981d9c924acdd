"""Start-up: from starting the bot process (`python -m bridge`) to its first answer, with the
connection graph rebuilt from the connections vs loaded from its snapshot, side by side at
each size, run after run (interleaved: the machine is shared and noisy).

- `rebuild`: the snapshot is deleted first, so the bot reads every connection and builds
  the index, as every start did before the snapshot (and as the first start after an upgrade
  or a bulk load still does); it then saves a snapshot, which its log times separately;
- `snapshot`: the snapshot is current;
- `snapshot + changes`: 10,000 connection changes (half removals, half new connections)
  were made since the snapshot, so the bot replays them from the change log; they are undone
  afterwards, which leaves the network as seeded.

A `/start` from a new user is already waiting when the process starts; the clock stops when
the local Bot API server receives the bot's answer. The bot's log says how long the graph
took, and its peak RSS is read once it has answered.

`million()` measures the snapshot path at 1,000,000 members × 100 connections without
seeding them (~17 min): synthetic CSR arrays of that size, saved through the repository and
loaded by `load_graph` in a fresh process.

    python -m bench.startup [--sizes 10000,100000] [--repeat 2] [--million]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from contextlib import closing
from pathlib import Path

from bench.memory import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
MODES = ("rebuild", "snapshot", "snapshot + changes")
CHANGES = 10_000
GRAPH_LOG = re.compile(
    r"connection graph: [\d,]+ connections (?:rebuilt|loaded from the snapshot \+ ([\d,]+)"
    r" changes replayed)\D* in ([\d.]+) s(?:; snapshot saved in ([\d.]+) s)?"
)


def _connect(database: Path) -> closing[sqlite3.Connection]:
    """A plain connection, committed and closed by `with` (the bot is not running)."""
    return closing(sqlite3.connect(database))


def _forget_updates(database: Path) -> None:
    """Each run's local Bot API server numbers updates from 1 again, which the bot would
    take for updates it already processed (Telegram's ids only grow)."""
    with _connect(database) as conn, conn:
        conn.execute("DELETE FROM processed_updates")


def _drop_snapshot(database: Path) -> None:
    with _connect(database) as conn, conn:
        conn.execute("DELETE FROM graph_snapshot_parts")
        conn.execute("DELETE FROM graph_snapshot")


def _change_connections(database: Path, count: int, seed: int) -> tuple[list, list]:
    """Remove `count` // 2 random connections and add as many new ones (logged by the
    triggers, as the bot's own changes are); returns both, to undo them."""
    rng = random.Random(seed)
    with _connect(database) as conn, conn:
        top = conn.execute("SELECT MAX(id) FROM members").fetchone()[0]
        removed = conn.execute(
            "SELECT member_a, member_b, created_at FROM connections"
            " WHERE rowid IN (SELECT rowid FROM connections ORDER BY random() LIMIT ?)",
            (count // 2,),
        ).fetchall()
        conn.executemany(
            "DELETE FROM connections WHERE member_a = ? AND member_b = ?",
            [(a, b) for a, b, _ in removed],
        )
        added: set[tuple[int, int]] = set()
        while len(added) < count // 2:
            a, b = sorted(rng.sample(range(1, top + 1), 2))
            if (
                conn.execute(
                    "SELECT 1 FROM connections WHERE member_a = ? AND member_b = ?", (a, b)
                ).fetchone()
                is None
            ):
                added.add((a, b))
        conn.executemany(
            "INSERT INTO connections (member_a, member_b, created_at)"
            " VALUES (?, ?, '2026-01-01T00:00:00.000000+00:00')",
            sorted(added),
        )
    return removed, sorted(added)


def _undo(database: Path, removed: list, added: list) -> None:
    with _connect(database) as conn, conn:
        conn.executemany("DELETE FROM connections WHERE member_a = ? AND member_b = ?", added)
        conn.executemany(
            "INSERT INTO connections (member_a, member_b, created_at) VALUES (?, ?, ?)", removed
        )


async def first_answer(database: Path, run: int) -> dict:
    """Start the bot on `database` with an update waiting; seconds to its first answer."""
    from botapi_sandbox.server import SandboxServer

    server = SandboxServer()
    await server.start()
    token = "999:startup-token"
    server.add_bot(token)
    user = server.add_user(f"Starter{run}", username=f"starter{run}")
    env = {
        **os.environ,
        "BOT_TOKEN": token,
        "BOT_API_URL": server.url,
        "DATABASE_URL": f"sqlite:///{database}",
    }
    with tempfile.TemporaryFile() as log:
        await user.send_text("/start")
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "bridge"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            answer = None
            while answer is None and process.poll() is None and time.monotonic() - started < 600:
                try:
                    answer = await user.wait_for(
                        lambda chat: next((m for m in chat if m.from_bot), None), timeout=2
                    )
                except TimeoutError:
                    continue
            rss = peak_rss_mb(process.pid) if process.poll() is None else float("nan")
        finally:
            process.terminate()
            await asyncio.to_thread(process.wait, 60)
            await server.stop()
        log.seek(0)
        text = log.read().decode(errors="replace")
    if answer is None:
        raise RuntimeError(f"the bot never answered; its log ends:\n{text[-2000:]}")
    found = GRAPH_LOG.search(text)
    return {
        "seconds": answer.at - started,
        "peak_rss_mb": rss,
        "graph_seconds": float(found[2]) if found else None,
        "replayed": int(found[1].replace(",", "")) if found and found[1] else 0,
        "snapshot_saved_seconds": float(found[3]) if found and found[3] else None,
    }


async def run(database: Path, repeat: int = 2) -> dict:
    """Each mode `repeat` times, interleaved; medians and every run."""
    from bridge.storage.sqlite import SqliteStore

    await (await SqliteStore.open(str(database))).close()  # migrated before the first run
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for i in range(repeat):
        for mode in MODES:
            undo = None
            _forget_updates(database)
            if mode == "rebuild":
                _drop_snapshot(database)
            elif mode == "snapshot + changes":
                undo = _change_connections(database, CHANGES, seed=i)
            try:
                runs[mode].append(await first_answer(database, len(runs[mode]) + 10 * i))
            finally:
                if undo is not None:
                    _undo(database, *undo)
    result: dict = {"database": database.name, "runs": runs}
    for mode, rows in runs.items():
        result[mode] = {
            key: statistics.median(r[key] for r in rows)
            for key in ("seconds", "peak_rss_mb", "graph_seconds")
            if all(r[key] is not None for r in rows)
        }
        saved = [r["snapshot_saved_seconds"] for r in rows if r["snapshot_saved_seconds"]]
        if saved:
            result[mode]["snapshot_saved_seconds"] = statistics.median(saved)
    result["ratio"] = result["snapshot"]["seconds"] / result["rebuild"]["seconds"]
    return result


MILLION_PROBE = """
import asyncio, json, sys, time
from bridge.core.app import load_graph
from bridge.storage.sqlite import SqliteStore

async def main():
    started = time.perf_counter()
    store = await SqliteStore.open(sys.argv[1])
    graph = await load_graph(store)
    seconds = time.perf_counter() - started
    await store.close()
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            rss = int(line.split()[1]) / 1024
    print(json.dumps({"seconds": seconds, "edges": graph.edge_count(),
                      "index_mb": graph.memory_bytes() / 2**20, "peak_rss_mb": rss}))

asyncio.run(main())
"""


async def million(members: int = 1_000_000, degree: int = 100) -> dict:
    """Open the store and load the graph from a snapshot of `members` × `degree` ids, in a
    fresh process. The rows are synthetic (each member's are the same `degree` ids): loading
    only checks the shape and the checksums, so its cost is that of a real network's."""
    from bridge.storage.port import GraphSnapshot
    from bridge.storage.sqlite import SqliteStore

    with tempfile.TemporaryDirectory(dir=ROOT / "data") as tmp:
        path = Path(tmp) / "million.db"
        store = await SqliteStore.open(str(path))
        started = time.perf_counter()
        async with store.transaction() as tx:
            generation = await tx.graph_snapshots.generation()
            assert generation is not None
            offsets = array("q", range(0, members * degree + 1, degree))
            neighbours = array("i", range(1, degree + 1)) * members
            await tx.graph_snapshots.save(GraphSnapshot(generation, offsets, neighbours))
        del offsets, neighbours
        await store.close()
        written = time.perf_counter() - started
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            MILLION_PROBE,
            str(path),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            return {"error": err.decode()[-500:]}
        result = json.loads(out.decode().strip().splitlines()[-1])
    return {"members": members, "degree": degree, "write_seconds": written, **result}


async def main_async(args: argparse.Namespace) -> dict:
    from bench.data import network_db

    results: dict = {"sizes": []}
    for n in sorted(int(s) for s in args.sizes.split(",") if s):
        path, _ = await network_db(n)
        print(f"start-up: {n:,} members…", flush=True)
        results["sizes"].append({"members": n, **await run(path, args.repeat)})
    if args.million:
        print("start-up: snapshot load at 1,000,000 members…", flush=True)
        results["million"] = await million()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--million", action="store_true")
    print(json.dumps(asyncio.run(main_async(parser.parse_args())), indent=1))


if __name__ == "__main__":
    main()
