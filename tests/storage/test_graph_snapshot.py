"""The graph snapshot through a real store: a start from the snapshot (plus the changes
logged since) gives exactly the graph a rebuild from the connections gives, and a missing,
damaged or stale snapshot is never believed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.core import app as app_module
from bridge.core.app import load_graph
from bridge.core.graph import GraphIndex
from bridge.core.models import NewMember
from bridge.storage.bulk import ConnectionRow
from bridge.storage.sqlite import SqliteStore

NOW = datetime(2026, 5, 1, tzinfo=UTC)
MEMBERS = 12

pairs_st = st.lists(
    st.tuples(st.integers(1, MEMBERS), st.integers(1, MEMBERS)).filter(lambda p: p[0] != p[1]),
    max_size=40,
)


async def _store() -> SqliteStore:
    store = await SqliteStore.open(":memory:")
    async with store.transaction() as tx:
        for i in range(1, MEMBERS + 1):
            await tx.members.add(NewMember(telegram_id=i, first_name=f"M{i}"), f"m{i}", NOW)
    return store


@pytest.fixture
async def store() -> AsyncIterator[SqliteStore]:
    opened = await _store()
    yield opened
    await opened.close()


async def _connect(store: SqliteStore, pairs) -> None:
    async with store.transaction() as tx:
        for a, b in pairs:
            await tx.connections.add(a, b, NOW)


async def _disconnect(store: SqliteStore, pairs) -> None:
    async with store.transaction() as tx:
        for a, b in pairs:
            await tx.connections.remove(a, b)


async def _assert_true_to_the_database(store: SqliteStore, graph: GraphIndex) -> None:
    """Every row and every degree as the connections themselves say (a plain BFS over them,
    nothing of the index)."""
    async with store.transaction() as tx:
        edges = [edge async for edge in tx.connections.all_edges()]
    adj: dict[int, set[int]] = {}
    for a, b in edges:
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    assert graph.edge_count() == len(edges)
    for node in range(MEMBERS + 2):
        assert list(graph.neighbours(node)) == sorted(adj.get(node, ()))
        hops = {node: 0}
        frontier = [node]
        for depth in (1, 2, 3):
            frontier = [y for x in frontier for y in adj.get(x, ()) if y not in hops]
            hops.update((y, depth) for y in frontier)
        for other in range(MEMBERS + 2):
            assert graph.distance(node, other) == hops.get(other)


async def _sql(store: SqliteStore, sql: str, *params: object) -> list[tuple]:
    async with store.raw() as conn:
        cursor = await conn.execute(sql, params)
        return [tuple(row) for row in await cursor.fetchall()]


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, building from edges is an error: the snapshot must be used."""

    def refuse(edges):
        raise AssertionError("rebuilt from the connections instead of the snapshot")

    monkeypatch.setattr(GraphIndex, "from_edges", staticmethod(refuse))


@settings(max_examples=40, deadline=None)
@given(pairs_st, pairs_st, pairs_st, pairs_st)
def test_a_start_from_the_snapshot_and_the_changes_since_equals_a_rebuild(
    first, added, removed, added_again
):
    async def scenario() -> None:
        store = await _store()
        try:
            await _connect(store, first)
            await _assert_true_to_the_database(store, await load_graph(store))  # rebuilt
            await _connect(store, added)
            await _disconnect(store, removed)
            await _connect(store, added_again)
            await _assert_true_to_the_database(store, await load_graph(store))  # replayed
            await _disconnect(store, first)
            await _assert_true_to_the_database(store, await load_graph(store))
        finally:
            await store.close()

    asyncio.run(scenario())


