"""A use case's own connection change reaching the graph index, after its commit."""

from __future__ import annotations

import logging

from bridge.core.deps import CoreDeps
from bridge.storage.port import StorageUnavailable

log = logging.getLogger(__name__)


async def connection_changed(deps: CoreDeps, a: int, b: int, added: bool) -> None:
    """The index learns that (a, b) was just added or removed. With several workers
    (`deps.graph_follower`), from the change log, in commit order: applied blindly, this
    change could land after another worker's later change of the same pair, which the
    follower may have applied already, and leave the index behind the database."""
    follower = deps.graph_follower
    if follower is not None:
        try:
            await follower.catch_up()
            return
        except StorageUnavailable as exc:  # the follower replays the log when it can
            log.warning("connection graph: applied directly, the log unreadable: %s", exc)
    if added:
        deps.graph.add_edge(a, b)
    else:
        deps.graph.remove_edge(a, b)
