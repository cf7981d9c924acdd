"""Relay throughput and latency: members sending to their connections through the real bot
process over HTTP against the local Bot API server, side by side with a minimal PTB echo
bot (`concurrent_updates(True)`) on the same server in the same run, at the round trip the
server simulates (every Bot API call pays it, getUpdates' long-poll wait excepted):

* bursts of 20 senders × 10 messages at 0 and 50 ms, without rate limits: median of 5 runs
  (messages/s and the ratio ours/echo, each run's pair measured back to back);
* a steady offered load (20 messages/s at 50 ms): update-to-delivery latency, median and
  p99, against the echo bot's;
* Telegram's limits enforced by the server (30 messages/s overall, ~1/s per chat): 50
  senders × 12 at 50 ms, messages/s and the 429s the bot was answered;
* a sweep of round trips (0, 20, 50, 100 ms: burst throughput and steady latency) for the
  chart `bench/results/relay.png`;
* what one relayed message costs the database (`bench.sql_counts`), against the counts of
  the code before issue 13's last step (`SQL_BEFORE`, same harness).

    python -m bench.relay_throughput [--quick] [--skip-limits] [--skip-sweep]

Latency runs from the moment the sandbox queued the user's message to the moment the
relayed copy (or the echo) reached the other chat. CPU is the bot process's own (user +
system) per delivered message. Results are merged into ``bench/results/results.json``
(key ``relay``) so that ``python -m bench --report-only`` renders them with the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from bench import sql_counts
from bench.timing import machine, percentile
from botapi_sandbox.flood import FloodLimits
from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser
from tests.e2e.test_durability import _seed

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEADLINE_S = 240.0  # a run that has not delivered everything by then reports what it lost
IDLE_S = 20.0  # … and so does one that delivered nothing new for this long
# The goals: burst throughput ours / echo at each round trip; the steady load's
# latency ours / echo (median, p99); messages/s under Telegram's limits.
GOAL_BURST = {0.0: 0.5, 50.0: 0.8}
GOAL_STEADY = (2.0, 3.0)
GOAL_LIMITED = 27.0
# Per relayed message with the code before this step (commit 6d81105, `bench.sql_counts`,
# 10 senders × 10): the counts to compare with.
SQL_BEFORE = {  # every BEGIN/COMMIT then was a write transaction's (2 per transaction)
    "intake": {
        "statements": 22.0,
        "control": 6.0,
        "round_trips": 43.0,
        "transactions": 3.0,
        "read_snapshots": 0.0,
        "fsync_commits": 1.0,
    },
    "delivery": {
        "statements": 13.3,
        "control": 6.4,
        "round_trips": 31.0,
        "transactions": 3.2,
        "read_snapshots": 0.0,
        "fsync_commits": 1.0,
    },
    "total": {
        "statements": 35.3,
        "control": 12.4,
        "round_trips": 74.0,
        "transactions": 6.2,
        "read_snapshots": 0.0,
        "fsync_commits": 2.0,
    },
}


def _spawn(module: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", module],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def burst(
    server: SandboxServer,
    users: list[tuple[SimUser, SimUser]],
    senders: int,
    messages: int,
    relayed: bool = True,
    rate: float | None = None,
    process: subprocess.Popen | None = None,
) -> dict[str, Any]:
    """Every sender sends `messages` at once (or, with `rate`, the senders in turn at that
    many messages/s); messages/s until the last one arrived (at its receiver, or back at the
    sender for the echo bot), update-to-delivery latencies, and with the bot's `process` its
    CPU per message."""
    loop = asyncio.get_running_loop()
    calls_before = dict(server.calls)
    sent: dict[str, float] = {}
    total = senders * messages
    bot_cpu_before = _cpu_s(process) if process is not None else 0.0
    start, cpu_start = loop.time(), time.process_time()

    async def sender(i: int) -> None:
        for n in range(messages):
            message = await users[i][0].send_text(f"x:{i}:{n}")
            sent[f"x:{i}:{n}"] = message.at

    async def steady(per_second: float) -> None:
        for k in range(total):  # round robin over the senders, evenly spaced
            await asyncio.sleep(max(0.0, start + k / per_second - loop.time()))
            i, n = k % senders, k // senders
            message = await users[i][0].send_text(f"x:{i}:{n}")
            sent[f"x:{i}:{n}"] = message.at

    if rate is None:
        await asyncio.gather(*(sender(i) for i in range(senders)))
    else:
        await steady(rate)
    targets = [pair[1] if relayed else pair[0] for pair in users]

    def arrived() -> dict[str, float]:
        got: dict[str, float] = {}
        for user in targets:
            for m in user.chat:
                if m.from_bot:
                    for word in m.content.split():
                        if word.startswith("x:"):
                            got.setdefault(word, m.at)
        return got

    count, last_change = 0, loop.time()
    while count < total and loop.time() - start < DEADLINE_S:
        await asyncio.sleep(0.05)
        if (now := len(arrived())) != count:
            count, last_change = now, loop.time()
        elif loop.time() - last_change > IDLE_S:
            break
    got = arrived()
    elapsed = max(got.values(), default=loop.time()) - start
    # The Bot API server's (this process's) CPU over the run: near 1.0, it is the bottleneck.
    server_cpu = (time.process_time() - cpu_start) / max(loop.time() - start, 1e-9)
    calls = {k: v - calls_before.get(k, 0) for k, v in server.calls.items()}
    latencies = [got[k] - sent[k] for k in sent if k in got]
    result: dict[str, Any] = {
        "messages": total,
        "delivered": len(got),
        "seconds": elapsed,
        "per_second": len(got) / elapsed if elapsed > 0 else 0.0,
        "latency_median_ms": 1000 * statistics.median(latencies) if latencies else None,
        "latency_p99_ms": 1000 * percentile(latencies, 0.99) if latencies else None,
        "answered_429": server.flood.refused,
        "server_cpu_share": server_cpu,
        "send_calls": sum(v for k, v in calls.items() if k.startswith(("send", "copy"))),
    }
    if process is not None:
        cpu = _cpu_s(process) - bot_cpu_before
        result["cpu_ms_per_message"] = 1000 * cpu / len(got) if got else None
    return result


def _cpu_s(process: subprocess.Popen) -> float:
    times = psutil.Process(process.pid).cpu_times()
    return float(times.user + times.system)


async def _run(
    ours: bool,
    senders: int,
    messages: int,
    limits: bool,
    latency_ms: float,
    rate: float | None = None,
) -> dict[str, Any]:
    """One bot against a fresh server: `senders` × `messages`, as a burst (each sender as
    fast as the server takes them) or, with `rate`, offered at that many messages/s."""
    server = SandboxServer(latency_ms=latency_ms)
    await server.start()
    token = "777:bench-token"
    server.add_bot(token, username="bench_bot")
    server.enforce_flood_limits = limits
    users = [
        (server.add_user(f"S{i}", username=f"s{i}"), server.add_user(f"R{i}", username=f"r{i}"))
        for i in range(senders)
    ]
    env = {
        "BOT_TOKEN": token,
        "BOT_API_URL": server.url,
        "RATE_LIMIT": "true" if limits else "false",
    }
    with tempfile.TemporaryDirectory() as tmp:
        if ours:
            url = f"sqlite:///{tmp}/bench.db"
            await _seed(url, users)
            env["DATABASE_URL"] = url
        process = _spawn("bridge" if ours else "bench.echo_bot", env)
        try:
            # Warm-up: the bot is up once it answers the first message.
            probe_from, probe_to = users[0] if ours else (users[0][0], users[0][0])
            await probe_from.send_text("warm-up")
            await probe_to.wait_for_text("warm-up", timeout=60, since_mark=False)
            if limits:  # the warm-up's sends start the buckets full again
                server.flood = FloodLimits()
            result = await burst(server, users, senders, messages, ours, rate, process)
        finally:
            process.terminate()
            await asyncio.to_thread(process.wait, 20)
            await server.stop()
    return result


async def _pair(
    runs: int, senders: int, messages: int, limits: bool, latency: float, rate: float | None
) -> dict[str, Any]:
    """The echo bot then ours, `runs` times (back to back, so a noisy moment hits both);
    the run whose ratio is the median is reported, with every run's ratio."""
    pairs = []
    for _ in range(runs):
        echo = await _run(False, senders, messages, limits, latency, rate)
        ours = await _run(True, senders, messages, limits, latency, rate)
        pairs.append((echo, ours))

    def ratio(pair: tuple[dict[str, Any], dict[str, Any]]) -> float:
        echo, ours = pair
        if rate is not None:  # latency: lower is better, ours / echo
            return (ours["latency_median_ms"] or 0) / (echo["latency_median_ms"] or 1)
        return ours["per_second"] / echo["per_second"] if echo["per_second"] else 0.0

    ratios = [ratio(p) for p in pairs]
    echo, ours = sorted(pairs, key=ratio)[len(pairs) // 2]
    return {
        "latency_ms": latency,
        "limits": limits,
        "runs": runs,
        "offered_per_second": rate,
        "ours": ours,
        "echo": echo,
        "ratio": ratio((echo, ours)),
        "ratios": ratios,
    }


async def main_async(quick: bool = False, limits: bool = True, sweep: bool = True) -> dict:
    """Every part of the relay benchmark (see the module's docstring)."""
    runs = 1 if quick else 5
    senders, messages = (10, 5) if quick else (20, 10)
    steady_messages = 6 if quick else 15  # per sender: 20 × 15 = 300 at 20 msg/s = 15 s
    results: dict[str, Any] = {"burst": {}, "steady": {}, "limited": {}, "sweep": {}}
    for latency in (0.0, 50.0):
        print(f"relay: burst at {latency:g} ms, {runs} run(s)…", flush=True)
        x = await _pair(runs, senders, messages, False, latency, None)
        results["burst"][f"{latency:g}"] = {**x, "goal": GOAL_BURST[latency]}
    print("relay: steady 20 msg/s at 50 ms…", flush=True)
    x = await _pair(1, 20, steady_messages, False, 50.0, 20.0)
    o, e = x["ours"], x["echo"]
    x["p99_ratio"] = (o["latency_p99_ms"] or 0) / (e["latency_p99_ms"] or 1)
    results["steady"]["50"] = {**x, "goal": GOAL_STEADY}
    if limits:
        print("relay: Telegram's limits at 50 ms, 50 senders × 12…", flush=True)
        count = (20, 6) if quick else (50, 12)
        x = await _pair(1, *count, True, 50.0, None)
        results["limited"]["50"] = {**x, "goal": GOAL_LIMITED}
    if sweep:
        for latency in (0.0, 20.0, 50.0, 100.0) if not quick else (0.0, 50.0):
            print(f"relay: sweep at {latency:g} ms…", flush=True)
            burst = await _pair(1, senders, messages, False, latency, None)
            steady = await _pair(1, 20, steady_messages, False, latency, 20.0)
            results["sweep"][f"{latency:g}"] = {"burst": burst, "steady": steady}
    print("relay: SQL per relayed message…", flush=True)
    results["sql"] = {"before": SQL_BEFORE, "after": await sql_counts.run(10, 10)}
    results["sql"]["after"].pop("statements", None)  # the statements' texts: not kept
    return results


def save(results: dict[str, Any], key: str = "relay") -> None:
    """Merge into results.json under `key`: the other benchmarks' numbers stay as they were."""
    path = RESULTS / "results.json"
    everything = json.loads(path.read_text()) if path.exists() else {}
    everything[key] = results
    everything[f"{key}_run"] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(everything, indent=1, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1 run each, fewer messages")
    parser.add_argument("--skip-limits", action="store_true")
    parser.add_argument("--skip-sweep", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(main_async(args.quick, not args.skip_limits, not args.skip_sweep))
    save(results)
    from bench import report

    print("\n".join(report.relay(results)))
    report.relay_chart(results, RESULTS)


if __name__ == "__main__":
    main()
