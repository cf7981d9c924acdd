"""Members and blocks on SQLite."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime

from bridge.core.models import Member, NewMember, SenderRecord
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.rows import row_dict, ts

MEMBER_COLUMNS = (
    "id",
    "telegram_id",
    "handle",
    "first_name",
    "last_name",
    "username",
    "language",
    "headline",
    "company",
    "location",
    "industry",
    "about",
    "invite_policy",
    "inmail_opt_out",
    "plan",
    "credits",
    "plan_started_at",
    "renewals_done",
    "reachable",
    "created_at",
    "current_peer_id",
    "notify_mode",
    "quiet_start",
    "quiet_end",
    "timezone",
    "digest_at",
    "last_digest_on",
    "awaiting",
    "auto_reply_on",
    "auto_reply",
    "require_note",
    "left_at",
    "undo_seconds",
    "private_browsing",
)
_SELECT = f"SELECT {', '.join(MEMBER_COLUMNS)} FROM members"
# `credits` changes only by increments (`add_credits`), never written back from a read.
_MUTABLE = [c for c in MEMBER_COLUMNS if c not in ("id", "telegram_id", "created_at", "credits")]


def search_text(member: Member) -> str:
    """What `/find` matches against: indexed by `members_search` (migration 0006), which
    folds case and accents and matches word prefixes."""
    return search_words(
        member.first_name,
        member.last_name,
        member.handle,
        member.headline,
        member.company,
        member.location,
        member.industry,
    )


def search_words(*parts: str) -> str:
    """`search_text` from its parts in that order (the bulk path has rows, not members),
    accents folded here as `bridge.core.search.fold` folds the terms: SQLite's index folds
    them again, PostgreSQL's needs them folded (no `unaccent` extension to install)."""
    decomposed = unicodedata.normalize("NFKD", " ".join(p for p in parts if p))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def member_from_row(row: Row) -> Member:
    return Member.model_validate(row_dict(row))


def member_from_columns(row: Row, prefix: str = "") -> Member:
    """The member in a row that holds other columns too (theirs named `prefix` + column)."""
    return Member.model_validate({c: row[prefix + c] for c in MEMBER_COLUMNS})


_member = member_from_row


