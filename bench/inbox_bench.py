"""Inbox pages: `core.inbox.page(...)` versus the single hand-written SQL query that returns
everything the same page shows, sent through the same aiosqlite driver in one call — the
lower bound for any implementation on this schema.

The member is the best-connected member of a seeded network with 10,000 conversations and
200,000 messages (unread, archived, InMail, spam and deleted mixed, counters exactly as the
core keeps them — see `bridge.seed.inbox`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

import aiosqlite

from bench.data import get_meta, inbox_db
from bench.timing import atimed_us, summary
from bridge.core.app import Core
from bridge.core.inbox import decode_cursor
from bridge.core.models import InboxFilter
from bridge.storage.sql.rows import ts
from bridge.storage.sqlite import SqliteStore

VISIBLE = "s.deleted = 0 AND c.last_message_id > s.cleared_through"
WHERE = {
    InboxFilter.ALL: f"{VISIBLE} AND s.spam = 0 AND s.archived = 0",
    InboxFilter.UNREAD: f"{VISIBLE} AND s.spam = 0 AND s.unread_count > 0",
    InboxFilter.ARCHIVED: f"{VISIBLE} AND s.spam = 0 AND s.archived = 1",
    InboxFilter.INMAIL: f"{VISIBLE} AND s.spam = 0 AND s.inmail = 1",
}
# One statement: the page (limit + 1 rows, to know whether there is a next page), each row
# with the other member, the last message, the pending invitation and the InMail, and the
# unread header ("N messages from P people") computed once.
PAGE_SQL = """
WITH page AS MATERIALIZED (
    SELECT s.conversation_id, s.member_id, s.unread_count, s.last_read_message_id, s.archived,
           s.deleted, s.cleared_through, s.spam, s.inmail, s.last_activity_at,
           c.member_a, c.member_b, c.created_at, c.last_message_id, c.invitation_id,
           c.inmail_id
    FROM conversation_states s JOIN conversations c ON c.id = s.conversation_id
    WHERE s.member_id = :me AND {where} {after}
    ORDER BY s.last_activity_at DESC, s.conversation_id DESC LIMIT :limit
), header AS (
    SELECT COALESCE(SUM(unread_count), 0) AS messages, COUNT(*) AS people
    FROM conversation_states
    WHERE member_id = :me AND unread_count > 0 AND spam = 0 AND deleted = 0
)
SELECT page.*, m.*, msg.id AS msg_id, msg.sender_id, msg.kind, msg.text, msg.subject,
       msg.att_kind, msg.created_at AS msg_at, i.id AS inv_id, i.status AS inv_status,
       i.note, im.id AS im_id, im.status AS im_status, im.subject AS im_subject,
       header.messages, header.people
FROM page CROSS JOIN header
JOIN members m ON m.id = CASE WHEN page.member_a = :me THEN page.member_b ELSE page.member_a END
LEFT JOIN messages msg ON msg.id = page.last_message_id AND msg.id > page.cleared_through
LEFT JOIN invitations i ON i.id = page.invitation_id AND i.status = 'pending'
LEFT JOIN inmails im ON im.id = page.inmail_id
ORDER BY page.last_activity_at DESC, page.conversation_id DESC
"""
AFTER = " AND (s.last_activity_at < :at OR (s.last_activity_at = :at AND s.conversation_id < :cid))"
PAGES = (
    ("unread", InboxFilter.UNREAD),
    ("archived", InboxFilter.ARCHIVED),
    ("inmail", InboxFilter.INMAIL),
    ("all", InboxFilter.ALL),
)


async def lower_bound(
    conn: aiosqlite.Connection, me: int, filter: InboxFilter, cursor: str | None, limit: int = 10
) -> list:
    params: dict[str, object] = {"me": me, "limit": limit + 1}
    after = ""
    decoded = decode_cursor(cursor)
    if decoded is not None:
        after = AFTER
        params |= {"at": ts(decoded[0]), "cid": decoded[1]}
    sql = PAGE_SQL.format(where=WHERE[filter], after=after)
    return list(await conn.execute_fetchall(sql, params))  # one call, as the core makes


async def explain(conn: aiosqlite.Connection, me: int, filter: InboxFilter) -> list[str]:
    """The core's own page query plan (as `SqliteConversations.inbox` sends it)."""
    sql = (
        "EXPLAIN QUERY PLAN SELECT c.id FROM conversation_states s"
        " JOIN conversations c ON c.id = s.conversation_id"
        f" WHERE s.member_id = ? AND {WHERE[filter]}"
        " ORDER BY s.last_activity_at DESC, s.conversation_id DESC LIMIT 11"
    )
    result = await conn.execute(sql, (me,))
    return [str(row[3]) for row in await result.fetchall()]


