"""Inbox pages and digests as single statements.

Why one statement: a round trip through aiosqlite (a thread hop each way) costs about as much
as SQLite's whole work for a page of ten, so a page built from one query per table — or per
row — is several times slower than the data requires. Here a page is the conversation states
joined with everything the page shows (the other member, the last message, a pending
invitation, the InMail) plus the header counts, in one query; digests for many members are one
more query with a window function taking each member's first unread page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bridge.core.inbox_filters import RULES, FilterRule, Refinement, header_rule
from bridge.core.models import (
    Authored,
    Degree,
    InboxFilter,
    LastMessage,
    LineAttachment,
    LineMember,
    Tag,
    UnreadSummary,
)
from bridge.storage.port import InboxRow, InboxSlice
from bridge.storage.sql.db import Db, Dialect
from bridge.storage.sql.rows import ts

moment = datetime.fromisoformat  # timestamps are ISO text on both backends (`rows.ts`)


def awaiting_answer(member: str) -> str:
    """An invitation (`i`) still waiting for an answer as `member` sees it: pending, or
    declined when they sent it — a decline is never shown to its sender
    (`bridge.core.invitation_status.seen_status`)."""
    return f"(i.status = 'pending' OR (i.status = 'declined' AND i.sender_id = {member}))"


# Which of a member's conversations each inbox filter shows, from the core's rules
# (`bridge.core.inbox_filters`). Deleted means "cleared for me": only what arrived after the
# deletion is visible, so "has a visible message" covers it.
_VISIBLE = "s.deleted = 0 AND c.last_message_id > s.cleared_through"
_INVITATION_TO_ME = (
    "EXISTS (SELECT 1 FROM invitations i WHERE i.id = c.invitation_id"
    " AND i.status = 'pending' AND i.recipient_id = s.member_id)"
)


def where(rule: FilterRule, header: bool = False) -> str:
    """The SQL condition of a rule on `s` (the member's state) and `c` (the conversation).

    For a header (unread conversations only) "visible" is `s.deleted = 0`: unread messages
    come after the last read one, which is never before what was cleared, and a deletion
    reads everything. That keeps the header on the partial unread index, with no join
    unless a rule needs the conversation's invitation."""
    parts = [("s.deleted = 0" if header else _VISIBLE)] if rule.needs_message else []
    for column in ("spam", "archived", "inmail"):
        value = getattr(rule, column)
        if value is not None:
            parts.append(f"s.{column} = {int(value)}")
    if rule.unread is not None:
        parts.append("s.unread_count > 0" if rule.unread else "s.unread_count = 0")
    if rule.invitation_to_me is not None:
        parts.append(_INVITATION_TO_ME if rule.invitation_to_me else f"NOT {_INVITATION_TO_ME}")
    if rule.mailbox is not None:
        parts.append(f"s.mailbox = '{rule.mailbox.value}'")
    return " AND ".join(parts) or "TRUE"


FILTERS: dict[InboxFilter, str] = {f: where(rule) for f, rule in RULES.items()}
HEADERS: dict[InboxFilter, str] = {f: where(header_rule(f), header=True) for f in RULES}

# The page's own columns, carried out of the page (or ranked) subquery under prefixes: only
# what a line shows or its joins need (a line is lean: see `bridge.core.models.InboxEntry`).
_PAGE_COLUMNS = (
    "s.conversation_id AS s_conversation_id, s.member_id AS s_member_id,"
    " s.unread_count AS s_unread_count, s.last_activity_at AS s_last_activity_at,"
    " s.cleared_through AS s_cleared_through, c.member_a AS c_member_a,"
    " c.member_b AS c_member_b, c.last_activity_at AS c_last_activity_at,"
    " c.last_message_id AS c_last_message_id, c.invitation_id AS c_invitation_id,"
    " c.inmail_id AS c_inmail_id"
)
# What the outer select returns for a line after the header, in this order (`_line` decodes
# it by position): the state, the other member, the last message, the invitation, the InMail.
_LINE = (
    "p.s_conversation_id",
    "p.c_last_activity_at",
    "p.s_unread_count",
    "p.s_last_activity_at",
    "m.id",
    "m.handle",
    "m.first_name",
    "m.last_name",
    "m.headline",
    "m.company",
    "m.location",
    "m.industry",
    "m.left_at",
    "msg.sender_id",
    "msg.text",
    "msg.att_kind",
    "msg.att_duration",
    "msg.att_file_name",
    "msg.att_emoji",
    "i.id",
    "i.sender_id",
    "im.id",
    "im.sender_id",
    # Whether the other member ever wrote in it (`InboxRow.wrote`): a page names a 3rd-degree
    # or farther member who did, so the page needs it and asks in the same statement (one
    # statement: its own snapshot, no transaction round trips on PostgreSQL).
    "EXISTS (SELECT 1 FROM messages w WHERE w.conversation_id = p.s_conversation_id"
    " AND w.sender_id <> p.s_member_id)",
)
_ROW_COLUMNS = ", ".join(_LINE)
_ROW_WIDTH = len(_LINE)
_JOINS = (
    " LEFT JOIN members m ON m.id = CASE WHEN p.c_member_a = p.s_member_id"
    " THEN p.c_member_b ELSE p.c_member_a END"
    " LEFT JOIN messages msg ON msg.id = p.c_last_message_id AND msg.id > p.s_cleared_through"
    f" LEFT JOIN invitations i ON i.id = p.c_invitation_id AND {awaiting_answer('p.s_member_id')}"
    " LEFT JOIN inmails im ON im.id = p.c_inmail_id"
)
_ORDER = "p.s_last_activity_at DESC, p.s_conversation_id DESC"
# Header: unread messages, distinct people, unread InMail conversations (those the filter
# shows, `HEADERS`), pending invitations received. UNREAD: what digests and the unread
# summary count, on `s` (the Unread filter's header, from the core's rules). AFTER / BEFORE:
# the rows after a page's cursor, or before it (a previous page, read upwards from the
# cursor and put back in page order by the outer ORDER BY).
UNREAD = HEADERS[InboxFilter.UNREAD]
SALES_UNREAD = HEADERS[InboxFilter.SALES]
AFTER = " AND (s.last_activity_at < :at OR (s.last_activity_at = :at AND s.conversation_id < :cid))"
BEFORE = (
    " AND (s.last_activity_at > :at OR (s.last_activity_at = :at AND s.conversation_id > :cid))"
)
_UP = "s.last_activity_at ASC, s.conversation_id ASC"
_DOWN = "s.last_activity_at DESC, s.conversation_id DESC"

_PAGE_SQL = (
    "WITH p AS MATERIALIZED ("
    f" SELECT {_PAGE_COLUMNS} FROM conversation_states s"
    " JOIN conversations c ON c.id = s.conversation_id"
    " WHERE s.member_id = :me AND {where}{after}"
    " ORDER BY {order} LIMIT :limit)"
    " SELECT h.messages, h.people, h.inmails,"
    " (SELECT COUNT(*) FROM invitations WHERE recipient_id = :me AND status = 'pending'),"
    f" h.matching, h.tag_name, h.tag_colour, {_ROW_COLUMNS}"
    " FROM ({header_select}) h"
    f" LEFT JOIN p ON TRUE{_JOINS}"
    f" ORDER BY {_ORDER}"
)

# The header of a filter's page: its unread conversations only (the partial unread index).
# Sums CAST to BIGINT: PostgreSQL's SUM of BIGINT is `numeric`, decoded in Python on every
# row the header is repeated on; SQLite's is an integer already.
_HEADER = (
    "SELECT CAST(COALESCE(SUM(s.unread_count), 0) AS BIGINT) AS messages, COUNT(*) AS people,"
    " CAST(COALESCE(SUM(s.inmail), 0) AS BIGINT) AS inmails, NULL AS matching,"
    " NULL AS tag_name, NULL AS tag_colour"
    " FROM conversation_states s{header_join} WHERE s.member_id = :me AND {header}"
)
# With a smart filter the header also counts every conversation it matches: all the
# filter's conversations are read (each test is an indexed lookup per conversation).
_SMART_HEADER = (
    "SELECT CAST(COALESCE(SUM(s.unread_count), 0) AS BIGINT) AS messages,"
    " CAST(COALESCE(SUM(CASE WHEN s.unread_count > 0 THEN 1 ELSE 0 END), 0) AS BIGINT)"
    " AS people, CAST(COALESCE(SUM(CASE WHEN s.unread_count > 0 THEN s.inmail ELSE 0 END), 0)"
    " AS BIGINT) AS inmails,"
    " COUNT(*) AS matching, {tag_columns} FROM conversation_states s"
    " JOIN conversations c ON c.id = s.conversation_id WHERE s.member_id = :me AND {where}"
)

# The smart filter's tag as the header shows it (the member's own, or NULL: not theirs).
_TAG_COLUMNS = (
    "(SELECT name FROM tags WHERE id = :tag AND member_id = :me) AS tag_name,"
    " (SELECT colour FROM tags WHERE id = :tag AND member_id = :me) AS tag_colour"
)
_NO_TAG = "NULL AS tag_name, NULL AS tag_colour"

# The other member of a conversation `c`, as `s.member_id` sees it.
_OTHER = "(CASE WHEN c.member_a = s.member_id THEN c.member_b ELSE c.member_a END)"
# The conversation's last message, when the member still sees it (not cleared for them).
_LAST = "SELECT 1 FROM messages lm WHERE lm.id = c.last_message_id AND lm.id > s.cleared_through"


def _ids(dialect: Dialect, ids: str) -> str:
    """The members in the JSON list parameter `:ids`, as a subquery in the dialect's form."""
    return "(" + dialect.id_table.replace(":ids", f":{ids}") + ")"


def _linked(dialect: Dialect, ids: str) -> str:
    """The other member is connected to one of the members in the JSON list `:ids`."""
    inside = _ids(dialect, ids)
    return (
        f"EXISTS (SELECT 1 FROM connections k WHERE (k.member_a = {_OTHER} AND k.member_b IN"
        f" {inside}) OR (k.member_b = {_OTHER} AND k.member_a IN {inside}))"
    )


def refined(dialect: Dialect, r: Refinement) -> tuple[str, dict[str, object]]:
    """A smart filter's conditions on `s` and `c` (` AND …`, empty for none), and their
    parameters. Each is the definition in `bridge.core.inbox_filters.SmartFilter`; the
    cheapest come first (a column, then a primary-key lookup, then the last message, then a
    scan of the conversation's messages), so most conversations are ruled out early."""
    parts: list[str] = []
    params: dict[str, object] = {}
    if r.since is not None:
        parts.append("s.last_activity_at >= :since")
        params["since"] = ts(r.since)
    if r.tag_id is not None:  # the member's own tag only: another's matches nothing
        parts.append(
            "EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
            f" WHERE ct.tag_id = :tag AND t.member_id = s.member_id AND ct.contact_id = {_OTHER})"
        )
        params["tag"] = r.tag_id
    if r.degree is not None:
        first = f"{_OTHER} IN {_ids(dialect, 'first')}"
        params["first"] = json.dumps(list(r.first))
        if r.degree == Degree.FIRST:
            parts.append(first)
        elif r.degree == Degree.SECOND:
            parts.append(f"NOT {first} AND {_linked(dialect, 'first')}")
        else:
            parts.append(
                f"NOT {first} AND {_OTHER} NOT IN {_ids(dialect, 'second')}"
                f" AND {_linked(dialect, 'second')}"
            )
            params["second"] = json.dumps(list(r.second))
    if r.awaiting:
        parts.append(f"EXISTS ({_LAST} AND lm.sender_id <> s.member_id)")
    if r.waiting_before is not None:
        parts.append(f"EXISTS ({_LAST} AND lm.sender_id = s.member_id AND lm.created_at < :wb)")
        params["wb"] = ts(r.waiting_before)
    if r.files:
        parts.append(
            "EXISTS (SELECT 1 FROM messages fm WHERE fm.conversation_id = c.id"
            " AND fm.id > s.cleared_through AND fm.att_kind IS NOT NULL)"
        )
    return "".join(f" AND {part}" for part in parts), params


# A compound statement: one header row per member (kind 0), then their lines (kind 1), in
# member order. Driving the lines from the ranked page (not from the members, through an
# outer join) keeps it linear: SQLite cannot index a materialized page for that join, and a
# scan per member made 10,000 digests take 24 s instead of well under one.
_UNREAD_PAGES_SQL = (
    "WITH who AS MATERIALIZED ({id_table}),"
    # CROSS JOIN: SQLite keeps this order, so each member's rows are found through the
    # indexes instead of every unread row in the database being tested against the list.
    " h AS (SELECT member_id, CAST(SUM(unread_count) AS BIGINT) AS messages, COUNT(*) AS people,"
    " CAST(SUM(inmail) AS BIGINT) AS inmails"
    " FROM who CROSS JOIN conversation_states s ON s.member_id = who.id"
    f" WHERE {UNREAD} GROUP BY s.member_id),"
    # The sales mailbox's unread, apart (`InboxSlice.sales`): the digest shows the two.
    " hs AS (SELECT member_id, CAST(SUM(unread_count) AS BIGINT) AS messages, COUNT(*) AS people"
    " FROM who CROSS JOIN conversation_states s ON s.member_id = who.id"
    f" WHERE {SALES_UNREAD} GROUP BY s.member_id),"
    " inv AS (SELECT recipient_id, COUNT(*) AS pending"
    " FROM who CROSS JOIN invitations ON recipient_id = who.id"
    " WHERE status = 'pending' GROUP BY recipient_id),"
    " p AS (SELECT * FROM ("
    f" SELECT {_PAGE_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY s.member_id"
    " ORDER BY s.last_activity_at DESC, s.conversation_id DESC) AS rank"
    " FROM who CROSS JOIN conversation_states s ON s.member_id = who.id"
    " JOIN conversations c ON c.id = s.conversation_id WHERE {where}) AS ranked"
    " WHERE rank <= :limit)"
    " SELECT who.id, 0, COALESCE(h.messages, 0), COALESCE(h.people, 0),"
    f" COALESCE(h.inmails, 0), COALESCE(inv.pending, 0), COALESCE(hs.messages, 0),"
    f" COALESCE(hs.people, 0), {', '.join(['NULL'] * _ROW_WIDTH)}"
    " FROM who LEFT JOIN h ON h.member_id = who.id"
    " LEFT JOIN inv ON inv.recipient_id = who.id LEFT JOIN hs ON hs.member_id = who.id"
    " WHERE h.member_id IS NOT NULL OR inv.recipient_id IS NOT NULL OR hs.member_id IS NOT NULL"
    " UNION ALL"
    # A digest's lines are unread: the other member wrote (`_LINE`'s last column is 1).
    f" SELECT p.s_member_id, 1, NULL, NULL, NULL, NULL, NULL, NULL, {', '.join(_LINE[:-1])}, 1"
    f" FROM p{_JOINS}"
    # member, header first, then newest activity first (positions in the result)
    f" ORDER BY 1, 2, {9 + _LINE.index('p.s_last_activity_at')} DESC,"
    f" {9 + _LINE.index('p.s_conversation_id')} DESC"
)


_MEMBER = slice(4, 4 + len(LineMember._fields))  # the other member's columns in `_LINE`


def _line(row: Sequence[Any], start: int) -> InboxRow | None:
    """The line in `row` from position `start` (`_LINE`); None for a header-only row. A
    joined table's part is None when its key is NULL: the LEFT JOIN found nothing."""
    values = row[start : start + _ROW_WIDTH]
    conversation_id, activity, unread, at = values[: _MEMBER.start]
    if conversation_id is None:
        return None
    (
        sender_id,
        text,
        kind,
        duration,
        file_name,
        emoji,
        invitation_id,
        invited_by,
        inmail_id,
        inmail_by,
        wrote,
    ) = values[_MEMBER.stop :]
    position = moment(at)
    return InboxRow(
        conversation_id,
        position if activity == at else moment(activity),
        unread,
        position,
        LineMember._make(values[_MEMBER]),
        None
        if sender_id is None
        else LastMessage(
            sender_id,
            text,
            None if kind is None else LineAttachment(kind, duration, file_name, emoji),
        ),
        None if invitation_id is None else Authored(invitation_id, invited_by),
        None if inmail_id is None else Authored(inmail_id, inmail_by),
        bool(wrote),
    )


def page_statement(
    dialect: Dialect,
    member_id: int,
    filter: InboxFilter,
    cursor: tuple[datetime, int] | None,
    limit: int,
    backward: bool = False,
    refine: Refinement | None = None,
) -> tuple[str, dict[str, object]]:
    """The one statement of an inbox page (`inbox_page`) and its parameters."""
    params: dict[str, object] = {"me": member_id, "limit": limit}
    after, order = "", _DOWN
    if cursor is not None:
        after, order = (BEFORE, _UP) if backward else (AFTER, _DOWN)
        params |= {"at": ts(cursor[0]), "cid": cursor[1]}
    where = FILTERS[filter]
    if refine is None:
        header = HEADERS[filter]
        header_join = " JOIN conversations c ON c.id = s.conversation_id" if "c." in header else ""
        header_select = _HEADER.replace("{header_join}", header_join).replace("{header}", header)
    else:
        conditions, more = refined(dialect, refine)
        where += conditions
        params |= more
        header_select = _SMART_HEADER.replace("{where}", where).replace(
            "{tag_columns}", _TAG_COLUMNS if refine.tag_id is not None else _NO_TAG
        )
    sql = (
        _PAGE_SQL.replace("{header_select}", header_select)
        .replace("{where}", where)
        .replace("{after}", after)
        .replace("{order}", order)
    )
    return sql, params


async def inbox_page(
    conn: Db,
    member_id: int,
    filter: InboxFilter,
    cursor: tuple[datetime, int] | None,
    limit: int,
    backward: bool = False,
    refine: Refinement | None = None,
) -> InboxSlice:
    """Up to `limit` rows after the cursor (with `backward`, the `limit` rows just before
    it), newest first either way, and the header of what the filter shows."""
    sql, params = page_statement(conn.dialect, member_id, filter, cursor, limit, backward, refine)
    rows = list(await conn.execute_fetchall(sql, params))
    head = rows[0]
    decoded = [_line(row, 7) for row in rows]
    return InboxSlice(
        rows=[row for row in decoded if row is not None],
        summary=UnreadSummary(messages=head[0], people=head[1]),
        inmails=head[2],
        invitations=head[3],
        matching=head[4],
        tag=Tag(id=refine.tag_id, name=head[5], colour=head[6])
        if refine is not None and refine.tag_id is not None and head[5] is not None
        else None,
    )


def _summary(
    known: dict[tuple[int, int], UnreadSummary], messages: int, people: int
) -> UnreadSummary:
    summary = known.get((messages, people))
    if summary is None:
        summary = known[messages, people] = UnreadSummary(messages=messages, people=people)
    return summary


async def unread_pages(conn: Db, member_ids: Sequence[int], limit: int) -> dict[int, InboxSlice]:
    sql = _UNREAD_PAGES_SQL.replace("{where}", FILTERS[InboxFilter.UNREAD]).replace(
        "{id_table}", conn.dialect.id_table
    )
    params = {"ids": json.dumps([int(i) for i in member_ids]), "limit": limit}
    slices: dict[int, InboxSlice] = {}
    # Equal counts are one (frozen) summary: thousands of digests share a few dozen.
    summaries: dict[tuple[int, int], UnreadSummary] = {}
    rows = list(await conn.execute_fetchall(sql, params))
    rows.reverse()
    while rows:  # each row freed once read: fewer objects alive for the garbage collector
        row = rows.pop()
        if row[1] == 0:
            slices[row[0]] = InboxSlice(
                rows=[],
                summary=_summary(summaries, row[2], row[3]),
                inmails=row[4],
                invitations=row[5],
                sales=_summary(summaries, row[6], row[7]),
            )
        else:
            line = _line(row, 8)
            assert line is not None
            slices[row[0]].rows.append(line)
    return slices
