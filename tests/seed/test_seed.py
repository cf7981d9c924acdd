"""Seeding: reproducible, heavy-tailed and clustered networks; believable profiles; seeded
conversations whose counters are exactly what the core would keep; a demo around real
members."""

from __future__ import annotations

import argparse
import re
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bridge.core.app import Core
from bridge.core.models import Degree, InboxFilter, NewMember
from bridge.core.search import fold
from bridge.seed import powerlaw_cluster, seed_conversations, seed_demo, seed_network
from bridge.seed.__main__ import run as cli_run
from bridge.seed.inbox import cast_inbox, connection_sender
from bridge.seed.network import clustering_sample
from bridge.seed.profiles import is_seeded_telegram_id
from bridge.storage.sqlite import SqliteStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def store() -> AsyncIterator[SqliteStore]:
    """Closed even when a test fails: an open aiosqlite connection's thread would keep
    pytest from exiting (a failure would hang the run instead of being reported)."""
    opened = await SqliteStore.open(":memory:")
    yield opened
    await opened.close()


def test_same_seed_same_network_other_seed_other_network() -> None:
    a = powerlaw_cluster(500, 10, 0.5, seed=7)
    assert a.edge_set() == powerlaw_cluster(500, 10, 0.5, seed=7).edge_set()
    assert a.edge_set() != powerlaw_cluster(500, 10, 0.5, seed=8).edge_set()
    assert all(x < y for x, y in a.edges())