class SqlMembers:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(self, new: NewMember, handle: str, now: datetime) -> Member:
        cursor = await self._conn.execute(
            "INSERT INTO members (telegram_id, handle, first_name, last_name, username, language,"
            " plan_started_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                new.telegram_id,
                handle,
                new.first_name,
                new.last_name,
                new.username,
                new.language,
                ts(now),
                ts(now),
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        member = await self.get(row[0])
        assert member is not None
        await self._conn.execute(
            "UPDATE members SET search_text = ? WHERE id = ?", (search_text(member), member.id)
        )
        return member

    async def get(self, member_id: int) -> Member | None:
        cursor = await self._conn.execute(f"{_SELECT} WHERE id = ?", (member_id,))
        row = await cursor.fetchone()
        return _member(row) if row else None

    async def get_many(self, ids: Iterable[int]) -> dict[int, Member]:
        wanted = sorted(set(ids))
        found: dict[int, Member] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            cursor = await self._conn.execute(f"{_SELECT} WHERE id IN ({marks})", chunk)
            for row in await cursor.fetchall():
                found[row["id"]] = _member(row)
        return found

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        cursor = await self._conn.execute(f"{_SELECT} WHERE telegram_id = ?", (telegram_id,))
        row = await cursor.fetchone()
        return _member(row) if row else None

    async def by_handle(self, handle: str) -> Member | None:
        cursor = await self._conn.execute(f"{_SELECT} WHERE handle = ?", (handle.lower(),))
        row = await cursor.fetchone()
        return _member(row) if row else None

    async def erase(self, member_id: int, now: datetime) -> None:
        # A negative Telegram id frees the real one (a later /start makes a new member)
        # and stays unique; the handle cannot be typed back (`handles.chosen_handle`).
        await self._conn.execute(
            "UPDATE members SET telegram_id = -id, handle = 'former__' || id, first_name = '',"
            " last_name = '', username = NULL, headline = '', company = '', location = '',"
            " industry = '', about = '', search_text = '', awaiting = NULL,"
            " current_peer_id = NULL, digest_at = NULL, quiet_start = NULL, quiet_end = NULL,"
            " left_at = ? WHERE id = ?",
            (ts(now), member_id),
        )
        # Messages still in an undo window, from or to them: never posted now.
        await self._conn.execute(
            "DELETE FROM outgoing WHERE sender_id = ? OR target_id = ?", (member_id, member_id)
        )

    async def sender_record(self, sender_id: int, since: datetime) -> SenderRecord:
        cursor = await self._conn.execute(
            "SELECT"
            " (SELECT COUNT(*) FROM invitations WHERE sender_id = :s AND created_at >= :since),"
            " (SELECT COUNT(*) FROM invitations WHERE sender_id = :s AND created_at >= :since"
            "  AND status = 'accepted'),"
            " (SELECT COUNT(*) FROM inmails WHERE sender_id = :s AND sent_at >= :since),"
            " (SELECT COUNT(*) FROM inmails WHERE sender_id = :s AND sent_at >= :since"
            "  AND status <> 'sent'),"
            " (SELECT COUNT(*) FROM spam_reports WHERE reported_id = :s AND created_at >= :since)",
            {"s": sender_id, "since": ts(since)},
        )
        row = await cursor.fetchone()
        assert row is not None
        return SenderRecord(
            invitations=row[0],
            accepted=row[1],
            inmails=row[2],
            answered_inmails=row[3],
            spam_reports=row[4],
        )

    async def with_handle_prefix(self, prefix: str) -> list[Member]:
        cursor = await self._conn.execute(
            f"{_SELECT} WHERE substr(handle, 1, ?) = ? ORDER BY id", (len(prefix), prefix)
        )
        return [_member(row) for row in await cursor.fetchall()]

    async def save(self, member: Member) -> None:
        data = member.model_dump(mode="json")
        assignments = ", ".join(f"{c} = ?" for c in _MUTABLE)
        values = [data[c] for c in _MUTABLE]
        await self._conn.execute(
            f"UPDATE members SET {assignments}, search_text = ? WHERE id = ?",
            (*values, search_text(member), member.id),
        )

    async def add_credits(self, member_id: int, delta: int) -> int | None:
        cursor = await self._conn.execute(
            "UPDATE members SET credits = credits + ? WHERE id = ? AND credits + ? >= 0"
            " RETURNING credits",
            (delta, member_id, delta),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def with_digest_time(self, after_id: int, limit: int) -> list[Member]:
        cursor = await self._conn.execute(
            f"{_SELECT} WHERE digest_at IS NOT NULL AND id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        return [_member(row) for row in await cursor.fetchall()]

    async def claim_digest(self, member_id: int, day: str) -> bool:
        # A concurrent claim of the same row waits for this one, then finds it taken.
        cursor = await self._conn.execute(
            "UPDATE members SET last_digest_on = ? WHERE id = ?"
            " AND (last_digest_on IS NULL OR last_digest_on <> ?) RETURNING id",
            (day, member_id, day),
        )
        return await cursor.fetchone() is not None

    async def search(self, terms: list[str], limit: int) -> list[Member]:
        """Members whose search text has a word starting with each term (the terms come
        folded and cleaned from the core; quoted here so none is read as FTS5 syntax)."""
        if not terms:
            return []
        dialect = self._conn.dialect
        columns = ", ".join(f"m.{c}" for c in MEMBER_COLUMNS)
        cursor = await self._conn.execute(
            f"SELECT {columns} FROM {dialect.search_from}"
            f" WHERE {dialect.search_where} ORDER BY m.id LIMIT ?",
            (dialect.match(terms), limit),
        )
        return [_member(row) for row in await cursor.fetchall()]

    async def save_search(self, member_id: int, query: str, now: datetime, keep: int = 20) -> int:
        """Keep a /find's words for its result pages; a member's oldest beyond `keep` go."""
        cursor = await self._conn.execute(
            "INSERT INTO searches (member_id, query, created_at) VALUES (?, ?, ?) RETURNING id",
            (member_id, query, ts(now)),
        )
        row = await cursor.fetchone()
        assert row is not None
        await self._conn.execute(
            "DELETE FROM searches WHERE member_id = ? AND id <= (SELECT id FROM searches"
            " WHERE member_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (member_id, member_id, keep),
        )
        return int(row[0])

    async def saved_search(self, search_id: int, member_id: int) -> str | None:
        cursor = await self._conn.execute(
            "SELECT query FROM searches WHERE id = ? AND member_id = ?", (search_id, member_id)
        )
        row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def count(self) -> int:
        cursor = await self._conn.execute("SELECT COUNT(*) FROM members")
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


class SqlBlocks:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(self, blocker_id: int, blocked_id: int, now: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (blocker_id, blocked_id, ts(now)),
        )

    async def remove(self, blocker_id: int, blocked_id: int) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", (blocker_id, blocked_id)
        )
        return cursor.rowcount > 0

    async def exists(self, blocker_id: int, blocked_id: int) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?",
            (blocker_id, blocked_id),
        )
        return await cursor.fetchone() is not None

    async def related(self, member_id: int) -> set[int]:
        cursor = await self._conn.execute(
            "SELECT blocked_id FROM blocks WHERE blocker_id = ?"
            " UNION SELECT blocker_id FROM blocks WHERE blocked_id = ?",
            (member_id, member_id),
        )
        return {row[0] for row in await cursor.fetchall()}
