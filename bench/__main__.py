"""Benchmarks: `python -m bench [--sizes 10000,100000] [--quick] [--skip-...]`.

Degree queries at each size (ours vs networkx vs igraph), the memory of what the bot holds
for the largest network, the bot's start-up at each size (graph rebuilt vs loaded from its
snapshot), inbox pages (ours vs the SQL lower bound), digests of 10,000 members (ours vs
one aggregate query) and relay throughput (the bot over the local Bot API server at 0 and
50 ms round trip vs a PTB echo bot with concurrent updates). Results go to
`bench/results/`: results.md (tables), results.json (raw numbers and the machine), *.png.
Databases are generated once and cached under data/bench/. `--sizes ""` skips every sized
benchmark; a section skipped keeps, in results.json, the numbers of the run that last
measured it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import degrees, inbox_bench, report
from bench.data import network_db
from bench.timing import machine

RESULTS = Path(__file__).resolve().parent / "results"
RESULTS_JSON = RESULTS / "results.json"


async def main_async(args: argparse.Namespace) -> dict:
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    per_class = 25 if args.quick else args.pairs
    results: dict = {
        "machine": machine(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "options": vars(args),
        "degrees": [],
    }
    started = time.perf_counter()
    # A section skipped this time keeps the numbers of the last run that measured it.
    previous = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    skipped = {
        "degrees": not sizes,
        "memory": args.skip_memory or not sizes,
        "startup": args.skip_startup or not sizes,
        "inbox": args.skip_inbox,
        "digests": args.skip_digests,
        "relay": args.skip_relay,
        "relay_run": args.skip_relay,
    }
    carried = {k: previous[k] for k, skip in skipped.items() if skip and k in previous}
    if carried:  # the header (machine, date, options) stays the one of the carried numbers
        results.update({k: previous[k] for k in ("machine", "started", "options") if k in previous})
        results.update(carried)
    for n in sizes:
        print(f"degrees: {n:,} members…", flush=True)
        results["degrees"].append(await degrees.run(n, args.links, args.seed, per_class))
        _save(results, started)
    if not args.skip_memory and sizes:
        from bench import memory

        largest, _ = await network_db(sizes[-1], args.links, args.seed)
        print(f"memory of what the bot holds for {sizes[-1]:,} members…", flush=True)
        results["memory"] = await memory.run(largest, bot=not args.quick)
        _save(results, started)
    if not args.skip_startup and sizes:
        from bench import startup

        results["startup"] = {"sizes": []}
        for n in sizes:
            path, _ = await network_db(n, args.links, args.seed)
            print(f"start-up: {n:,} members…", flush=True)
            results["startup"]["sizes"].append(
                {"members": n, **await startup.run(path, repeat=1 if args.quick else 2)}
            )
            _save(results, started)
        if not args.quick:
            print("start-up: the snapshot of 1,000,000 members…", flush=True)
            results["startup"]["million"] = await startup.million()
        _save(results, started)
    if not args.skip_inbox:
        print("inbox pages…", flush=True)
        results["inbox"] = await inbox_bench.run(
            repeat=7 if args.quick else 25, follow=1 if args.quick else 3
        )
        _save(results, started)
    if not args.skip_digests:
        from bench import digests

        print("digests…", flush=True)
        results["digests"] = await digests.run(repeat=1 if args.quick else 3)
        _save(results, started)
    if not args.skip_relay:
        from bench import relay_throughput

        print("relay throughput…", flush=True)
        results["relay"] = await relay_throughput.main_async(quick=args.quick)
        results["relay_run"] = {"started": datetime.now(UTC).isoformat(timespec="seconds")}
    _save(results, started)
    return results


def _save(results: dict, started: float) -> None:
    """Write what we have so far: a long run interrupted still leaves its numbers."""
    results["seconds"] = time.perf_counter() - started
    RESULTS.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(results, indent=1, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="network sizes, comma-separated (1000000 needs ~20 min to seed)",
    )
    parser.add_argument("--links", type=int, default=50, help="m: average degree ~2m")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pairs", type=int, default=100, help="pairs per degree class")
    parser.add_argument(
        "--quick", action="store_true", help="fewer pairs and samples, no bot process"
    )
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-inbox", action="store_true")
    parser.add_argument("--skip-digests", action="store_true")
    parser.add_argument("--skip-relay", action="store_true")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="re-render results.md and the charts from results.json",
    )
    args = parser.parse_args()
    if args.report_only:
        results = json.loads(RESULTS_JSON.read_text())
    else:
        results = asyncio.run(main_async(args))
    table = report.markdown(results)
    (RESULTS / "results.md").write_text(table)
    report.charts(results, RESULTS)
    print(table)


if __name__ == "__main__":
    main()
