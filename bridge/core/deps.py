"""What every use case needs: the store, the graph index, the clock and the rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from bridge.core.clock import Clock
from bridge.core.graph import GraphIndex
from bridge.core.rules import Rules
from bridge.storage.port import Follower, Store


@dataclass
class CoreDeps:
    store: Store
    graph: GraphIndex
    clock: Clock
    rules: Rules
    admin_telegram_ids: frozenset[int] = field(default_factory=frozenset)
    # Several workers (`Core.follow_graph`): the index follows the connections' change log.
    graph_follower: Follower | None = None
