"""Seed a database from the command line, with a progress bar.

    python -m bridge.seed --members 100000 --avg-degree 100 --seed 1 \\
        --database sqlite:///data/bench.db
    python -m bridge.seed --demo [--members 300] [--database sqlite:///data/bridge.db]
"""

from __future__ import annotations

import argparse
import asyncio

from bridge.seed.demo import seed_demo
from bridge.seed.network import powerlaw_cluster_edges, profiles
from bridge.storage import open_store
from bridge.storage.sqlite.bulk import insert_connections, insert_members


async def run(args: argparse.Namespace) -> None:
    from tqdm import tqdm

    store = await open_store(args.database)
    try:
        if args.demo:
            with tqdm(total=args.members + 3, desc="demo network", unit="step") as bar:
                def progress(done: int, total: int) -> None:
                    bar.update(done - bar.n)

                created = await seed_demo(store, args.members, args.seed, progress)
            print(created)
            return
        with tqdm(desc="generating connections", unit="member", total=args.members) as bar:
            left, right = powerlaw_cluster_edges(args.members, args.avg_degree // 2, 0.5,
                                                 args.seed)
            bar.update(args.members)
        with tqdm(total=args.members + len(left), desc="writing", unit="row") as bar:
            def counted(rows):
                for row in rows:
                    bar.update()
                    yield row

            await insert_members(store, counted(profiles(args.members, args.seed)))
            await insert_connections(store, counted(zip(left, right, strict=True)))
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--avg-degree", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--database", default="sqlite:///data/bridge.db")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
