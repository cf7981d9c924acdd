"""Inbox pages and digests: our core versus the single hand-written SQL query that is the
lower bound for the same answer, sent through the same aiosqlite driver in one call."""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from bench.degrees import DATA
from bridge.core.app import Core
from bridge.core.models import InboxFilter
from bridge.seed.network import profiles
from bridge.storage.sqlite import SqliteStore
from bridge.storage.sqlite.bulk import insert_members
from bridge.storage.sqlite.rows import ts

CONVERSATIONS, PER_CONVERSATION = 10_000, 20
PAGE_SQL = """
SELECT s.conversation_id, s.unread_count, s.archived, s.spam, s.inmail, s.last_activity_at,
       c.member_a, c.member_b, c.last_message_id,
       m.first_name, m.last_name, m.headline, m.company, msg.text, msg.att_kind,
       (SELECT SUM(unread_count) || ' ' || COUNT(*) FROM conversation_states u
        WHERE u.member_id = :me AND u.unread_count > 0 AND u.spam = 0 AND u.deleted = 0)
        AS header
FROM conversation_states s
JOIN conversations c ON c.id = s.conversation_id
JOIN members m ON m.id = CASE WHEN c.member_a = :me THEN c.member_b ELSE c.member_a END
LEFT JOIN messages msg ON msg.id = c.last_message_id
WHERE s.member_id = :me AND {where}
ORDER BY s.last_activity_at DESC, s.conversation_id DESC LIMIT 10
"""
WHERE = {"unread": "s.unread_count > 0 AND s.spam = 0 AND s.deleted = 0",
         "archived": "s.archived = 1 AND s.spam = 0 AND s.deleted = 0",
         "inmail": "s.inmail = 1 AND s.spam = 0 AND s.deleted = 0"}
DIGEST_SQL = """
SELECT s.member_id, s.conversation_id, s.unread_count, m.first_name, m.last_name,
       m.headline, msg.text, msg.att_kind, msg.att_duration, c.last_activity_at
FROM conversation_states s
JOIN conversations c ON c.id = s.conversation_id
JOIN members m ON m.id = CASE WHEN c.member_a = s.member_id THEN c.member_b ELSE c.member_a END
LEFT JOIN messages msg ON msg.id = c.last_message_id
WHERE s.unread_count > 0 AND s.spam = 0 AND s.deleted = 0
ORDER BY s.member_id, s.last_activity_at DESC
"""


async def build() -> str:
    """Member 1 with 10,000 conversations and 200,000 messages; each other side has unread
    messages from member 1 (10,000 members to build digests for)."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / "inbox-10k.db"
    if path.exists():
        return str(path)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    store = await SqliteStore.open(str(tmp))
    await insert_members(store, profiles(CONVERSATIONS + 1, 5))
    rng = random.Random(5)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    message_id = 0
    conversations, states, messages = [], [], []
    for other in range(2, CONVERSATIONS + 2):
        conversation = other - 1
        last_id, last_at = 0, base
        mine_unread = theirs_unread = 0
        read_mark_me = read_mark_them = 0
        for k in range(PER_CONVERSATION):
            message_id += 1
            sender = 1 if rng.random() < 0.4 else other
            at = base + timedelta(minutes=conversation * 7 + k)
            messages.append((message_id, conversation, sender, f"message {k} in {conversation}",
                             ts(at)))
            last_id, last_at = message_id, at
            if sender == other:
                mine_unread += 1
                read_mark_them = message_id
                theirs_unread = 0
            else:
                theirs_unread += 1
                read_mark_me = message_id
                mine_unread = 0
        archived = 1 if rng.random() < 0.2 else 0
        inmail = 1 if rng.random() < 0.1 else 0
        conversations.append((conversation, 1, other, ts(base), last_id, ts(last_at)))
        states.append((conversation, 1, mine_unread, read_mark_me, archived, inmail,
                       ts(last_at)))
        states.append((conversation, other, theirs_unread or 1, read_mark_them, 0, 0,
                       ts(last_at)))
    async with store.raw() as conn:
        await conn.executemany(
            "INSERT INTO conversations (id, member_a, member_b, created_at, last_message_id,"
            " last_activity_at) VALUES (?, ?, ?, ?, ?, ?)", conversations)
        await conn.executemany(
            "INSERT INTO messages (id, conversation_id, sender_id, text, created_at)"
            " VALUES (?, ?, ?, ?, ?)", messages)
        await conn.executemany(
            "INSERT INTO conversation_states (conversation_id, member_id, unread_count,"
            " last_read_message_id, archived, inmail, last_activity_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", states)
    await store.close()
    tmp.rename(path)
    return str(path)


async def _time(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        await fn()
        samples.append((time.perf_counter_ns() - start) / 1e3)
    return statistics.median(samples)


async def run(repeat: int = 30) -> dict:
    store = await SqliteStore.open(await build())
    core = await Core.open(store)
    results: dict = {"conversations": CONVERSATIONS,
                     "messages": CONVERSATIONS * PER_CONVERSATION, "pages": {}}

    async def sql(where: str) -> list:
        async with store.raw() as conn:
            cursor = await conn.execute(PAGE_SQL.format(where=WHERE[where]), {"me": 1})
            return list(await cursor.fetchall())

    for name, chosen in (("unread", InboxFilter.UNREAD), ("archived", InboxFilter.ARCHIVED),
                         ("inmail", InboxFilter.INMAIL)):
        ours = await _time(lambda c=chosen: core.inbox.page(1, c), repeat)
        lower = await _time(lambda n=name: sql(n), repeat)
        results["pages"][name] = {"ours_us": ours, "sql_us": lower, "ratio": ours / lower}
    first = await core.inbox.page(1, InboxFilter.UNREAD)
    ours = await _time(lambda: core.inbox.page(1, InboxFilter.UNREAD, first.next_cursor),
                       repeat)
    results["pages"]["unread, next page"] = {"ours_us": ours,
                                             "sql_us": results["pages"]["unread"]["sql_us"],
                                             "ratio": ours / results["pages"]["unread"]["sql_us"]}
    # Digests of 10,000 members with unread messages.
    start = time.perf_counter()
    for member_id in range(2, CONVERSATIONS + 2):
        await core.inbox.digest(member_id)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    async with store.raw() as conn:
        cursor = await conn.execute(DIGEST_SQL)
        rows = await cursor.fetchall()
    sql_s = time.perf_counter() - start
    results["digests"] = {"members": CONVERSATIONS, "ours_s": ours_s, "sql_s": sql_s,
                          "rows": len(rows), "ratio": ours_s / sql_s}
    await store.close()
    return results
