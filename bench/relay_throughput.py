"""Relay throughput: members sending to their connections through the real bot process
over HTTP against the local Bot API server, side by side with a minimal PTB echo bot
(`concurrent_updates(True)`) on the same server in the same run — at each round trip the
server simulates (``--latencies``, default 0 and 50 ms: every Bot API call pays it,
getUpdates' long-poll wait excepted), as a burst without rate limits, then with Telegram's
limits enforced by the server (30 messages/s overall, 1/s per chat; `botapi_sandbox/flood.py`).

    python -m bench.relay_throughput [--latencies 0,50] [--senders 20] [--messages 10]
        [--limited-senders 50] [--limited-messages 12] [--skip-limits]

Reports messages/s, the ratio ours/echo, and update-to-delivery latency (median, p99):
from the moment the sandbox queued the user's message to the moment the relayed copy
(or the echo) reached the other chat. Results are merged into ``bench/results/results.json``
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

from bench.timing import machine, percentile
from botapi_sandbox.flood import FloodLimits
from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser
from tests.e2e.test_durability import _seed

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEADLINE_S = 240.0  # a run that has not delivered everything by then reports what it lost
IDLE_S = 20.0  # … and so does one that delivered nothing new for this long
# The goals (ours / echo, messages per second).
GOAL_BURST = {0.0: 0.5, 50.0: 0.8}


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
) -> dict[str, Any]:
    """Every sender sends `messages` at once; messages/s until the last one arrived (at its
    receiver, or back at the sender for the echo bot), update-to-delivery latencies."""
    loop = asyncio.get_running_loop()
    calls_before = dict(server.calls)
    sent: dict[str, float] = {}
    start, cpu_start = loop.time(), time.process_time()

    async def sender(i: int) -> None:
        for n in range(messages):
            message = await users[i][0].send_text(f"x:{i}:{n}")
            sent[f"x:{i}:{n}"] = message.at

    await asyncio.gather(*(sender(i) for i in range(senders)))
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

    total = senders * messages
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
    return {
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


async def _run(ours: bool, senders: int, messages: int, limits: bool, latency_ms: float) -> dict:
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
            result = await burst(server, users, senders, messages, ours)
        finally:
            process.terminate()
            await asyncio.to_thread(process.wait, 20)
            await server.stop()
    return result


async def main_async(
    latencies: list[float],
    senders: int = 20,
    messages: int = 10,
    limited_senders: int = 50,
    limited_messages: int = 12,
    limits: bool = True,
) -> dict[str, Any]:
    """Each configuration: the echo bot, then ours, one right after the other."""
    results: dict[str, Any] = {}
    plan = [(latency, False, senders, messages) for latency in latencies]
    if limits:
        plan += [(latency, True, limited_senders, limited_messages) for latency in latencies]
    for latency, limited, count_senders, count in plan:
        name = (
            f"{latency:g} ms, Telegram's limits, {count_senders} senders × {count}"
            if limited
            else f"{latency:g} ms, no rate limits, {count_senders} senders × {count}"
        )
        print(f"relay: {name}…", flush=True)
        echo = await _run(False, count_senders, count, limited, latency)
        ours = await _run(True, count_senders, count, limited, latency)
        results[name] = {
            "latency_ms": latency,
            "limits": limited,
            "goal": None if limited else GOAL_BURST.get(latency),
            "ours": ours,
            "echo": echo,
            "ratio": ours["per_second"] / echo["per_second"] if echo["per_second"] else 0.0,
        }
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
    parser.add_argument("--latencies", default="0,50", help="round trips in ms, comma-separated")
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--messages", type=int, default=10, help="per sender, in a burst")
    parser.add_argument("--limited-senders", type=int, default=50)
    parser.add_argument("--limited-messages", type=int, default=12)
    parser.add_argument("--skip-limits", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(
        main_async(
            [float(x) for x in args.latencies.split(",") if x],
            args.senders,
            args.messages,
            args.limited_senders,
            args.limited_messages,
            not args.skip_limits,
        )
    )
    save(results)
    from bench import report

    print("\n".join(report.relay(results)))


if __name__ == "__main__":
    main()