def test_degrees_are_heavy_tailed_and_the_graph_clustered() -> None:
    network = powerlaw_cluster(2000, 10, 0.5, seed=3)
    degrees = network.degrees()
    mean = sum(degrees) / len(degrees)
    assert 15 <= mean <= 25  # average degree ~2m
    assert max(degrees) > 6 * mean  # hubs
    assert sorted(degrees)[len(degrees) // 2] < mean  # most members below the mean
    random_graph = mean / (network.n - 1)  # an Erdős–Rényi graph's clustering coefficient
    assert clustering_sample(network, sample=300) > 5 * random_graph


def _bfs(network, source: int, limit: int = 4) -> dict[int, int]:
    seen = {source: 0}
    queue = deque([source])
    while queue:
        x = queue.popleft()
        if seen[x] >= limit:
            continue
        for y in network.adj[x]:
            if y not in seen:
                seen[y] = seen[x] + 1
                queue.append(y)
    return seen


async def test_a_seeded_database_answers_through_the_core_as_seeded(store: SqliteStore) -> None:
    seeded = await seed_network(store, 500, 8, seed=5)
    cast = cast_inbox(
        seeded.network, seeded.first_id, conversations=200, digest_members=100, seed=5
    )
    done = await seed_conversations(
        store, 5, NOW, cast, 2000, connection_sender(seeded.network, seeded.first_id, cast.owner)
    )
    core = await Core.open(store)
    graph = core.deps.graph
    assert graph.edge_count() == seeded.network.edge_count() + done.connections

    # Degrees: the core agrees with a BFS on the generated network (for members whose
    # connections the inbox seeding didn't change).
    touched = {cast.owner, *cast.partners, *cast.digest_recipients}
    for source in range(1, 40):
        if seeded.member_id(source) in touched:
            continue
        dist = _bfs(seeded.network, source)
        for target in range(1, 501, 7):
            if seeded.member_id(target) in touched:
                continue
            expected = Degree.from_distance(dist.get(target))
            got = core.network.degree(seeded.member_id(source), seeded.member_id(target))
            assert got == expected, (source, target)

    # Counters: every unread count equals a recount; summaries equal sums.
    async with store.transaction() as tx:
        states = await tx.conversations.inbox(cast.owner, InboxFilter.ALL, None, 10_000)
    assert done.messages >= 2000 and done.conversations >= 200
    async with store.raw() as conn:
        cursor = await conn.execute(
            "SELECT COUNT(*) FROM conversation_states s WHERE s.unread_count <> (SELECT"
            " COUNT(*) FROM messages m WHERE m.conversation_id = s.conversation_id"
            " AND m.sender_id <> s.member_id AND m.id > s.last_read_message_id)"
        )
        assert (await cursor.fetchone())[0] == 0
        cursor = await conn.execute(
            "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            " WHERE ? IN (c.member_a, c.member_b)",
            (cast.owner,),
        )
        assert (await cursor.fetchone())[0] == 2000
    assert states

    # The owner's unread pages, followed by cursor, list exactly the unread conversations.
    seen, cursor_text = [], None
    while True:
        page = await core.inbox.page(cast.owner, InboxFilter.UNREAD, cursor_text, limit=50)
        seen += [e.conversation_id for e in page.entries]
        assert all(e.unread_count > 0 for e in page.entries)
        if page.next_cursor is None:
            break
        cursor_text = page.next_cursor
    assert len(seen) == len(set(seen)) == done.owner_unread_conversations
    assert page.summary.people == done.owner_unread_conversations
    inmail = await core.inbox.page(cast.owner, InboxFilter.INMAIL, limit=50)
    assert inmail.entries and all(e.inmail is not None for e in inmail.entries)
    for member in cast.digest_recipients[:20]:
        digest = await core.inbox.digest(member)
        assert digest.summary.messages >= 1 and digest.entries

    # /search: the bulk path indexed every seeded message, once, for its members only.
    async with store.raw() as conn:
        cursor = await conn.execute(
            "SELECT m.id, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            " WHERE ? IN (c.member_a, c.member_b) AND m.text IS NOT NULL ORDER BY m.id DESC"
            " LIMIT 1",
            (cast.owner,),
        )
        newest_id, newest_text = await cursor.fetchone()
        cursor = await conn.execute(
            "SELECT (SELECT COUNT(*) FROM messages_search WHERE messages_search MATCH"
            " 'members : m' || ?), (SELECT COUNT(*) FROM messages m JOIN conversations c"
            " ON c.id = m.conversation_id WHERE ? IN (c.member_a, c.member_b))",
            (cast.owner, cast.owner),
        )
        indexed, owned = await cursor.fetchone()
    assert indexed == owned == 2000
    word = max(newest_text.split(), key=len)
    found = await core.message_search.search(cast.owner, word)
    assert newest_id in [h.message.id for h in found.hits]


async def test_profiles_are_bilingual_unique_and_never_real_telegram_users(
    store: SqliteStore,
) -> None:
    await seed_network(store, 400, 5, seed=2)
    async with store.raw() as conn:
        cursor = await conn.execute("SELECT telegram_id, handle, language, headline FROM members")
        rows = list(await cursor.fetchall())
    assert len({r[0] for r in rows}) == len({r[1] for r in rows}) == 400
    assert all(is_seeded_telegram_id(r[0]) for r in rows)
    assert all(re.fullmatch(r"[a-z0-9_]{2,32}", r[1]) for r in rows)
    assert {r[2] for r in rows} == {"en", "fr"}
    assert any(" chez " in r[3] for r in rows) and any(" at " in r[3] for r in rows)
    # /find over seeded profiles: exactly the members with a word starting "paris" in the
    # fields it searches (a view hides a far member's location, so the rows are the truth).
    async with store.raw() as conn:
        cursor = await conn.execute(
            "SELECT id, first_name, last_name, handle, headline,"
            " company, location, industry FROM members"
        )
        profiles = list(await cursor.fetchall())
    in_paris = {
        row[0]
        for row in profiles
        if row[0] != 1
        and any(
            word.startswith("paris") for word in re.findall(r"[^\W_]+", fold(" ".join(row[1:])))
        )
    }
    assert len(in_paris) >= 5
    core = await Core.open(store)
    results = await core.network.search(1, "paris", limit=len(profiles))
    assert {v.id for v in results} == in_paris


async def test_demo_population_surrounds_the_people_trying_the_bot(store: SqliteStore) -> None:
    core = await Core.open(store)
    me, _ = await core.members.register(NewMember(telegram_id=1, first_name="Try", username="try"))
    you, _ = await core.members.register(NewMember(telegram_id=2, first_name="You", username="you"))
    steps: list[tuple] = []
    created = await seed_demo(
        store, n=200, seed=3, attach_to=[me.id, you.id], progress=lambda *a: steps.append(a)
    )
    assert created["members"] == 200 and created["attached"] == 2
    assert steps[-1][0] == steps[-1][1]
    core = await Core.open(store)  # as the playground does: reload the graph
    for member in (me, you):
        degrees = {core.network.degree(member.id, x) for x in range(3, 203)}
        assert {Degree.FIRST, Degree.SECOND, Degree.THIRD} <= degrees
        _, total = await core.network.connections(member.id)
        assert total >= 3
        summary = await core.inbox.unread_summary(member.id)
        assert summary.messages >= 2
    assert created["invitations"] >= 2
    assert len(await core.invitations.received(me.id)) >= 1
    results = await core.network.search(me.id, "a")
    assert results[0].degree in (Degree.FIRST, Degree.SECOND)
    # Seeding again (another playground click) adds a second population without clashes.
    again = await seed_demo(store, n=50, seed=3, attach_to=[me.id])
    assert again["members"] == 50


@pytest.mark.parametrize("demo", [False, True])
async def test_cli_seeds_a_database_file(tmp_path, demo: bool) -> None:
    url = f"sqlite:///{tmp_path}/seeded.db"
    args = argparse.Namespace(
        database=url,
        members=300,
        avg_degree=10,
        triad_probability=0.5,
        seed=1,
        demo=demo,
        attach="",
        inbox=not demo,
        conversations=60,
        messages=600,
        digest_members=40,
    )
    await cli_run(args)
    store = await SqliteStore.open(f"{tmp_path}/seeded.db")
    try:
        async with store.transaction() as tx:
            assert await tx.members.count() == 300
    finally:
        await store.close()
