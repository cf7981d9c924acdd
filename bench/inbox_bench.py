"""Inbox pages: `core.inbox.page(...)` versus the single hand-written SQL query that returns
everything the same page shows, sent through the same aiosqlite driver in one call — the
lower bound for any implementation on this schema.

The member is the best-connected member of a seeded network with 10,000 conversations and
200,000 messages (unread, archived, InMail, spam and deleted mixed, counters exactly as the
core keeps them — see `bridge.seed.inbox`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

from bench.data import Fetch, open_inbox
from bench.timing import atimed_us, summary
from bridge.core.app import Core
from bridge.core.inbox import decode_cursor
from bridge.core.inbox_filters import encode_smart
from bridge.core.models import InboxFilter, SmartFilter, Tag
from bridge.storage.postgres.db import POSTGRES
from bridge.storage.sql.inbox import page_statement
from bridge.storage.sql.rows import ts
from bridge.storage.sqlite.db import SQLITE

VISIBLE = "s.deleted = 0 AND c.last_message_id > s.cleared_through"
WHERE = {
    InboxFilter.ALL: f"{VISIBLE} AND s.spam = 0 AND s.archived = 0",
    InboxFilter.UNREAD: f"{VISIBLE} AND s.spam = 0 AND s.unread_count > 0",
    InboxFilter.ARCHIVED: f"{VISIBLE} AND s.spam = 0 AND s.archived = 1",
    InboxFilter.INMAIL: f"{VISIBLE} AND s.spam = 0 AND s.inmail = 1",
}
# One statement: the page (limit + 1 rows, to know whether there is a next page), each row
# with the other member (the columns a line shows: `m.*` would also carry PostgreSQL's
# search vector, a cost no page needs), the last message, the pending invitation and the
# InMail, and the unread header ("N messages from P people") computed once.
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
SELECT page.*, m.id AS other_id, m.handle, m.first_name, m.last_name, m.headline,
       m.company, m.location, m.industry, m.left_at, msg.id AS msg_id, msg.sender_id,
       msg.kind, msg.text, msg.subject,
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
# A smart filter in use (issue 15): `/inbox awaiting #candidate` — their message is the last
# one, on a contact carrying the member's tag (one contact in TAG_EVERY is tagged). Its
# header counts every matching conversation and the unread in them, so the bound does too.
TAG_EVERY = 5
OTHER = "(CASE WHEN c.member_a = s.member_id THEN c.member_b ELSE c.member_a END)"
SMART_WHERE = (  # the cheaper test first, as ours does: the bound is the best plan we know
    f"{WHERE[InboxFilter.ALL]}"
    " AND EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
    f" WHERE ct.tag_id = :tag AND t.member_id = s.member_id AND ct.contact_id = {OTHER})"
    " AND EXISTS (SELECT 1 FROM messages lm WHERE lm.id = c.last_message_id"
    " AND lm.id > s.cleared_through AND lm.sender_id <> s.member_id)"
)
SMART_PAGE_SQL = PAGE_SQL.replace(
    """    SELECT COALESCE(SUM(unread_count), 0) AS messages, COUNT(*) AS people
    FROM conversation_states
    WHERE member_id = :me AND unread_count > 0 AND spam = 0 AND deleted = 0""",
    "    SELECT COALESCE(SUM(s.unread_count), 0) AS messages,"
    " SUM(CASE WHEN s.unread_count > 0 THEN 1 ELSE 0 END) AS people, COUNT(*) AS matching,"
    " (SELECT name FROM tags WHERE id = :tag AND member_id = :me) AS tag_name,"
    " (SELECT colour FROM tags WHERE id = :tag AND member_id = :me) AS tag_colour"
    " FROM conversation_states s JOIN conversations c ON c.id = s.conversation_id"
    " WHERE s.member_id = :me AND {where}",
).replace(
    "header.messages, header.people",
    "header.messages, header.people, header.matching, header.tag_name, header.tag_colour",
)


async def lower_bound(
    fetch: Fetch, me: int, filter: InboxFilter, cursor: str | None, limit: int = 10
) -> list:
    params: dict[str, object] = {"me": me, "limit": limit + 1}
    after = ""
    decoded = decode_cursor(cursor)
    if decoded is not None:
        after = AFTER
        params |= {"at": ts(decoded[0]), "cid": decoded[1]}
    sql = PAGE_SQL.format(where=WHERE[filter], after=after)
    return await fetch(sql, params)  # one call, as the core makes


async def smart_lower_bound(
    fetch: Fetch, me: int, tag: int, cursor: str | None, limit: int = 10
) -> list:
    """The bound of a smart page: the same one statement, with its conditions."""
    params: dict[str, object] = {"me": me, "limit": limit + 1, "tag": tag}
    after = ""
    decoded = decode_cursor(cursor)
    if decoded is not None:
        after = AFTER
        params |= {"at": ts(decoded[0]), "cid": decoded[1]}
    sql = SMART_PAGE_SQL.format(where=SMART_WHERE, after=after)
    return await fetch(sql, params)


async def tag_contacts(fetch: Fetch, me: int) -> int:
    """Tag one in `TAG_EVERY` of the member's contacts "candidate" (idempotent: the bench
    database is cached), through SQL as the seeder writes; the tag's id."""
    made = "2026-01-01T00:00:00.000000+00:00"
    await fetch(
        "INSERT INTO tags (member_id, name, colour, created_at)"
        " VALUES (:me, 'candidate', '🟢', :at) ON CONFLICT (member_id, name) DO NOTHING",
        {"me": me, "at": made},
    )
    (row,) = await fetch(
        "SELECT id FROM tags WHERE member_id = :me AND name = 'candidate'", {"me": me}
    )
    await fetch(
        "INSERT INTO contact_tags (tag_id, contact_id, created_at)"
        f" SELECT :tag, {OTHER}, :at"
        " FROM conversation_states s JOIN conversations c ON c.id = s.conversation_id"
        f" WHERE s.member_id = :me AND s.conversation_id % {TAG_EVERY} = 0"
        " ON CONFLICT (tag_id, contact_id) DO NOTHING",
        {"tag": row[0], "me": me, "at": made},
    )
    return int(row[0])


