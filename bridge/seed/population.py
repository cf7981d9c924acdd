"""Write a synthetic network (members + connections) into a store through the bulk path.

Ids continue after whatever the database holds, so a network can be seeded into a fresh
benchmark file or next to real members (the demo)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bridge.seed.network import SyntheticNetwork, powerlaw_cluster
from bridge.seed.profiles import join_times, member_rows
from bridge.storage.bulk import ConnectionRow
from bridge.storage.port import Store

# (phase, done, total): phases are "generating", "members", "connections".
PhaseProgress = Callable[[str, int, int], None]

REFERENCE_NOW = datetime(2026, 1, 1, tzinfo=UTC)  # fixed, so a seed gives the same rows


@dataclass
class SeededNetwork:
    first_id: int
    network: SyntheticNetwork
    connections: int

    @property
    def ids(self) -> range:
        return range(self.first_id, self.first_id + self.network.n)

    def member_id(self, node: int) -> int:
        """The member id of the generator's node 1..n."""
        return self.first_id + node - 1


async def seed_network(
    store: Store,
    n: int,
    m: int = 50,
    seed: int = 1,
    p: float = 0.5,
    progress: PhaseProgress | None = None,
    handle_tag: str = "",
    now: datetime = REFERENCE_NOW,
) -> SeededNetwork:
    """Generate a Holme–Kim network of `n` members (average degree ~2m) and write it."""
    report = progress or (lambda phase, done, total: None)
    counters = {"generating": 0, "members": 0, "connections": 0}

    def tick(phase: str, total: int) -> Callable[[int], None]:
        def advance(k: int) -> None:
            counters[phase] += k
            report(phase, counters[phase], total)

        return advance

    network = powerlaw_cluster(n, m, p, seed, progress=tick("generating", n))
    bulk = store.bulk()
    first_id = await bulk.next_id("members")
    joined = join_times(n, now)
    edges_total = network.edge_count()
    offset = first_id - 1
    async with bulk.session():
        await bulk.add_members(
            member_rows(first_id, n, seed, joined, handle_tag), progress=tick("members", n)
        )
        rows = (ConnectionRow(a, b, joined[b - first_id]) for a, b in network.edges(offset))
        written = await bulk.add_connections(rows, progress=tick("connections", edges_total))
    return SeededNetwork(first_id=first_id, network=network, connections=written)
