"""Digests of many members: the core's batch path (`core.inbox.digests`, one call for all of
them) versus one aggregate SQL query returning every digest's
lines and counts at once — the lower bound — through the same aiosqlite connection.

Both sides produce the same thing for each member with unread messages: unread messages,
people, unread InMails and pending invitations, then the first page of lines (newest first):
the other member, the last message, a pending invitation and the InMail. Ours also builds the
pydantic models and the degree of each line's sender (from the in-memory graph); the bound
returns raw tuples. The per-member path (`core.inbox.digest`, one statement each, what
rendering a digest notification costs at send time) is measured for information.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from bench.data import Fetch, open_inbox
from bridge.core.app import Core

PAGE = 10

DIGEST_SQL = """
WITH who AS (
    SELECT DISTINCT member_id AS id FROM conversation_states
    WHERE unread_count > 0 AND spam = 0 AND deleted = 0
), h AS (
    SELECT member_id, SUM(unread_count) AS messages, COUNT(*) AS people, SUM(inmail) AS inmails
    FROM conversation_states WHERE unread_count > 0 AND spam = 0 AND deleted = 0
    GROUP BY member_id
), inv AS (
    SELECT recipient_id, COUNT(*) AS pending FROM invitations WHERE status = 'pending'
    GROUP BY recipient_id
), p AS MATERIALIZED (
    SELECT * FROM (
        SELECT s.member_id, s.conversation_id, s.unread_count, s.last_activity_at,
               s.cleared_through, c.member_a, c.member_b, c.last_message_id, c.invitation_id,
               c.inmail_id,
               ROW_NUMBER() OVER (PARTITION BY s.member_id
                                  ORDER BY s.last_activity_at DESC, s.conversation_id DESC) AS r
        FROM conversation_states s JOIN conversations c ON c.id = s.conversation_id
        WHERE s.unread_count > 0 AND s.spam = 0 AND s.deleted = 0
          AND c.last_message_id > s.cleared_through
    ) AS ranked WHERE r <= :limit
)
SELECT who.id, h.messages, h.people, h.inmails, inv.pending, p.conversation_id,
       p.unread_count, p.last_activity_at, m.id, m.first_name, m.last_name, m.handle,
       m.headline, m.company, msg.id, msg.sender_id, msg.kind, msg.text, msg.att_kind,
       msg.att_duration, msg.created_at, i.id, i.note, im.id, im.subject, im.status
FROM who LEFT JOIN h ON h.member_id = who.id
LEFT JOIN inv ON inv.recipient_id = who.id
LEFT JOIN p ON p.member_id = who.id
LEFT JOIN members m ON m.id = CASE WHEN p.member_a = p.member_id THEN p.member_b
                                   ELSE p.member_a END
LEFT JOIN messages msg ON msg.id = p.last_message_id AND msg.id > p.cleared_through
LEFT JOIN invitations i ON i.id = p.invitation_id AND i.status = 'pending'
LEFT JOIN inmails im ON im.id = p.inmail_id
ORDER BY who.id, p.last_activity_at DESC, p.conversation_id DESC
"""


async def run(
    path: Path | None = None,
    members: int | None = None,
    repeat: int = 3,
    postgres_url: str | None = None,
) -> dict:
    """Ours vs the bound on SQLite (the cached file) or, with `postgres_url` (a superuser's),
    on the same data seeded into PostgreSQL; the bound on the same driver as ours."""
    async with open_inbox(path, postgres_url) as (store, fetch, _, _, _, _):
        core = await Core.open(store)
        return await _measure(core, fetch, members, repeat)


async def _measure(core: Core, fetch: Fetch, members: int | None, repeat: int) -> dict:
    rows = await fetch(
        "SELECT DISTINCT member_id FROM conversation_states WHERE unread_count > 0"
        " AND spam = 0 AND deleted = 0 ORDER BY member_id",
        {},
    )
    recipients = [row[0] for row in rows][:members]

    async def ours() -> dict:
        return await core.inbox.digests(recipients, PAGE)

    async def bound() -> list:
        return await fetch(DIGEST_SQL, {"limit": PAGE + 1})

    ours_s, sql_s = [], []
    for _ in range(repeat):  # interleaved, so a noisy moment hits both
        start = time.perf_counter()
        built = await ours()
        ours_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        lines = await bound()
        sql_s.append(time.perf_counter() - start)
    sample = recipients[:: max(1, len(recipients) // 200)]
    start = time.perf_counter()
    for member_id in sample:
        await core.inbox.digest(member_id, None, PAGE)
    one_by_one_s = (time.perf_counter() - start) / len(sample) * len(recipients)
    built_lines = sum(len(d.entries) + (d.next_cursor is not None) for d in built.values())
    bound_members = {row[0] for row in lines}
    ours_median, sql_median = sorted(ours_s)[len(ours_s) // 2], sorted(sql_s)[len(sql_s) // 2]
    return {
        "backend": core.deps.store.__class__.__name__.removesuffix("Store").lower(),
        "members": len(recipients),
        "ours_s": ours_median,
        "sql_s": sql_median,
        "ratio": ours_median / sql_median,
        "one_by_one_s": one_by_one_s,
        "lines_ours": built_lines,
        "lines_sql": len(lines),
        "same_members": set(recipients) <= bound_members,
    }


def main() -> None:
    """`python -m bench.digests [--backends sqlite,postgresql] [--postgres-url URL]
    [--repeat 3]`: the digest batch on each backend against that backend's aggregate
    bound. Results: bench/results/digests_backends.json."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    async def both() -> dict[str, dict]:
        results: dict[str, dict] = {}
        for backend in args.backends.split(","):
            print(f"digests on {backend}…", flush=True)
            url = None
            if backend != "sqlite":
                from tests.storage import postgres_server

                url = args.postgres_url or postgres_server.server_url()
            results[backend] = await run(repeat=args.repeat, postgres_url=url)
        return results

    results = asyncio.run(both())
    out = Path(__file__).resolve().parent / "results" / "digests_backends.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    for backend, r in results.items():
        print(
            f"{backend}: ours {r['ours_s']:.3f} s, bound {r['sql_s']:.3f} s, {r['ratio']:.2f}×"
            f" ({r['members']:,} members, {r['lines_ours']:,} lines)"
        )


if __name__ == "__main__":
    main()