async def explain(fetch: Fetch, me: int, filter: InboxFilter) -> list[str]:
    """The core's own page query plan (as `SqliteConversations.inbox` sends it)."""
    sql = (
        "EXPLAIN QUERY PLAN SELECT c.id FROM conversation_states s"
        " JOIN conversations c ON c.id = s.conversation_id"
        f" WHERE s.member_id = :me AND {WHERE[filter]}"
        " ORDER BY s.last_activity_at DESC, s.conversation_id DESC LIMIT 11"
    )
    return [str(row[3]) for row in await fetch(sql, {"me": me})]


async def run(
    path: Path | None = None,
    repeat: int = 15,
    follow: int = 3,
    postgres_url: str | None = None,
) -> dict:
    """First page and `follow` next pages (by cursor) of each filter, ours vs the lower
    bound on the same backend: SQLite (the cached file) or, with `postgres_url` (a
    superuser's), the same data seeded into PostgreSQL."""
    async with open_inbox(path, postgres_url) as (
        store,
        fetch,
        write,
        me,
        build,
        statements,
    ):
        core = await Core.open(store)
        return await _measure(core, fetch, write, me, build, statements, repeat, follow)


async def _measure(
    core: Core,
    fetch: Fetch,
    write: Fetch,
    me: int,
    build: dict,
    statements: Callable[[], list[str]] | None,
    repeat: int,
    follow: int,
) -> dict:
    backend = core.deps.store.__class__.__name__.removesuffix("Store").lower()
    result: dict = {"backend": backend, "build": build, "owner": me, "pages": {}, "plans": {}}
    (row,) = await fetch(
        "SELECT COUNT(*), (SELECT COUNT(*) FROM messages m JOIN conversations c"
        " ON c.id = m.conversation_id WHERE :me IN (c.member_a, c.member_b))"
        " FROM conversation_states WHERE member_id = :me",
        {"me": me},
    )
    result["conversations"], result["messages"] = int(row[0]), int(row[1])
    if statements is not None:  # SQLite: its plans, and how many statements a page sends
        for _, chosen in PAGES:
            result["plans"][chosen.value] = await explain(fetch, me, chosen)
    tag = await tag_contacts(write, me)
    smart = encode_smart(SmartFilter(awaiting=True, tag=Tag(id=tag, name="candidate", colour="🟢")))
    if statements is not None:
        result["statements_per_page"] = {}
        statements()
        for name, call in (
            ("inmail", partial(core.inbox.page, me, InboxFilter.INMAIL)),
            ("archived", partial(core.inbox.page, me, InboxFilter.ARCHIVED)),
            ("awaiting #candidate", partial(core.inbox.page, me, InboxFilter.ALL, smart=smart)),
        ):
            await call()
            result["statements_per_page"][name] = len(statements())

    async def select_one() -> object:
        return await fetch("SELECT 1", {})

    # What one round trip through the driver costs on this machine.
    result["round_trip"] = summary([await atimed_us(select_one, 1) for _ in range(200)])
    # Two statements return a page: the hand-written one above and the core's own (sent raw,
    # no Python around it). Which one is faster depends on the backend's planner (PostgreSQL
    # plans the hand-written one worse), so the bound is the faster of the two, page by page.
    dialect_of = POSTGRES if backend == "postgres" else SQLITE
    smart_rule = core.inbox._refinement(
        me, SmartFilter(awaiting=True, tag=Tag(id=tag, name="", colour=""))
    )
    measured: list[tuple[str, InboxFilter | None]] = [*PAGES, ("awaiting #candidate", None)]
    for name, kind in measured:
        cursor: str | None = None
        for depth in range(follow + 1):
            position = decode_cursor(cursor)
            if kind is None:  # the smart page
                ours_call = partial(core.inbox.page, me, InboxFilter.ALL, cursor, smart=smart)
                bound_call = partial(smart_lower_bound, fetch, me, tag, cursor)
                own = page_statement(
                    dialect_of, me, InboxFilter.ALL, position, 11, False, smart_rule
                )
            else:
                ours_call = partial(core.inbox.page, me, kind, cursor)
                bound_call = partial(lower_bound, fetch, me, kind, cursor)
                own = page_statement(dialect_of, me, kind, position, 11)
            own_call = partial(fetch, *own)
            page = await ours_call()
            rows = await bound_call()
            same = [e.conversation_id for e in page.entries] == [r[0] for r in rows][:10]

            ours, lower, raw = await interleaved([ours_call, bound_call, own_call], repeat)
            label = name if depth == 0 else f"{name}, page {depth + 1}"
            o, s, r = summary(ours), summary(lower), summary(raw)
            bound = min(s["median_us"], r["median_us"])
            result["pages"][label] = {
                "ours": o,
                "sql": s,
                "own_sql": r,
                "same_rows": same,
                "entries": len(page.entries),
                "ratio": o["median_us"] / bound,
            }
            cursor = page.next_cursor
            if cursor is None:
                break
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


