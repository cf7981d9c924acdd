"""Relay throughput with 1, 2 and 3 workers: the bot in webhook mode behind nginx
(deploy/nginx/bridge.conf) on one PostgreSQL database, against the local Bot API server at a
simulated round trip (default 50 ms) and no rate limits. Every sender queues its messages at
once; Telegram's server (and ours) then hands each chat's updates to the webhook one by one
and the chats concurrently (up to max_connections, 40), so the load is many chats in
parallel, each in order. The worker counts are interleaved over ``--repeat`` rounds (a
shared machine drifts: each round compares runs made a minute apart).

Reproducible enough to compare: msg/s is counted between 10 % and 90 % of the deliveries
(no ramp-up, no tail), over 60 × 20 messages by default, and each run says where the CPU
went in that window (`cpu_shares.py`: each worker, PostgreSQL, nginx, this process — the
Bot API server and the simulated users —, the machine's other jobs, idle), PostgreSQL's
transactions and rollbacks per message and which statements met serialization conflicts,
and the Bot API calls per message. ``--quota 0.25`` holds each worker to a quarter of a
core (a cgroup each, `throttle.py`): then the workers, not the machine, are the limit, and
the ratio shows what the design scales to. The goal (issue 14): 2 workers ≥ 1.7 × one.

    python -m bench.worker_scaling [--workers 1,2,3] [--latency 50] [--senders 60]
        [--messages 20] [--repeat 3] [--quota CORES] [--sqlite] [--no-save]

PostgreSQL: `TEST_POSTGRES_URL`, or a throwaway cluster (tests/storage/postgres_server.py);
nginx from the system. Results merge into ``bench/results/results.json`` (key ``workers``,
or ``workers_throttled`` with ``--quota``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from collections import Counter
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import asyncpg
import psutil

from bench.cpu_shares import CpuShares
from bench.relay_throughput import save
from bench.throttle import throttled
from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser
from tests.deploy.cluster import Cluster
from tests.e2e.test_durability import _seed
from tests.storage.postgres_server import fresh_database

GOAL_TWO = 1.7
WINDOW = (0.1, 0.9)  # the throughput is measured between these fractions of the deliveries
DEADLINE_S = 300.0
IDLE_S = 20.0


async def _postmaster(url: str) -> int:
    """The PostgreSQL server's main process (its backends are its children)."""
    conn = await asyncpg.connect(url)
    try:
        backend = int(await conn.fetchval("SELECT pg_backend_pid()"))
        return psutil.Process(backend).ppid()  # while the backend lives
    finally:
        await conn.close()


