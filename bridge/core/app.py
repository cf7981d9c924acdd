"""The core as one object the front end holds: every use case, grouped by feature."""

from __future__ import annotations

from array import array
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
from bridge.storage.port import Store


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
        cls, store: Store, rules: Rules | None = None, clock: Clock | None = None,
        admin_telegram_ids: frozenset[int] = frozenset(),
    ) -> Core:
        """Build the core over an opened store, loading the graph index from it."""
        graph = await load_graph(store)
        deps = CoreDeps(store=store, graph=graph, clock=clock or SystemClock(),
                        rules=rules or Rules(), admin_telegram_ids=admin_telegram_ids)
        return cls(deps)

    async def reload_graph(self) -> int:
        """Read the graph index again from the store, after connections were written there
        behind the use cases' back (a bulk seed into a running bot's database); returns how
        many connections it gained. Every use case reads the index through the shared
        dependencies, so all of them see the new one at once."""
        before = self.deps.graph.edge_count()
        self.deps.graph = await load_graph(self.deps.store)
        return self.deps.graph.edge_count() - before


async def load_graph(store: Store) -> GraphIndex:
    """Read every connection once into two flat integer columns, then bulk-build the index
    (no list of millions of tuples on the way)."""
    left, right = array("i"), array("i")
    async with store.transaction() as tx:
        async for a, b in tx.connections.all_edges():
            left.append(a)
            right.append(b)
    return GraphIndex.from_edges(zip(left, right, strict=True))