RESULTS = Path(__file__).resolve().parent / "results" / "inbox_backends.json"


def table(results: dict[str, dict]) -> str:
    """Each backend's pages against its own bound: medians (µs) of ours, the hand-written
    statement and the core's own statement sent raw; the ratio to the faster statement."""
    names = list(next(iter(results.values()))["pages"])
    head = " | ".join(f"{b}: ours / hand-written / own SQL (µs) | {b} ratio" for b in results)
    lines = [f"| page | {head} |", "|---" * (1 + 2 * len(results)) + "|"]
    for name in names:
        cells = []
        for measured in results.values():
            page = measured["pages"].get(name)
            if page is None:
                cells += ["–", "–"]
                continue
            ours, sql = page["ours"]["median_us"], page["sql"]["median_us"]
            own = page["own_sql"]["median_us"]
            cells += [f"{ours:,.0f} / {sql:,.0f} / {own:,.0f}", f"{page['ratio']:.2f}×"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> dict[str, dict]:
    results: dict[str, dict] = {}
    repeat, follow = (7, 1) if args.quick else (args.repeat, 3)
    for backend in args.backends.split(","):
        print(f"inbox pages on {backend}…", flush=True)
        if backend == "sqlite":
            results[backend] = await run(repeat=repeat, follow=follow)
        else:
            from tests.storage import postgres_server

            admin = args.postgres_url or postgres_server.server_url()
            results[backend] = await run(repeat=repeat, follow=follow, postgres_url=admin)
    return results


def main() -> None:
    """`python -m bench.inbox_bench [--quick] [--backends sqlite,postgresql] [--postgres-url
    URL]`: inbox pages on each backend against that backend's own one-statement bound
    (PostgreSQL: `--postgres-url`, a superuser's, else `TEST_POSTGRES_URL`, else a throwaway
    cluster as the tests start one). Results: bench/results/inbox_backends.json."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url")
    parser.add_argument("--quick", action="store_true", help="fewer samples and next pages")
    parser.add_argument("--repeat", type=int, default=25, help="samples of each page")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