class PgWindow:
    """What PostgreSQL did over the measured window: transactions committed and rolled back
    (`pg_stat_database`; a rollback here is a serialization conflict or an update another
    worker had applied), and which statements met a serialization conflict (read from the
    server's log when it is the throwaway cluster's, whose log sits beside its data)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._counts: dict[str, int] = {}
        self._log: Path | None = None
        self._offset = 0

    async def _read(self) -> tuple[dict[str, int], Path | None]:
        conn = await asyncpg.connect(self.url)
        try:
            row = await conn.fetchrow(
                "SELECT xact_commit, xact_rollback FROM pg_stat_database"
                " WHERE datname = current_database()"
            )
            try:
                data = await conn.fetchval("SHOW data_directory")
            except asyncpg.PostgresError:  # not a superuser: no log to read
                data = None
        finally:
            await conn.close()
        assert row is not None
        log = Path(data).parent / "log" if data else None
        counts = {"commits": int(row["xact_commit"]), "rollbacks": int(row["xact_rollback"])}
        return counts, log if log is not None and log.is_file() else None

    async def start(self) -> None:
        self._counts, self._log = await self._read()
        self._offset = self._log.stat().st_size if self._log else 0

    async def stop(self) -> dict[str, Any]:
        counts, _ = await self._read()
        result: dict[str, Any] = {k: v - self._counts[k] for k, v in counts.items()}
        if self._log is not None:
            with self._log.open("rb") as log:
                log.seek(self._offset)
                lines = log.read().decode(errors="replace").splitlines()
            conflicts: Counter[str] = Counter()
            for i, line in enumerate(lines):
                if "could not serialize access" in line:
                    statement = next(
                        (x for x in lines[i + 1 : i + 4] if "STATEMENT:" in x), "STATEMENT: ?"
                    )
                    conflicts[" ".join(statement.split("STATEMENT:")[1].split()[:6])] += 1
            result["conflicts"] = dict(conflicts.most_common(8))
        return result


async def load(
    server: SandboxServer,
    users: list[tuple[SimUser, SimUser]],
    messages: int,
    shares: CpuShares,
    database: PgWindow | None = None,
) -> dict[str, Any]:
    """Every sender queues `messages` at once (Telegram then hands each chat's updates to the
    webhook one by one, the chats concurrently); msg/s and the CPU shares are measured
    between 10 % and 90 % of the deliveries (the ramp-up and the tail left out)."""
    loop = asyncio.get_running_loop()
    total = len(users) * messages
    low, high = (round(total * f) for f in WINDOW)
    sent: dict[str, float] = {}
    got: dict[str, float] = {}
    seen = [0] * len(users)  # messages of each receiver's chat already looked at

    def collect() -> None:
        for index, (_, receiver) in enumerate(users):
            chat = receiver.chat
            for m in chat[seen[index] :]:
                if m.from_bot:
                    for word in m.content.split():
                        if word.startswith("x:"):
                            got.setdefault(word, m.at)
            seen[index] = len(chat)

    start = loop.time()
    for i, (sender, _) in enumerate(users):
        for n in range(messages):
            sent[f"x:{i}:{n}"] = (await sender.send_text(f"x:{i}:{n}")).at
    window: dict[str, Any] = {}
    count, last_change = 0, loop.time()
    while count < total and loop.time() - start < DEADLINE_S:
        await asyncio.sleep(0.05)
        collect()
        if len(got) != count:
            count, last_change = len(got), loop.time()
        elif loop.time() - last_change > IDLE_S:
            break
        if "from" not in window and count >= low:
            window["from"], window["count_from"] = loop.time(), count
            if database is not None:
                await database.start()
            window["calls_from"] = dict(server.calls)
            shares.start()
        if "from" in window and "to" not in window and count >= high:
            shares.stop()
            window["to"], window["count_to"] = loop.time(), count
            window["db"] = await database.stop() if database is not None else {}
            window["calls_to"] = dict(server.calls)
    collect()
    latencies = [got[k] - sent[k] for k in sent if k in got]
    result: dict[str, Any] = {
        "messages": total,
        "delivered": len(got),
        "latency_median_ms": 1000 * statistics.median(latencies) if latencies else None,
    }
    if "to" in window:
        counted = window["count_to"] - window["count_from"]
        result["window_messages"] = counted
        result["per_second"] = counted / max(window["to"] - window["from"], 1e-9)
        result["cpu"] = shares.shares()
        db = window["db"]
        result["db_per_message"] = {
            k: v / max(counted, 1) for k, v in db.items() if isinstance(v, int)
        }
        result["conflicting_statements"] = db.get("conflicts", {})
        calls = {
            k: (v - window["calls_from"].get(k, 0)) / max(counted, 1)
            for k, v in window["calls_to"].items()
        }
        result["api_calls_per_message"] = {k: v for k, v in calls.items() if v}
    else:  # never reached 90 %: what it lost shows in `delivered`
        result["per_second"], result["cpu"], result["db_per_message"] = 0.0, {}, {}
    return result


async def run_once(
    workers: int,
    latency_ms: float,
    senders: int,
    messages: int,
    sqlite: bool = False,
    quota: float | None = None,
) -> dict:
    """One cluster of `workers` against a fresh server and database; with `quota`, each
    worker held to that many cores (a cgroup of its own: `throttle.py`)."""
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
                pids = [p.pid for p in cluster.processes if p is not None]
                if quota is not None:
                    stack.enter_context(throttled(pids, quota))
                # Warm-up through every worker (nginx takes them in turn).
                for i in range(workers):
                    sender, receiver = users[i % senders]
                    await sender.send_text(f"warm-up {i}")
                    await receiver.wait_for_text(f"warm-up {i}", timeout=60, since_mark=False)
                components = {f"worker {i}": [pid] for i, pid in enumerate(pids)}
                components["nginx"] = [cluster.nginx.pid] if cluster.nginx else []
                if not sqlite:
                    components["postgres"] = [await _postmaster(url)]
                shares = CpuShares(components)
                return await load(
                    server, users, messages, shares, None if sqlite else PgWindow(url)
                )
            finally:
                await cluster.stop()
    finally:
        await server.stop()


def _cpu_line(cpu: dict[str, float]) -> str:
    """The CPU shares of a run, in cores: each worker, then the rest."""
    if not cpu:
        return "no CPU window"
    workers = [f"{v:.2f}" for k, v in cpu.items() if k.startswith("worker ")]
    rest = [
        f"{k} {cpu[k]:.2f}"
        for k in ("postgres", "nginx", "bench", "other", "idle", "steal")
        if k in cpu
    ]
    return f"workers {' + '.join(workers)}, " + ", ".join(rest)


def _median_cpu(runs: list[dict]) -> dict[str, float]:
    keys = {k for r in runs for k in r["cpu"]}
    return {
        k: statistics.median(r["cpu"].get(k, 0.0) for r in runs)
        for k in sorted(keys)
        if any(k in r["cpu"] for r in runs)
    }


async def main_async(
    counts: list[int],
    latency_ms: float,
    senders: int,
    messages: int,
    repeat: int,
    sqlite: bool = False,
    quota: float | None = None,
) -> dict[str, Any]:
    """Each round runs every worker count in turn (rounds interleave them: a drift of the
    shared machine's load hits every count alike); the medians over the rounds."""
    runs: dict[int, list[dict]] = {n: [] for n in counts}
    on_sqlite: list[dict] = []
    for round_ in range(repeat):
        if sqlite:
            print(f"workers: round {round_ + 1}, 1 worker on SQLite…", flush=True)
            on_sqlite.append(await run_once(1, latency_ms, senders, messages, sqlite=True))
            print(f"  {on_sqlite[-1]['per_second']:.1f} msg/s", flush=True)
        for n in counts:
            print(f"workers: round {round_ + 1}, {n} worker(s)…", flush=True)
            result = await run_once(n, latency_ms, senders, messages, quota=quota)
            print(
                f"  {result['per_second']:.1f} msg/s, delivered {result['delivered']}"
                f"/{result['messages']}; cores: {_cpu_line(result['cpu'])};"
                f" per message: {result['db_per_message']}"
                f" {result.get('api_calls_per_message')};"
                f" conflicts: {result.get('conflicting_statements')}",
                flush=True,
            )
            runs[n].append(result)
    base = statistics.median(r["per_second"] for r in runs[counts[0]])
    return {
        "latency_ms": latency_ms,
        "senders": senders,
        "messages": messages,
        "repeat": repeat,
        "worker_quota_cores": quota,
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
                # each round's own ratio against that round's one-worker run
                "round_ratios": [
                    r["per_second"] / b["per_second"] if b["per_second"] else 0.0
                    for r, b in zip(rs, runs[counts[0]], strict=True)
                ],
                "delivered": min(r["delivered"] for r in rs),
                "latency_median_ms": statistics.median(
                    r["latency_median_ms"] for r in rs if r["latency_median_ms"] is not None
                ),
                "cpu": _median_cpu(rs),
                "db_per_message": {
                    k: statistics.median(r["db_per_message"].get(k, 0.0) for r in rs)
                    for k in rs[0]["db_per_message"]
                },
                "runs": rs,
            }
            for n, rs in runs.items()
        },
    }


