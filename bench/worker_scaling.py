"""Relay throughput with 1, 2 and 3 workers: the bot in webhook mode behind nginx
(deploy/nginx/bridge.conf) on one PostgreSQL database, against the local Bot API server at a
simulated round trip (default 50 ms) and no rate limits — the same burst as
`relay_throughput.py` (senders × messages at once), run once per worker count, the counts
interleaved over ``--repeat`` rounds (a shared machine drifts; each round compares runs made
minutes apart at most). The goal (issue 14): 2 workers ≥ 1.7 × one worker's msg/s.

    python -m bench.worker_scaling [--workers 1,2,3] [--latency 50] [--senders 20]
        [--messages 10] [--repeat 2]

PostgreSQL: `TEST_POSTGRES_URL`, or a throwaway cluster (tests/storage/postgres_server.py);
nginx from the system. Results merge into ``bench/results/results.json`` (key ``workers``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from bench.relay_throughput import burst, save
from botapi_sandbox.server import SandboxServer
from tests.deploy.cluster import Cluster
from tests.e2e.test_durability import _seed
from tests.storage.postgres_server import fresh_database

GOAL_TWO = 1.7


async def run_once(
    workers: int, latency_ms: float, senders: int, messages: int, sqlite: bool = False
) -> dict:
    server = SandboxServer(latency_ms=latency_ms)
    await server.start()
    token = "778:bench-workers-token"
    server.add_bot(token, username="bench_workers_bot")
    users = [
        (server.add_user(f"S{i}", username=f"s{i}"), server.add_user(f"R{i}", username=f"r{i}"))
        for i in range(senders)
    ]
    try:
        async with AsyncExitStack() as stack:
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            if sqlite:  # one worker only: the file is locked to one process
                url = f"sqlite:///{tmp}/bench.db"
            else:
                url = await stack.enter_async_context(fresh_database())
            await _seed(url, users)
            cluster = Cluster(
                Path(tmp), server.url, token, url, workers, extra_env={"RATE_LIMIT": "false"}
            )
            try:
                await cluster.start()
                # Warm-up through every worker (nginx takes them in turn).
                for i in range(workers):
                    sender, receiver = users[i % senders]
                    await sender.send_text(f"warm-up {i}")
                    await receiver.wait_for_text(f"warm-up {i}", timeout=60, since_mark=False)
                return await burst(server, users, senders, messages)
            finally:
                await cluster.stop()
    finally:
        await server.stop()


async def main_async(
    counts: list[int],
    latency_ms: float,
    senders: int,
    messages: int,
    repeat: int,
    sqlite: bool = False,
) -> dict[str, Any]:
    runs: dict[int, list[dict]] = {n: [] for n in counts}
    on_sqlite: list[dict] = []
    for round_ in range(repeat):
        if sqlite:
            print(f"workers: round {round_ + 1}, 1 worker on SQLite…", flush=True)
            on_sqlite.append(await run_once(1, latency_ms, senders, messages, sqlite=True))
            print(f"  {on_sqlite[-1]['per_second']:.1f} msg/s", flush=True)
        for n in counts:
            print(f"workers: round {round_ + 1}, {n} worker(s)…", flush=True)
            result = await run_once(n, latency_ms, senders, messages)
            print(
                f"  {result['per_second']:.1f} msg/s, delivered {result['delivered']}"
                f"/{result['messages']}, Bot API server CPU {result['server_cpu_share']:.0%}",
                flush=True,
            )
            runs[n].append(result)
    base = statistics.median(r["per_second"] for r in runs[counts[0]])
    return {
        "latency_ms": latency_ms,
        "senders": senders,
        "messages": messages,
        "repeat": repeat,
        "goal_two_workers": GOAL_TWO,
        "one_worker_sqlite": statistics.median(r["per_second"] for r in on_sqlite)
        if on_sqlite
        else None,
        "by_workers": {
            str(n): {
                "per_second": statistics.median(r["per_second"] for r in rs),
                "ratio_to_one": statistics.median(r["per_second"] for r in rs) / base
                if base
                else 0.0,
                "delivered": min(r["delivered"] for r in rs),
                "latency_median_ms": statistics.median(
                    r["latency_median_ms"] for r in rs if r["latency_median_ms"] is not None
                ),
                "runs": rs,
            }
            for n, rs in runs.items()
        },
    }


def report(results: dict[str, Any]) -> list[str]:
    lines = [
        f"Relay with N workers behind nginx on PostgreSQL, {results['latency_ms']:g} ms round"
        f" trip, no rate limits, {results['senders']} senders × {results['messages']}"
        f" (median of {results['repeat']}):",
        "",
        "| workers | msg/s | × one worker | delivered | latency median |",
        "|---|---|---|---|---|",
    ]
    for n, row in results["by_workers"].items():
        lines.append(
            f"| {n} | {row['per_second']:.1f} | {row['ratio_to_one']:.2f} |"
            f" {row['delivered']} | {row['latency_median_ms']:.0f} ms |"
        )
    if results.get("one_worker_sqlite") is not None:
        lines += [
            "",
            f"One worker on SQLite, same setup: {results['one_worker_sqlite']:.1f} msg/s.",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument("--latency", type=float, default=50.0)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--sqlite", action="store_true", help="also one worker on SQLite, for comparison"
    )
    args = parser.parse_args()
    results = asyncio.run(
        main_async(
            [int(n) for n in args.workers.split(",") if n],
            args.latency,
            args.senders,
            args.messages,
            args.repeat,
            args.sqlite,
        )
    )
    save(results, key="workers")
    print("\n".join(report(results)))


if __name__ == "__main__":
    main()
