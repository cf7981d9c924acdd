"""SQLite and PostgreSQL side by side: the same seeded network and busy inbox written to both
(SQLite by `executemany`, PostgreSQL by COPY), then the core's degree queries, search and
inbox pages timed on each, interleaved query by query (a noisy machine slows both alike).

    python -m bench.backends [--members 100000] [--quick] [--postgres-url URL]

PostgreSQL: `--postgres-url` (a superuser's URL; a database `bridge_bench` is created there),
else `TEST_POSTGRES_URL`, else a throwaway cluster started as the tests start one. Results:
bench/results/backends.json and a table on stdout (PostgreSQL's median / SQLite's).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from bench.data import fresh_postgres_database, settle_postgres
from bench.timing import machine
from bridge.core.app import Core
from bridge.core.models import InboxFilter
from bridge.seed.inbox import cast_inbox, connection_sender, seed_conversations
from bridge.seed.population import REFERENCE_NOW, seed_network
from bridge.storage import open_store
from bridge.storage.port import Store
from tests.storage import postgres_server

RESULTS = Path(__file__).resolve().parent / "results" / "backends.json"
WORDS = ["eng", "paris", "data", "market", "lyon", "product", "sales", "design", "manager"]


async def seed(store: Store, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    seeded = await seed_network(store, args.members, args.links, args.seed)
    network = time.perf_counter() - started
    cast = cast_inbox(seeded.network, seeded.first_id, args.conversations, args.digest, args.seed)
    await seed_conversations(
        store,
        args.seed,
        REFERENCE_NOW,
        cast,
        args.messages,
        connection_sender(seeded.network, seeded.first_id, cast.owner),
    )
    return {
        "owner": cast.owner,
        "ids": (seeded.first_id, seeded.first_id + args.members - 1),
        "network_seconds": round(network, 2),
        "seed_seconds": round(time.perf_counter() - started, 2),
    }


async def timed_us(query: Awaitable[object]) -> float:
    started = time.perf_counter()
    await query
    return (time.perf_counter() - started) * 1e6


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(ordered[len(ordered) // 2] / 1000, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1000, 3),
    }


async def measure(cores: dict[str, Core], info: dict[str, Any], n: int) -> dict[str, Any]:
    rng = random.Random(7)
    low, high = info["ids"]
    owner = info["owner"]
    pairs = [(rng.randint(low, high), rng.randint(low, high)) for _ in range(n)]
    finds = [(rng.randint(low, high), " ".join(rng.sample(WORDS, 2))) for _ in range(n)]
    samples: dict[str, dict[str, list[float]]] = {}
    for (viewer, target), (searcher, words) in zip(pairs, finds, strict=True):
        for backend, core in cores.items():  # interleaved: both see the same load
            timings = {
                "degree": await timed_us(core.network.degree_info(viewer, target)),
                "search": await timed_us(core.network.find(searcher, words)),
                "inbox all": await timed_us(core.inbox.page(owner, InboxFilter.ALL)),
                "inbox unread": await timed_us(core.inbox.page(owner, InboxFilter.UNREAD)),
            }
            for name, value in timings.items():
                samples.setdefault(name, {}).setdefault(backend, []).append(value)
    out: dict[str, Any] = {}
    for name, per_backend in samples.items():
        out[name] = {backend: summary(values) for backend, values in per_backend.items()}
        out[name]["ratio"] = round(
            out[name]["postgresql"]["median_ms"] / out[name]["sqlite"]["median_ms"], 2
        )
    return out


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    admin = args.postgres_url or postgres_server.server_url()
    pg_url = await fresh_postgres_database(admin, "bridge_bench")
    with tempfile.TemporaryDirectory(prefix="bridge-bench-") as folder:
        stores = {
            "sqlite": await open_store(f"sqlite:///{folder}/bench.db"),
            "postgresql": await open_store(pg_url),
        }
        try:
            seeding = {}
            for backend, store in stores.items():
                print(f"seeding {backend}…", flush=True)
                seeding[backend] = await seed(store, args)
            await settle_postgres(pg_url)
            cores = {backend: await Core.open(store) for backend, store in stores.items()}
            info = seeding["sqlite"]
            assert seeding["postgresql"]["owner"] == info["owner"]
            for core in cores.values():  # warm both (caches, prepared statements)
                await core.inbox.page(info["owner"])
            print("measuring…", flush=True)
            queries = await measure(cores, info, args.samples)
        finally:
            for store in stores.values():
                await store.close()
    return {
        "machine": machine(),
        "options": {k: v for k, v in vars(args).items() if k != "postgres_url"},
        "seeding": {
            backend: {k: v for k, v in s.items() if k.endswith("seconds")}
            for backend, s in seeding.items()
        },
        "queries": queries,
    }


def table(results: dict[str, Any]) -> str:
    lines = [
        "| query | SQLite median / p99 (ms) | PostgreSQL median / p99 (ms) | PG / SQLite |",
        "|---|---|---|---|",
    ]
    for name, row in results["queries"].items():
        lite, pg = row["sqlite"], row["postgresql"]
        lines.append(
            f"| {name} | {lite['median_ms']} / {lite['p99_ms']} |"
            f" {pg['median_ms']} / {pg['p99_ms']} | {row['ratio']} |"
        )
    seeding = results["seeding"]
    lines.append(
        f"\nSeeding ({results['options']['members']:,} members, ~{2 * results['options']['links']}"
        f" connections each, {results['options']['messages']:,} messages):"
        + "".join(
            f" {backend} {s['seed_seconds']} s (network {s['network_seconds']} s);"
            for backend, s in seeding.items()
        )
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=50)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--digest", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--postgres-url")
    parser.add_argument("--quick", action="store_true", help="10,000 members, smaller inbox")
    args = parser.parse_args()
    if args.quick:
        args.members, args.links, args.conversations = 10_000, 20, 2_000
        args.messages, args.digest, args.samples = 40_000, 2_000, 100
    results = asyncio.run(main_async(args))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