def cpu_ms_per_message(row: dict[str, Any]) -> dict[str, float]:
    """CPU milliseconds each component spent per relayed message (what load barely moves,
    unlike msg/s): the workers together, PostgreSQL, nginx, the bench process."""
    cpu, rate = row["cpu"], row["per_second"]
    if not rate:
        return {}
    parts = {
        "workers": sum(v for k, v in cpu.items() if k.startswith("worker ")),
        "postgres": cpu.get("postgres", 0.0),
        "nginx": cpu.get("nginx", 0.0),
        "bench": cpu.get("bench", 0.0),
    }
    return {k: 1000 * v / rate for k, v in parts.items()}


def ceiling(results: dict[str, Any]) -> list[str]:
    """What the machine allows: at the CPU a message cost in one worker's best run (the one
    the machine's other jobs slowed least), how many msg/s all its cores could carry,
    against the goal's 1.7 × that run."""
    rows = results["by_workers"]
    best = max(next(iter(rows.values()))["runs"], key=lambda r: r["per_second"])
    costs = cpu_ms_per_message(best)
    if not costs:
        return []
    total = sum(costs.values())
    cores = best["cpu"].get("cores", 2.0)
    most = 1000 * cores / total
    goal = GOAL_TWO * best["per_second"]
    lines = [
        f"One worker's best run: {best['per_second']:.1f} msg/s, machine idle"
        f" {best['cpu'].get('idle', 0):.2f} core; CPU per relayed message "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in costs.items())
        + f" = {total:.1f} ms. All {cores:g} cores carry at most {most:.0f} msg/s at that cost;"
        f" the goal (1.7 × {best['per_second']:.1f}) is {goal:.0f} msg/s, needing"
        f" {goal * total / 1000:.1f} cores.",
    ]
    for n, row in rows.items():
        each = cpu_ms_per_message(row)
        if each:
            lines.append(
                f"- {n} worker(s), medians: "
                + ", ".join(f"{k} {v:.1f}" for k, v in each.items())
                + f" ms per message; machine idle {row['cpu'].get('idle', 0):.2f} core,"
                f" other jobs {row['cpu'].get('other', 0):.2f}"
            )
    return lines