async def run(path: Path | None = None, repeat: int = 15, follow: int = 3) -> dict:
    """First page and `follow` next pages (by cursor) of each filter, ours vs lower bound."""
    if path is None:
        path, build = await inbox_db()
    else:
        build = {"path": str(path), "cached": True}
    store = await SqliteStore.open(str(path))
    core = await Core.open(store)
    me = int(await get_meta(store, "inbox_owner"))
    conn = store._conn  # the same driver and connection the core uses
    result: dict = {"build": build, "owner": me, "pages": {}, "plans": {}}
    async with store.raw() as c:
        counts = await c.execute(
            "SELECT COUNT(*), (SELECT COUNT(*) FROM messages m JOIN conversations c"
            " ON c.id = m.conversation_id WHERE ? IN (c.member_a, c.member_b))"
            " FROM conversation_states WHERE member_id = ?",
            (me, me),
        )
        row = await counts.fetchone()
        assert row is not None  # an aggregate: always one row
        result["conversations"], result["messages"] = int(row[0]), int(row[1])
        for _, chosen in PAGES:
            result["plans"][chosen.value] = await explain(c, me, chosen)
    # Where the core's time goes: how many statements a page sends, and what one round trip
    # through aiosqlite (a thread hop each way) costs on this machine.
    statements: list[str] = []
    await conn.set_trace_callback(statements.append)
    await core.inbox.page(me, InboxFilter.INMAIL)
    # sqlite3 takes None (tracing off); aiosqlite annotates the handler as a bare Callable.
    await conn.set_trace_callback(None)  # type: ignore[arg-type]
    result["statements_per_page"] = {"inmail": len(statements)}
    statements.clear()
    await conn.set_trace_callback(statements.append)
    await core.inbox.page(me, InboxFilter.ARCHIVED)
    # sqlite3 takes None (tracing off); aiosqlite annotates the handler as a bare Callable.
    await conn.set_trace_callback(None)  # type: ignore[arg-type]
    result["statements_per_page"]["archived"] = len(statements)

    async def select_one() -> object:
        return await (await conn.execute("SELECT 1")).fetchone()

    result["round_trip"] = summary([await atimed_us(select_one, 1) for _ in range(200)])
    for name, chosen in PAGES:
        cursor: str | None = None
        for depth in range(follow + 1):
            page = await core.inbox.page(me, chosen, cursor)
            rows = await lower_bound(conn, me, chosen, cursor)
            same = [e.conversation.id for e in page.entries] == [r[0] for r in rows][:10]

            ours, lower = await interleaved(
                [
                    partial(core.inbox.page, me, chosen, cursor),
                    partial(lower_bound, conn, me, chosen, cursor),
                ],
                repeat,
            )
            label = name if depth == 0 else f"{name}, page {depth + 1}"
            o, s = summary(ours), summary(lower)
            result["pages"][label] = {
                "ours": o,
                "sql": s,
                "same_rows": same,
                "entries": len(page.entries),
                "ratio": o["median_us"] / s["median_us"],
            }
            cursor = page.next_cursor
            if cursor is None:
                break
    await store.close()
    return result


async def interleaved(
    calls: list[Callable[[], Awaitable[object]]], repeat: int
) -> list[list[float]]:
    """Samples of several async calls taken in turn (after one warm-up call each), so a
    noisy moment on a shared machine hits all of them."""
    for call in calls:
        await call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for call, into in zip(calls, samples, strict=True):
            into.append(await atimed_us(call, repeat=1))
    return samples
