"""Hook: digests of many members (`core.inbox.digest` per member, as the daily job does)
versus one aggregate SQL query returning every digest line at once — the lower bound.

Not run by default (`python -m bench --with digests`); the data comes from the inbox
benchmark's database, where 10,000 members have unread messages.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.data import inbox_db
from bridge.core.app import Core
from bridge.storage.sqlite import SqliteStore

DIGEST_SQL = """
SELECT s.member_id, s.conversation_id, s.unread_count, m.first_name, m.last_name,
       m.headline, msg.text, msg.att_kind, s.last_activity_at
FROM conversation_states s
JOIN conversations c ON c.id = s.conversation_id
JOIN members m ON m.id = CASE WHEN c.member_a = s.member_id THEN c.member_b ELSE c.member_a END
LEFT JOIN messages msg ON msg.id = c.last_message_id
WHERE s.unread_count > 0 AND s.spam = 0 AND s.deleted = 0
ORDER BY s.member_id, s.last_activity_at DESC
"""


async def run(path: Path | None = None, members: int | None = None) -> dict:
    if path is None:
        path, _ = await inbox_db()
    store = await SqliteStore.open(str(path))
    core = await Core.open(store)
    async with store.raw() as conn:
        cursor = await conn.execute(
            "SELECT DISTINCT member_id FROM conversation_states WHERE unread_count > 0"
            " AND spam = 0 AND deleted = 0 ORDER BY member_id")
        recipients = [row[0] for row in await cursor.fetchall()][:members]
    start = time.perf_counter()
    for member_id in recipients:
        await core.inbox.digest(member_id)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    async with store.raw() as conn:
        cursor = await conn.execute(DIGEST_SQL)
        rows = await cursor.fetchall()
    sql = time.perf_counter() - start
    await store.close()
    return {"members": len(recipients), "ours_s": ours, "sql_s": sql, "rows": len(rows),
            "ratio": ours / sql}
