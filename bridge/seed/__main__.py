"""Seed a database from the command line, with progress bars.

    python -m bridge.seed --members 100000 --avg-degree 100 --seed 1 \\
        --database sqlite:///data/bench-100k.db [--inbox]
    python -m bridge.seed --demo [--members 300] [--attach 1,2] \\
        [--database sqlite:///data/bridge.db]

`--inbox` also gives the best-connected member 10,000 conversations / 200,000 messages and
10,000 other members unread messages (the inbox and digest benchmarks' data); sizes are
adjustable. Members are added after whatever the database already holds.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from typing import Any

from bridge.seed.demo import seed_demo
from bridge.seed.inbox import cast_inbox, connection_sender, seed_conversations
from bridge.seed.population import REFERENCE_NOW, seed_network
from bridge.storage import open_store


class Bars:
    """One tqdm bar per phase, created when the phase starts."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self._bars: dict[str, Any] = {}

    def phase(self, name: str, done: int, total: int | None) -> None:
        bar = self._bars.get(name)
        if bar is None:
            for other in self._bars.values():
                other.close()
            bar = self._bars[name] = self._tqdm(total=total, desc=name, unit="row", unit_scale=True)
        bar.update(done - bar.n)

    def counter(self, name: str, total: int | None = None) -> Callable[[int], None]:
        def advance(k: int) -> None:
            bar = self._bars.get(name)
            self.phase(name, (bar.n if bar is not None else 0) + k, total)

        return advance

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


async def run(args: argparse.Namespace) -> None:
    store = await open_store(args.database)  # any backend: its bulk port writes the rows
    bars = Bars()
    started = time.perf_counter()
    try:
        if args.demo:
            attach = [int(x) for x in args.attach.split(",") if x]

            def demo_progress(done: int, total: int, label: str = "") -> None:
                bars.phase("demo", done, total)

            created = await seed_demo(
                store, args.members or 300, args.seed, demo_progress, attach_to=attach
            )
            bars.close()
            print(created)
            return
        members = args.members or 10_000
        seeded = await seed_network(
            store,
            members,
            max(1, args.avg_degree // 2),
            args.seed,
            args.triad_probability,
            progress=bars.phase,
        )
        summary = {"members": members, "connections": seeded.connections}
        if args.inbox:
            cast = cast_inbox(
                seeded.network, seeded.first_id, args.conversations, args.digest_members, args.seed
            )
            done = await seed_conversations(
                store,
                args.seed,
                REFERENCE_NOW,
                cast,
                args.messages,
                connection_sender(seeded.network, seeded.first_id, cast.owner),
                progress=bars.counter("messages"),
            )
            summary |= {
                "inbox_owner": cast.owner,
                "conversations": done.conversations,
                "messages": done.messages,
                "inmails": done.inmails,
            }
        bars.close()
        summary["seconds"] = round(time.perf_counter() - started, 1)
        print(summary)
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="sqlite:///data/bridge.db")
    parser.add_argument(
        "--members", type=int, default=0, help="network size (default 10,000; 300 with --demo)"
    )
    parser.add_argument("--avg-degree", type=int, default=100)
    parser.add_argument("--triad-probability", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--demo", action="store_true", help="a small believable population")
    parser.add_argument("--attach", default="", help="member ids to connect the demo around")
    parser.add_argument("--inbox", action="store_true", help="also seed inbox/digest data")
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--digest-members", type=int, default=10_000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
