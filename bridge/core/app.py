"""The core as one object the front end holds: every use case, grouped by feature."""

from __future__ import annotations

import logging
import time
from array import array
from collections.abc import Sequence
from datetime import datetime

from bridge.core.clock import Clock, SystemClock
from bridge.core.credits import Credits
from bridge.core.deps import CoreDeps
from bridge.core.graph import GraphIndex
from bridge.core.inbox import Inbox
from bridge.core.invitations import Invitations
from bridge.core.members import Members
from bridge.core.messaging import Messaging
from bridge.core.network import Network
from bridge.core.notify import Preferences
from bridge.core.outbox import Outbox
from bridge.core.prompts import Prompts
from bridge.core.rules import Rules
from bridge.core.updates import Updates
from bridge.storage.port import (
    ConnectionChange,
    Follower,
    FollowsConnections,
    GraphSnapshot,
    GraphSnapshotRepo,
    Store,
)

log = logging.getLogger(__name__)


class Core:
    def __init__(self, deps: CoreDeps) -> None:
        self.deps = deps
        self.members = Members(deps)
        self.network = Network(deps)
        self.invitations = Invitations(deps)
        self.messaging = Messaging(deps)
        self.inbox = Inbox(deps)
        self.credits = Credits(deps)
        self.outbox = Outbox(deps)
        self.preferences = Preferences(deps)
        self.prompts = Prompts(deps)
        self.updates = Updates(deps)

    def now(self) -> datetime:
        """The core's clock: what "now" is for the times a page shows relative to it
        ("2 h ago"), so that they agree with the rules (a fake clock in tests)."""
        return self.deps.clock.now()

    @classmethod
    async def open(
        cls,
        store: Store,
        rules: Rules | None = None,
        clock: Clock | None = None,
        admin_telegram_ids: frozenset[int] = frozenset(),
    ) -> Core:
        """Build the core over an opened store, loading the graph index from it."""
        graph = await load_graph(store)
        deps = CoreDeps(
            store=store,
            graph=graph,
            clock=clock or SystemClock(),
            rules=rules or Rules(),
            admin_telegram_ids=admin_telegram_ids,
        )
        return cls(deps)

    async def follow_graph(self, poll_seconds: float = 1.0) -> Follower | None:
        """On a store several workers share, keep this worker's graph index in step with
        the connections any worker changes (within a notification's delay, `poll_seconds`
        at worst); None on a single-process store. The runtime starts it after `open` and
        `stop()`s it before closing the store."""
        store = self.deps.store
        if not isinstance(store, FollowsConnections):
            return None

        def apply(changes: Sequence[ConnectionChange], position: int) -> None:
            graph = self.deps.graph
            for a, b, added in changes:  # idempotent: this worker's own changes come back
                if added:
                    graph.add_edge(a, b)
                else:
                    graph.remove_edge(a, b)
            graph.log_position = position

        async def reload() -> int:
            await self.reload_graph()
            return self.deps.graph.log_position

        follower = await store.follow_connections(
            self.deps.graph.log_position, apply, reload, poll_seconds
        )
        self.deps.graph_follower = follower
        return follower

    async def reload_graph(self) -> int:
        """Read the graph index again from the store, after connections were written there
        behind the use cases' back (a bulk seed into a running bot's database); returns how
        many connections it gained. Every use case reads the index through the shared
        dependencies, so all of them see the new one at once."""
        before = self.deps.graph.edge_count()
        self.deps.graph = await load_graph(self.deps.store)
        return self.deps.graph.edge_count() - before


# Changes replayed on top of the snapshot at start beyond which a fresh one is saved (a
# replay costs a few microseconds per change; saving 100,000 members' graph ~0.5 s).
REPLAYED_BEFORE_SAVING = 50_000


async def load_graph(store: Store) -> GraphIndex:
    """The graph index: from the saved snapshot, with the connections changed since replayed
    on top, when it is intact and the change log still holds all those changes; else rebuilt
    from every connection, and saved for the next start.

    Why: rebuilding 100,000 members' five million connections is ~15 s of per-row work during
    which nobody is answered; the snapshot loads in a fraction of a second. The connections
    stay the source of truth: a missing, damaged or stale snapshot only costs a rebuild."""
    started = time.perf_counter()
    async with store.transaction() as tx:
        snapshots = tx.graph_snapshots
        generation = await snapshots.generation()  # None: changes are not being logged
        graph, replayed = None, 0
        if generation is not None:
            graph, replayed = await _from_snapshot(snapshots, generation)
        loaded = time.perf_counter()
        rebuilt = graph is None
        if graph is None:
            # Every connection read once into two flat integer columns, then bulk-built
            # (no list of millions of tuples on the way).
            left, right = array("i"), array("i")
            async for a, b in tx.connections.all_edges():
                left.append(a)
                right.append(b)
            graph = GraphIndex.from_edges(zip(left, right, strict=True))
            del left, right
        built = time.perf_counter()
        saved = False
        if generation is not None and (rebuilt or replayed > REPLAYED_BEFORE_SAVING):
            await snapshots.save(GraphSnapshot(generation, *graph.to_csr()))
            saved = True
    how = (
        "rebuilt from the database"
        if rebuilt
        else f"loaded from the snapshot + {replayed:,} changes replayed"
    )
    log.info(
        "connection graph: %s connections %s in %.2f s%s",
        f"{graph.edge_count():,}",
        how,
        (built if rebuilt else loaded) - started,
        f"; snapshot saved in {time.perf_counter() - built:.2f} s" if saved else "",
    )
    graph.log_position = generation or 0
    return graph


async def _from_snapshot(
    snapshots: GraphSnapshotRepo, generation: int
) -> tuple[GraphIndex | None, int]:
    """The snapshot brought up to `generation` and how many changes that took; None when
    there is none, it is damaged, newer than the log (a restored database) or older than
    what the log still holds."""
    snapshot = await snapshots.load()
    if snapshot is None or snapshot.generation > generation:
        return None, 0
    changes = await snapshots.changes(snapshot.generation, generation)
    if changes is None:
        return None, 0
    try:
        graph = GraphIndex.from_csr(snapshot.offsets, snapshot.neighbours)
    except ValueError:
        return None, 0
    for a, b, added in changes:
        if added:
            graph.add_edge(a, b)
        else:
            graph.remove_edge(a, b)
    return graph, len(changes)
