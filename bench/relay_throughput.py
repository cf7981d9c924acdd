"""Relay throughput: members sending to their connections through the real bot process
over HTTP against the local Bot API server, side by side with a minimal PTB echo bot on the
same server in the same run — once without rate limits, once with Telegram's.

    python -m bench.relay_throughput [--pairs 10] [--messages 30]

Reports messages/s, the ratio ours/echo, and update-to-delivery latency (median, p99):
from the moment the sandbox queued the user's message to the moment the relayed copy
(or the echo) reached the other chat.
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
from pathlib import Path

from bench.timing import percentile
from botapi_sandbox.server import SandboxServer
from tests.e2e.test_durability import _seed

ROOT = Path(__file__).resolve().parents[1]


def _spawn(module: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", module],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _run(ours: bool, pairs: int, messages: int, limits: bool) -> dict:
    server = SandboxServer()
    await server.start()
    token = "777:bench-token"
    server.add_bot(token, username="bench_bot")
    server.enforce_flood_limits = limits
    users = [
        (server.add_user(f"S{i}", username=f"s{i}"), server.add_user(f"R{i}", username=f"r{i}"))
        for i in range(pairs)
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
            sent: dict[str, float] = {}
            start = asyncio.get_running_loop().time()

            async def sender(i: int) -> None:
                for n in range(messages):
                    message = await users[i][0].send_text(f"x:{i}:{n}")
                    sent[f"x:{i}:{n}"] = message.at

            await asyncio.gather(*(sender(i) for i in range(pairs)))
            targets = [pair[1] if ours else pair[0] for pair in users]

            def arrived() -> dict[str, float]:
                got: dict[str, float] = {}
                for user in targets:
                    for m in user.chat:
                        if m.from_bot:
                            for word in m.content.split():
                                if word.startswith("x:"):
                                    got.setdefault(word, m.at)
                return got

            total = pairs * messages
            while len(arrived()) < total:
                await asyncio.sleep(0.05)
            got = arrived()
            elapsed = max(got.values()) - start
        finally:
            process.terminate()
            await asyncio.to_thread(process.wait, 20)
            await server.stop()
    latencies = [got[k] - sent[k] for k in sent]
    return {
        "messages": total,
        "seconds": elapsed,
        "per_second": total / elapsed,
        "latency_median_ms": 1000 * statistics.median(latencies),
        "latency_p99_ms": 1000 * percentile(latencies, 0.99),
    }


async def main_async(pairs: int, messages: int, limited_messages: int) -> dict:
    results = {}
    for limits, count in ((False, messages), (True, limited_messages)):
        echo = await _run(False, pairs, count, limits)
        ours = await _run(True, pairs, count, limits)
        results["with Telegram's limits" if limits else "no rate limits"] = {
            "ours": ours,
            "echo": echo,
            "ratio": ours["per_second"] / echo["per_second"],
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--messages", type=int, default=30)
    parser.add_argument("--limited-messages", type=int, default=4)
    args = parser.parse_args()
    results = asyncio.run(main_async(args.pairs, args.messages, args.limited_messages))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "relay.json").write_text(json.dumps(results, indent=1))
    print(
        "| run | ours msg/s | echo msg/s | ratio | ours latency median / p99 (ms) |"
        " echo latency median / p99 (ms) |"
    )
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        o, e = r["ours"], r["echo"]
        print(
            f"| {name} | {o['per_second']:.1f} | {e['per_second']:.1f} | {r['ratio']:.2f} |"
            f" {o['latency_median_ms']:.0f} / {o['latency_p99_ms']:.0f} |"
            f" {e['latency_median_ms']:.0f} / {e['latency_p99_ms']:.0f} |"
        )


if __name__ == "__main__":
    main()
