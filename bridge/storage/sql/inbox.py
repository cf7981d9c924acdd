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

from bridge.core.inbox_filters import RULES, FilterRule, header_rule
from bridge.core.models import (
    Conversation,
    ConversationState,
    InboxFilter,
    InMail,
    Invitation,
    Member,
    UnreadSummary,
)
from bridge.storage.port import InboxRow, InboxSlice
from bridge.storage.sql.credits import INMAIL_COLUMNS
from bridge.storage.sql.db import Db
from bridge.storage.sql.members import MEMBER_COLUMNS
from bridge.storage.sql.network import INVITATION_COLUMNS
from bridge.storage.sql.rows import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    STATE_COLUMNS,
    message_from_dict,
    ts,
)


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
    return " AND ".join(parts) or "1"


FILTERS: dict[InboxFilter, str] = {f: where(rule) for f, rule in RULES.items()}
HEADERS: dict[InboxFilter, str] = {f: where(header_rule(f), header=True) for f in RULES}

# The page's own columns, carried out of the page (or ranked) subquery under prefixes.
_PAGE_COLUMNS = ", ".join(
    [f"s.{c} AS s_{c}" for c in STATE_COLUMNS] + [f"c.{c} AS c_{c}" for c in CONVERSATION_COLUMNS]
)
# What the outer select returns after the header, in this order (decoded by position).
_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("p.s_", STATE_COLUMNS),
    ("p.c_", CONVERSATION_COLUMNS),
    ("m.", MEMBER_COLUMNS),
    ("msg.", MESSAGE_COLUMNS),
    ("i.", INVITATION_COLUMNS),
    ("im.", INMAIL_COLUMNS),
)
_ROW_COLUMNS = ", ".join(f"{prefix}{column}" for prefix, columns in _TABLES for column in columns)
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
    f" {_ROW_COLUMNS}"
    " FROM (SELECT COALESCE(SUM(s.unread_count), 0) AS messages, COUNT(*) AS people,"
    " COALESCE(SUM(s.inmail), 0) AS inmails FROM conversation_states s{header_join}"
    " WHERE s.member_id = :me AND {header}) h"
    f" LEFT JOIN p ON TRUE{_JOINS}"
    f" ORDER BY {_ORDER}"
)

_ROW_WIDTH = sum(len(columns) for _, columns in _TABLES)
# A compound statement: one header row per member (kind 0), then their lines (kind 1), in
# member order. Driving the lines from the ranked page (not from the members, through an
# outer join) keeps it linear: SQLite cannot index a materialized page for that join, and a
# scan per member made 10,000 digests take 24 s instead of well under one.
_UNREAD_PAGES_SQL = (
    "WITH who AS MATERIALIZED ({id_table}),"
    # CROSS JOIN: SQLite keeps this order, so each member's rows are found through the
    # indexes instead of every unread row in the database being tested against the list.
    " h AS (SELECT member_id, SUM(unread_count) AS messages, COUNT(*) AS people,"
    " SUM(inmail) AS inmails FROM who CROSS JOIN conversation_states s ON s.member_id = who.id"
    f" WHERE {UNREAD} GROUP BY s.member_id),"
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
    f" COALESCE(h.inmails, 0), COALESCE(inv.pending, 0), {', '.join(['NULL'] * _ROW_WIDTH)}"
    " FROM who LEFT JOIN h ON h.member_id = who.id"
    " LEFT JOIN inv ON inv.recipient_id = who.id"
    " WHERE h.member_id IS NOT NULL OR inv.recipient_id IS NOT NULL"
    " UNION ALL"
    f" SELECT p.s_member_id, 1, NULL, NULL, NULL, NULL, {_ROW_COLUMNS} FROM p{_JOINS}"
    # member, header first, then newest activity first (positions in the result)
    f" ORDER BY 1, 2, {7 + STATE_COLUMNS.index('last_activity_at')} DESC,"
    f" {7 + STATE_COLUMNS.index('conversation_id')} DESC"
)


# Each table's (first position, columns) in a row, after the header columns.
_SPANS: tuple[tuple[int, tuple[str, ...]], ...] = tuple(
    (sum(len(columns) for _, columns in _TABLES[:k]), _TABLES[k][1]) for k in range(len(_TABLES))
)


def _decode(row: Sequence[Any], start: int) -> InboxRow | None:
    """The page columns of `row` from position `start`; None for a header-only row.

    A joined table's part is None when its first column (every table's primary key, or the
    state's conversation) is NULL: the LEFT JOIN found nothing."""
    parts: list[dict[str, Any] | None] = []
    for offset, columns in _SPANS:
        at = start + offset
        parts.append(None if row[at] is None else dict(zip(columns, row[at : at + len(columns)])))  # noqa: B905
    state, conversation, member, message, invitation, inmail = parts
    if state is None:
        return None
    return InboxRow(
        conversation=Conversation.model_validate(conversation),
        state=ConversationState.model_validate(state),
        other=Member.model_validate(member),
        last_message=message_from_dict(message) if message is not None else None,
        invitation=Invitation.model_validate(invitation) if invitation is not None else None,
        inmail=InMail.model_validate(inmail) if inmail is not None else None,
    )


async def inbox_page(
    conn: Db,
    member_id: int,
    filter: InboxFilter,
    cursor: tuple[datetime, int] | None,
    limit: int,
    backward: bool = False,
) -> InboxSlice:
    """Up to `limit` rows after the cursor (with `backward`, the `limit` rows just before
    it), newest first either way, and the header of what the filter shows."""
    params: dict[str, object] = {"me": member_id, "limit": limit}
    after, order = "", _DOWN
    if cursor is not None:
        after, order = (BEFORE, _UP) if backward else (AFTER, _DOWN)
        params |= {"at": ts(cursor[0]), "cid": cursor[1]}
    header = HEADERS[filter]
    header_join = " JOIN conversations c ON c.id = s.conversation_id" if "c." in header else ""
    sql = (
        _PAGE_SQL.replace("{where}", FILTERS[filter])
        .replace("{after}", after)
        .replace("{order}", order)
        .replace("{header_join}", header_join)
        .replace("{header}", header)
    )
    rows = list(await conn.execute_fetchall(sql, params))
    head = rows[0]
    decoded = [_decode(row, 4) for row in rows]
    return InboxSlice(
        rows=[row for row in decoded if row is not None],
        summary=UnreadSummary(messages=head[0], people=head[1]),
        inmails=head[2],
        invitations=head[3],
    )


async def unread_pages(conn: Db, member_ids: Sequence[int], limit: int) -> dict[int, InboxSlice]:
    sql = _UNREAD_PAGES_SQL.replace("{where}", FILTERS[InboxFilter.UNREAD]).replace(
        "{id_table}", conn.dialect.id_table
    )
    params = {"ids": json.dumps([int(i) for i in member_ids]), "limit": limit}
    slices: dict[int, InboxSlice] = {}
    for row in await conn.execute_fetchall(sql, params):
        if row[1] == 0:
            slices[row[0]] = InboxSlice(
                rows=[],
                summary=UnreadSummary(messages=row[2], people=row[3]),
                inmails=row[4],
                invitations=row[5],
            )
        else:
            line = _decode(row, 6)
            assert line is not None
            slices[row[0]].rows.append(line)
    return slices