async def test_a_second_start_loads_the_snapshot_without_reading_the_connections(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _connect(store, [(1, 2), (2, 3), (3, 4)])
    await load_graph(store)
    await _connect(store, [(4, 5)])
    await _disconnect(store, [(1, 2)])
    _no_rebuild(monkeypatch)
    graph = await load_graph(store)
    assert [graph.distance(1, n) for n in (2, 3, 5)] == [None, None, None]
    assert [graph.distance(2, n) for n in (3, 4, 5)] == [1, 2, 3]
    monkeypatch.undo()
    await _assert_true_to_the_database(store, graph)


async def test_a_damaged_snapshot_is_rebuilt_from_the_connections(store: SqliteStore) -> None:
    await _connect(store, [(1, 2), (2, 3)])
    await load_graph(store)
    # one bit flipped in the saved neighbours (the same length, still well formed): 1's
    # connection 2 would read as 6
    [(data,)] = await _sql(store, "SELECT data FROM graph_snapshot_parts WHERE part = 0")
    damaged = bytearray(data)
    damaged[0] ^= 0x04
    await _sql(store, "UPDATE graph_snapshot_parts SET data = ? WHERE part = 0", bytes(damaged))
    async with store.transaction() as tx:
        assert await tx.graph_snapshots.load() is None
    graph = await load_graph(store)
    await _assert_true_to_the_database(store, graph)
    async with store.transaction() as tx:  # and a good one saved again
        assert await tx.graph_snapshots.load() is not None


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE graph_snapshot SET offsets = substr(offsets, 1, length(offsets) - 8)",
        "UPDATE graph_snapshot SET format = 'csr1-big-q8-i4'",
        "DELETE FROM graph_snapshot_parts",
        "UPDATE graph_snapshot SET edges = edges + 1",
    ],
)
async def test_a_snapshot_that_does_not_check_out_is_not_loaded(
    store: SqliteStore, damage: str
) -> None:
    await _connect(store, [(1, 2), (2, 3), (5, 6)])
    await load_graph(store)
    await _sql(store, damage)
    async with store.transaction() as tx:
        assert await tx.graph_snapshots.load() is None
    await _assert_true_to_the_database(store, await load_graph(store))


async def test_a_snapshot_newer_than_the_database_is_not_believed(store: SqliteStore) -> None:
    """A snapshot that claims changes this database's log never had (one copied in from
    elsewhere: a backup carries its own snapshot with it)."""
    await _connect(store, [(1, 2)])
    await load_graph(store)
    await _sql(store, "UPDATE graph_snapshot SET generation = generation + 3")
    await _connect(store, [(2, 3), (3, 4)])  # two positions: still behind the snapshot's
    await _assert_true_to_the_database(store, await load_graph(store))


async def test_a_snapshot_older_than_the_change_log_holds_is_not_believed(
    store: SqliteStore,
) -> None:
    await _connect(store, [(1, 2)])
    await load_graph(store)
    await _connect(store, [(2, 3)])
    await _disconnect(store, [(1, 2)])
    await _sql(store, "DELETE FROM connection_changes WHERE added = 1")  # a pruned log
    await _assert_true_to_the_database(store, await load_graph(store))


async def test_without_the_change_log_triggers_no_snapshot_is_used_or_saved(
    store: SqliteStore,
) -> None:
    await _connect(store, [(1, 2)])
    await load_graph(store)
    await _sql(store, "DROP TRIGGER connections_log_delete")
    await _disconnect(store, [(1, 2)])  # a change nothing logs
    await _connect(store, [(3, 4)])
    graph = await load_graph(store)
    await _assert_true_to_the_database(store, graph)
    assert graph.distance(1, 2) is None
    async with store.transaction() as tx:
        assert await tx.graph_snapshots.generation() is None


async def test_a_bulk_load_drops_the_snapshot_and_keeps_logging(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _connect(store, [(1, 2)])
    await load_graph(store)
    bulk = store.bulk()
    async with bulk.session():
        assert await bulk.add_connections([ConnectionRow(3, 4, NOW), ConnectionRow(5, 6, NOW)]) == 2
    assert await _sql(store, "SELECT COUNT(*) FROM graph_snapshot") == [(0,)]
    graph = await load_graph(store)  # rebuilt, with the bulk rows
    await _assert_true_to_the_database(store, graph)
    assert graph.distance(3, 4) == 1
    await _connect(store, [(4, 5)])  # the triggers are back: logged, replayed
    _no_rebuild(monkeypatch)
    assert (await load_graph(store)).distance(3, 6) == 3


async def test_a_long_replay_saves_a_fresh_snapshot_and_prunes_the_log(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _connect(store, [(1, 2)])
    await load_graph(store)
    await _connect(store, [(2, 3), (3, 4)])
    await _disconnect(store, [(1, 2)])
    monkeypatch.setattr(app_module, "REPLAYED_BEFORE_SAVING", 2)
    await load_graph(store)  # 3 changes replayed: saved again
    assert await _sql(store, "SELECT COUNT(*) FROM connection_changes") == [(0,)]
    await _connect(store, [(4, 5)])
    _no_rebuild(monkeypatch)
    await _assert_true_to_the_database(store, await load_graph(store))
