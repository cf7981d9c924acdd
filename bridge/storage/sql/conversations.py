"""Conversations, per-member conversation state, messages, edits and reactions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bridge.core.inbox_filters import Refinement
from bridge.core.models import (
    Attachment,
    ChatCopy,
    Conversation,
    ConversationState,
    InboxFilter,
    Message,
    MessageEdit,
    MessageKind,
    Reaction,
    UnreadSummary,
)
from bridge.storage.port import ConstraintViolation, HeldMessage, InboxSlice, Route
from bridge.storage.sql.db import Db
from bridge.storage.sql.inbox import AFTER, FILTERS, HEADERS, inbox_page, unread_pages
from bridge.storage.sql.outgoing import OutgoingRows
from bridge.storage.sql.rows import (
    ATTACHMENT_COLUMNS,
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    STATE_COLUMNS,
    attachment_values,
    message_from_row,
    row_dict,
    ts,
)

_CONVERSATION = f"SELECT {', '.join(CONVERSATION_COLUMNS)} FROM conversations"
_STATE = f"SELECT {', '.join(STATE_COLUMNS)} FROM conversation_states"


def _conversation(data: dict[str, object]) -> Conversation:
    return Conversation.model_validate({k: data[k] for k in CONVERSATION_COLUMNS})


def _state(data: dict[str, object]) -> ConversationState:
    return ConversationState.model_validate({k: data[k] for k in STATE_COLUMNS})


class SqlConversations:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def get(self, conversation_id: int) -> Conversation | None:
        cursor = await self._conn.execute(f"{_CONVERSATION} WHERE id = ?", (conversation_id,))
        row = await cursor.fetchone()
        return _conversation(row_dict(row)) if row else None

    async def between(self, a: int, b: int) -> Conversation | None:
        low, high = sorted((a, b))
        cursor = await self._conn.execute(
            f"{_CONVERSATION} WHERE member_a = ? AND member_b = ?", (low, high)
        )
        row = await cursor.fetchone()
        return _conversation(row_dict(row)) if row else None

    async def route(self, actor_id: int, target_id: int) -> Route:
        low, high = sorted((actor_id, target_id))
        # One row whether or not they have a conversation (its columns NULL when not).
        cursor = await self._conn.execute(
            f"SELECT {', '.join(f'c.{c}' for c in CONVERSATION_COLUMNS)},"
            " EXISTS (SELECT 1 FROM connections WHERE member_a = :low AND member_b = :high)"
            " AS connected,"
            " (SELECT i.id FROM inmails i WHERE i.conversation_id = c.id"
            " AND i.recipient_id = :actor AND i.status = 'sent' ORDER BY i.id DESC LIMIT 1)"
            " AS open_inmail_id,"
            " EXISTS (SELECT 1 FROM blocks WHERE blocker_id = :actor AND blocked_id = :target)"
            " AS you_blocked,"
            " EXISTS (SELECT 1 FROM blocks WHERE blocker_id = :target AND blocked_id = :actor)"
            " AS they_blocked"
            " FROM (SELECT 1 AS one) AS here"
            " LEFT JOIN conversations c ON c.member_a = :low AND c.member_b = :high",
            {"low": low, "high": high, "actor": actor_id, "target": target_id},
        )
        row = await cursor.fetchone()
        assert row is not None
        data = row_dict(row)
        return Route(
            conversation=_conversation(data) if data["id"] is not None else None,
            connected=bool(data["connected"]),
            open_inmail_id=data["open_inmail_id"],
            you_blocked=bool(data["you_blocked"]),
            they_blocked=bool(data["they_blocked"]),
        )

    async def create(self, a: int, b: int, now: datetime) -> Conversation:
        low, high = sorted((a, b))
        # ON CONFLICT: two workers opening the same pair's conversation at once (both members
        # writing first) — PostgreSQL refuses the second as a serialization failure (the row
        # is one its snapshot cannot see), not a broken key, so it runs again and finds the
        # conversation. A pair's conversation this transaction could see is a broken key.
        cursor = await self._conn.execute(
            "INSERT INTO conversations (member_a, member_b, created_at, last_activity_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (member_a, member_b) DO NOTHING RETURNING id",
            (low, high, ts(now), ts(now)),
        )
        row = await cursor.fetchone()
        if row is None:
            raise ConstraintViolation(f"the conversation of {low} and {high} exists")
        await self._conn.executemany(
            "INSERT INTO conversation_states (conversation_id, member_id, last_activity_at)"
            " VALUES (?, ?, ?)",
            [(row[0], low, ts(now)), (row[0], high, ts(now))],
        )
        created = await self.get(row[0])
        assert created is not None
        return created

    async def save(self, conversation: Conversation) -> None:
        await self._conn.execute(
            "UPDATE conversations SET last_message_id = ?, last_activity_at = ?,"
            " invitation_id = ?, inmail_id = ? WHERE id = ?",
            (
                conversation.last_message_id,
                ts(conversation.last_activity_at),
                conversation.invitation_id,
                conversation.inmail_id,
                conversation.id,
            ),
        )

    async def state(self, conversation_id: int, member_id: int) -> ConversationState:
        cursor = await self._conn.execute(
            f"{_STATE} WHERE conversation_id = ? AND member_id = ?", (conversation_id, member_id)
        )
        row = await cursor.fetchone()
        if row is None:
            raise LookupError(f"no state for member {member_id} in {conversation_id}")
        return _state(row_dict(row))

    async def states(self, conversation_id: int) -> dict[int, ConversationState]:
        cursor = await self._conn.execute(f"{_STATE} WHERE conversation_id = ?", (conversation_id,))
        return {row["member_id"]: _state(row_dict(row)) for row in await cursor.fetchall()}

    async def save_state(self, state: ConversationState, unread_delta: int = 0) -> None:
        unread = "unread_count + ?" if unread_delta else "?"
        cursor = await self._conn.execute(
            f"UPDATE conversation_states SET unread_count = {unread}, last_read_message_id = ?,"
            " archived = ?, deleted = ?, cleared_through = ?, spam = ?, inmail = ?,"
            " last_activity_at = ?, mailbox = ? WHERE conversation_id = ? AND member_id = ?"
            " RETURNING unread_count",
            (
                unread_delta or state.unread_count,
                state.last_read_message_id,
                int(state.archived),
                int(state.deleted),
                state.cleared_through,
                int(state.spam),
                int(state.inmail),
                ts(state.last_activity_at),
                state.mailbox.value,
                state.conversation_id,
                state.member_id,
            ),
        )
        row = await cursor.fetchone()
        if row is not None:
            state.unread_count = int(row[0])

    async def inbox(
        self,
        member_id: int,
        filter: InboxFilter,
        cursor: tuple[datetime, int] | None,
        limit: int,
    ) -> list[tuple[Conversation, ConversationState]]:
        params: dict[str, object] = {"me": member_id, "limit": limit}
        after = ""
        if cursor is not None:
            after = AFTER
            params |= {"at": ts(cursor[0]), "cid": cursor[1]}
        columns = ", ".join(
            [f"c.{c}" for c in CONVERSATION_COLUMNS] + [f"s.{c} AS s_{c}" for c in STATE_COLUMNS]
        )
        result = await self._conn.execute(
            f"SELECT {columns} FROM conversation_states s"
            " JOIN conversations c ON c.id = s.conversation_id"
            f" WHERE s.member_id = :me AND {FILTERS[filter]}{after}"
            " ORDER BY s.last_activity_at DESC, s.conversation_id DESC LIMIT :limit",
            params,
        )
        pages = []
        for row in await result.fetchall():
            data = row_dict(row)
            state = {c: data[f"s_{c}"] for c in STATE_COLUMNS}
            pages.append((_conversation(data), _state(state)))
        return pages

    async def inbox_page(
        self,
        member_id: int,
        filter: InboxFilter,
        cursor: tuple[datetime, int] | None,
        limit: int,
        backward: bool = False,
        refine: Refinement | None = None,
    ) -> InboxSlice:
        return await inbox_page(self._conn, member_id, filter, cursor, limit, backward, refine)

    async def unread_pages(self, member_ids: Sequence[int], limit: int) -> dict[int, InboxSlice]:
        return await unread_pages(self._conn, member_ids, limit)

    async def unread_summary(
        self, member_id: int, filter: InboxFilter = InboxFilter.UNREAD
    ) -> UnreadSummary:
        header = HEADERS[filter]
        join = " JOIN conversations c ON c.id = s.conversation_id" if "c." in header else ""
        cursor = await self._conn.execute(
            f"SELECT COALESCE(SUM(unread_count), 0), COUNT(*) FROM conversation_states s{join}"
            f" WHERE s.member_id = ? AND {header}",
            (member_id,),
        )
        row = await cursor.fetchone()
        assert row is not None
        return UnreadSummary(messages=row[0], people=row[1])

    async def count_quiet(self, member_id: int, before: datetime) -> int:
        cursor = await self._conn.execute(
            f"SELECT COUNT(*) FROM ({_QUIET}) AS quiet", {"m": member_id, "before": ts(before)}
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def archive_quiet(self, member_id: int, before: datetime) -> int:
        cursor = await self._conn.execute(
            "UPDATE conversation_states SET archived = 1"
            f" WHERE member_id = :m AND conversation_id IN ({_QUIET})",
            {"m": member_id, "before": ts(before)},
        )
        return cursor.rowcount

    async def set_recent_peers(self, pairs: Sequence[tuple[int, int]], now: datetime) -> None:
        if not pairs:
            return
        values = ", ".join("(?, ?, ?)" for _ in pairs)
        await self._conn.execute(
            f"INSERT INTO recent_peers (member_id, peer_id, at) VALUES {values}"
            " ON CONFLICT (member_id) DO UPDATE SET peer_id = excluded.peer_id, at = excluded.at",
            [v for member, peer in pairs for v in (member, peer, ts(now))],
        )

    async def recent_peer(self, member_id: int) -> int | None:
        cursor = await self._conn.execute(
            "SELECT peer_id FROM recent_peers WHERE member_id = ?", (member_id,)
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else None


_MESSAGE = f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM messages"


# The member's inbox conversations (`FILTERS[ALL]`: visible, not archived, not spam) with no
# activity since :before.
_QUIET = (
    "SELECT s.conversation_id FROM conversation_states s"
    " JOIN conversations c ON c.id = s.conversation_id"
    f" WHERE s.member_id = :m AND {FILTERS[InboxFilter.ALL]} AND s.last_activity_at < :before"
)


class SqlMessages(OutgoingRows):
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(
        self,
        conversation_id: int,
        sender_id: int,
        now: datetime,
        *,
        kind: MessageKind,
        text: str | None,
        subject: str | None = None,
        attachment: Attachment | None = None,
        reply_to_id: int | None = None,
        forwarded_from_id: int | None = None,
    ) -> Message:
        att_columns = ", ".join(f"att_{c}" for c in ATTACHMENT_COLUMNS)
        marks = ", ".join("?" * (8 + len(ATTACHMENT_COLUMNS)))
        cursor = await self._conn.execute(
            f"INSERT INTO messages (conversation_id, sender_id, kind, text, subject,"
            f" reply_to_id, forwarded_from_id, created_at, {att_columns})"
            f" VALUES ({marks}) RETURNING {', '.join(MESSAGE_COLUMNS)}",
            (
                conversation_id,
                sender_id,
                kind.value,
                text,
                subject,
                reply_to_id,
                forwarded_from_id,
                ts(now),
                *attachment_values(attachment),
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        return message_from_row(row)  # as stored, without reading it back

    async def get(self, message_id: int) -> Message | None:
        cursor = await self._conn.execute(f"{_MESSAGE} WHERE id = ?", (message_id,))
        row = await cursor.fetchone()
        return message_from_row(row) if row else None

    async def get_many(self, ids: Iterable[int]) -> dict[int, Message]:
        wanted = sorted(set(ids))
        found: dict[int, Message] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            cursor = await self._conn.execute(f"{_MESSAGE} WHERE id IN ({marks})", chunk)
            for row in await cursor.fetchall():
                found[row["id"]] = message_from_row(row)
        return found

    async def history(
        self, conversation_id: int, after_id: int, before_id: int | None, limit: int
    ) -> list[Message]:
        cursor = await self._conn.execute(
            f"{_MESSAGE} WHERE conversation_id = ? AND id > ? AND id < ? ORDER BY id DESC LIMIT ?",
            (conversation_id, after_id, before_id if before_id is not None else 2**62, limit),
        )
        newest_first = list(await cursor.fetchall())
        return [message_from_row(row) for row in reversed(newest_first)]

    async def count_from_other(self, conversation_id: int, member_id: int, after_id: int) -> int:
        cursor = await self._conn.execute(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND sender_id <> ? AND id > ?",
            (conversation_id, member_id, after_id),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def latest_from_other(
        self, conversation_id: int, member_id: int, after_id: int
    ) -> Message | None:
        cursor = await self._conn.execute(
            f"{_MESSAGE} WHERE conversation_id = ? AND sender_id <> ? AND id > ?"
            " ORDER BY id DESC LIMIT 1",
            (conversation_id, member_id, after_id),
        )
        row = await cursor.fetchone()
        return message_from_row(row) if row else None

    async def written_to(self, member_id: int, conversation_ids: Sequence[int]) -> set[int]:
        wanted = sorted(set(conversation_ids))
        if not wanted:
            return set()
        marks = ", ".join("?" * len(wanted))
        cursor = await self._conn.execute(
            f"SELECT DISTINCT conversation_id FROM messages WHERE conversation_id IN ({marks})"
            " AND sender_id <> ?",
            (*wanted, member_id),
        )
        return {row[0] for row in await cursor.fetchall()}

    async def search(
        self, member_id: int, terms: list[str], before_id: int | None, limit: int
    ) -> list[Message]:
        """The member's messages matching every term in the index of migration 0012
        (`Dialect.message_match`), after what they cleared."""
        if not terms:
            return []
        dialect = self._conn.dialect
        match = dialect.message_match(member_id, terms)
        columns = ", ".join(f"m.{c}" for c in MESSAGE_COLUMNS)
        cursor = await self._conn.execute(
            f"SELECT {columns} FROM {dialect.message_search_from}"
            " JOIN conversation_states s ON s.conversation_id = m.conversation_id"
            " AND s.member_id = ?"
            f" WHERE {dialect.message_search_where} AND m.id > s.cleared_through AND m.id < ?"
            " ORDER BY m.id DESC LIMIT ?",
            (member_id, match, before_id if before_id is not None else 2**62, limit),
        )
        return [message_from_row(row) for row in await cursor.fetchall()]

    async def previous_id(self, conversation_id: int, before_id: int) -> int:
        cursor = await self._conn.execute(
            "SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id = ? AND id < ?",
            (conversation_id, before_id),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def edit(self, message_id: int, text: str | None, now: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO message_edits (message_id, old_text, edited_at)"
            " SELECT id, text, ? FROM messages WHERE id = ?",
            (ts(now), message_id),
        )
        await self._conn.execute(
            "UPDATE messages SET text = ?, edited_at = ? WHERE id = ?", (text, ts(now), message_id)
        )

    async def edits(self, message_id: int) -> list[MessageEdit]:
        cursor = await self._conn.execute(
            "SELECT message_id, old_text, edited_at FROM message_edits WHERE message_id = ?"
            " ORDER BY id",
            (message_id,),
        )
        return [MessageEdit.model_validate(row_dict(row)) for row in await cursor.fetchall()]

    async def set_reaction(
        self, message_id: int, member_id: int, emoji: str, now: datetime
    ) -> None:
        await self._conn.execute(
            "INSERT INTO reactions (message_id, member_id, emoji, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (message_id, member_id) DO UPDATE SET emoji = excluded.emoji,"
            " created_at = excluded.created_at",
            (message_id, member_id, emoji, ts(now)),
        )

    async def remove_reaction(self, message_id: int, member_id: int) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM reactions WHERE message_id = ? AND member_id = ?", (message_id, member_id)
        )
        return cursor.rowcount > 0

    async def hold(
        self,
        member_id: int,
        peer_id: int,
        text: str | None,
        attachment: Attachment | None,
        origin: tuple[int, int] | None,
        now: datetime,
    ) -> int:
        cursor = await self._conn.execute(
            "INSERT INTO held_messages (member_id, peer_id, text, attachment, chat_id,"
            " telegram_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                member_id,
                peer_id,
                text,
                attachment.model_dump_json() if attachment is not None else None,
                origin[0] if origin else None,
                origin[1] if origin else None,
                ts(now),
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        await self._conn.execute(  # a member's older unsent ones beyond the last 20 go
            "DELETE FROM held_messages WHERE member_id = ? AND id <= (SELECT id FROM"
            " held_messages WHERE member_id = ? ORDER BY id DESC LIMIT 1 OFFSET 20)",
            (member_id, member_id),
        )
        return int(row[0])

    async def take_held(self, held_id: int, member_id: int) -> HeldMessage | None:
        cursor = await self._conn.execute(
            "DELETE FROM held_messages WHERE id = ? AND member_id = ?"
            " RETURNING id, member_id, peer_id, text, attachment, chat_id, telegram_message_id",
            (held_id, member_id),
        )
        row = await cursor.fetchone()
        if row is None:
            return None
        return HeldMessage(
            id=row[0],
            member_id=row[1],
            peer_id=row[2],
            text=row[3],
            attachment=Attachment.model_validate_json(row[4]) if row[4] else None,
            origin=(row[5], row[6]) if row[5] is not None else None,
        )

    async def reactions(self, message_id: int) -> list[Reaction]:
        cursor = await self._conn.execute(
            "SELECT message_id, member_id, emoji, created_at FROM reactions WHERE message_id = ?"
            " ORDER BY created_at",
            (message_id,),
        )
        return [Reaction.model_validate(row_dict(row)) for row in await cursor.fetchall()]


class SqlCopies:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(self, copy: ChatCopy) -> None:
        """Telegram reuses a chat's message ids only once the chat started over (a new token,
        a restarted local server): the newest message is the one the member sees."""
        await self._conn.execute(
            "INSERT INTO chat_copies (message_id, member_id, chat_id, telegram_message_id,"
            " is_original) VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, telegram_message_id)"
            " DO UPDATE SET message_id = excluded.message_id, member_id = excluded.member_id,"
            " is_original = excluded.is_original",
            (
                copy.message_id,
                copy.member_id,
                copy.chat_id,
                copy.telegram_message_id,
                int(copy.is_original),
            ),
        )

    async def remove(self, chat_id: int, telegram_message_id: int) -> None:
        await self._conn.execute(
            "DELETE FROM chat_copies WHERE chat_id = ? AND telegram_message_id = ?",
            (chat_id, telegram_message_id),
        )

    async def by_telegram(self, chat_id: int, telegram_message_id: int) -> ChatCopy | None:
        cursor = await self._conn.execute(
            "SELECT message_id, member_id, chat_id, telegram_message_id, is_original"
            " FROM chat_copies WHERE chat_id = ? AND telegram_message_id = ?",
            (chat_id, telegram_message_id),
        )
        row = await cursor.fetchone()
        return ChatCopy.model_validate(row_dict(row)) if row else None

    async def of_message(self, message_id: int, member_id: int) -> list[ChatCopy]:
        cursor = await self._conn.execute(
            "SELECT message_id, member_id, chat_id, telegram_message_id, is_original"
            " FROM chat_copies WHERE message_id = ? AND member_id = ? ORDER BY telegram_message_id",
            (message_id, member_id),
        )
        return [ChatCopy.model_validate(row_dict(row)) for row in await cursor.fetchall()]