def report(results: dict[str, Any]) -> list[str]:
    quota = results.get("worker_quota_cores")
    lines = [
        f"Relay with N workers behind nginx on PostgreSQL, {results['latency_ms']:g} ms round"
        f" trip, no rate limits, {results['senders']} senders × {results['messages']},"
        f" msg/s between 10 % and 90 % of the deliveries (median of {results['repeat']}"
        " interleaved rounds)" + (f", each worker held to {quota:g} core" if quota else "") + ":",
        "",
        "| workers | msg/s | × one worker (each round) | delivered | latency median |"
        " CPU in cores: workers · PostgreSQL · nginx · bench (Bot API server + users)"
        " · other jobs · idle | rollbacks per message |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, row in results["by_workers"].items():
        cpu = row["cpu"]
        workers = sum(v for k, v in cpu.items() if k.startswith("worker "))
        each = " + ".join(f"{v:.2f}" for k, v in cpu.items() if k.startswith("worker "))
        rounds = ", ".join(f"{r:.2f}" for r in row["round_ratios"])
        lines.append(
            f"| {n} | {row['per_second']:.1f} | {row['ratio_to_one']:.2f} ({rounds}) |"
            f" {row['delivered']} | {row['latency_median_ms']:.0f} ms |"
            f" {workers:.2f} ({each}) · {cpu.get('postgres', 0):.2f} · {cpu.get('nginx', 0):.2f}"
            f" · {cpu.get('bench', 0):.2f} · {cpu.get('other', 0):.2f} · {cpu.get('idle', 0):.2f} |"
            f" {row['db_per_message'].get('rollbacks', 0):.2f} |"
        )
    lines += ["", *ceiling(results)]
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
    parser.add_argument("--senders", type=int, default=60)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--sqlite", action="store_true", help="also one worker on SQLite, for comparison"
    )
    parser.add_argument(
        "--quota",
        type=float,
        default=None,
        help="hold each worker to this many cores (a cgroup each; needs root)",
    )
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()
    results = asyncio.run(
        main_async(
            [int(n) for n in args.workers.split(",") if n],
            args.latency,
            args.senders,
            args.messages,
            args.repeat,
            args.sqlite,
            args.quota,
        )
    )
    if not args.no_save:
        save(results, key="workers_throttled" if args.quota else "workers")
    print("\n".join(report(results)))


if __name__ == "__main__":
    main()
