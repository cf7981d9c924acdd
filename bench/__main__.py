"""`python -m bench [--sizes 10000,100000] [--skip-relay]`: every benchmark, results in
`bench/results/` (markdown table, JSON, PNG charts). Ratios are against baselines run in
the same process and moment, so a noisy machine shifts both sides alike."""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
from pathlib import Path

import psutil

from bench import degrees, inbox_bench, report

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": psutil.cpu_count(), "ram_gb":
            round(psutil.virtual_memory().total / 2**30, 1), "python": platform.python_version()}


async def main_async(sizes: list[int], relay: bool) -> dict:
    results: dict = {"machine": machine(), "degrees": [], "inbox": None, "relay": None}
    for n in sizes:
        print(f"degrees: {n} members…", flush=True)
        results["degrees"].append(await degrees.run(n))
    if max(sizes) >= 100_000:
        from bench import memory

        print("memory of the bot serving the 100,000-member network…", flush=True)
        results["memory"] = await memory.run(100_000)
    print("inbox and digests…", flush=True)
    results["inbox"] = await inbox_bench.run()
    if relay:
        from bench import relay_throughput

        print("relay throughput…", flush=True)
        results["relay"] = await relay_throughput.main_async(10, 20, 4)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-relay", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results = asyncio.run(main_async(sizes, not args.skip_relay))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results.json").write_text(json.dumps(results, indent=1))
    table = report.markdown(results)
    (RESULTS / "results.md").write_text(table)
    report.charts(results, RESULTS)
    print(table)


if __name__ == "__main__":
    main()
