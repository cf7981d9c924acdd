"""InMails, the credit ledger and spam reports on SQLite."""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import InMail, LedgerEntry, LedgerKind, SpamReport
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.rows import row_dict, ts

INMAIL_COLUMNS = (
    "id",
    "sender_id",
    "recipient_id",
    "conversation_id",
    "message_id",
    "subject",
    "status",
    "sent_at",
    "responded_at",
    "refund_state",
    "refund_deadline",
    "sponsored",
)
_INMAIL = f"SELECT {', '.join(INMAIL_COLUMNS)} FROM inmails"


def _inmail(row: Row) -> InMail:
    return InMail.model_validate(row_dict(row))


class SqlInMails:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(
        self,
        sender_id: int,
        recipient_id: int,
        conversation_id: int,
        message_id: int,
        subject: str,
        now: datetime,
        refund_deadline: datetime,
        sponsored: bool = False,
    ) -> InMail:
        cursor = await self._conn.execute(
            "INSERT INTO inmails (sender_id, recipient_id, conversation_id, message_id, subject,"
            " sent_at, refund_deadline, sponsored) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                sender_id,
                recipient_id,
                conversation_id,
                message_id,
                subject,
                ts(now),
                ts(refund_deadline),
                int(sponsored),
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        inmail = await self.get(row[0])
        assert inmail is not None
        return inmail

    async def get(self, inmail_id: int) -> InMail | None:
        cursor = await self._conn.execute(f"{_INMAIL} WHERE id = ?", (inmail_id,))
        row = await cursor.fetchone()
        return _inmail(row) if row else None

    async def save(self, inmail: InMail) -> None:
        await self._conn.execute(
            "UPDATE inmails SET status = ?, responded_at = ?, refund_state = ? WHERE id = ?",
            (
                inmail.status.value,
                ts(inmail.responded_at) if inmail.responded_at else None,
                inmail.refund_state.value,
                inmail.id,
            ),
        )

    async def pending_refunds(self, sender_id: int) -> list[InMail]:
        cursor = await self._conn.execute(
            f"{_INMAIL} WHERE sender_id = ? AND refund_state = 'pending' ORDER BY id",
            (sender_id,),
        )
        return [_inmail(row) for row in await cursor.fetchall()]

    async def due_unanswered(self, now: datetime, limit: int) -> list[InMail]:
        cursor = await self._conn.execute(
            f"{_INMAIL} WHERE refund_state = 'pending' AND status = 'sent'"
            " AND refund_deadline <= ? ORDER BY refund_deadline, id LIMIT ?",
            (ts(now), limit),
        )
        return [_inmail(row) for row in await cursor.fetchall()]

    async def open_in_conversation(self, conversation_id: int, recipient_id: int) -> InMail | None:
        cursor = await self._conn.execute(
            f"{_INMAIL} WHERE conversation_id = ? AND recipient_id = ? AND status = 'sent'"
            " ORDER BY id DESC LIMIT 1",
            (conversation_id, recipient_id),
        )
        row = await cursor.fetchone()
        return _inmail(row) if row else None

    async def latest_in_conversation(self, conversation_id: int) -> InMail | None:
        cursor = await self._conn.execute(
            f"{_INMAIL} WHERE conversation_id = ? ORDER BY id DESC LIMIT 1", (conversation_id,)
        )
        row = await cursor.fetchone()
        return _inmail(row) if row else None


class SqlLedger:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(
        self,
        member_id: int,
        kind: LedgerKind,
        delta: int,
        balance_after: int,
        reason: str,
        now: datetime,
        inmail_id: int | None = None,
    ) -> LedgerEntry:
        cursor = await self._conn.execute(
            "INSERT INTO credit_ledger (member_id, kind, delta, balance_after, reason, inmail_id,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id, member_id, kind, delta, balance_after, reason, inmail_id, created_at",
            (member_id, kind.value, delta, balance_after, reason, inmail_id, ts(now)),
        )
        row = await cursor.fetchone()
        assert row is not None
        return LedgerEntry.model_validate(row_dict(row))

    async def recent(self, member_id: int, limit: int) -> list[LedgerEntry]:
        cursor = await self._conn.execute(
            "SELECT id, member_id, kind, delta, balance_after, reason, inmail_id, created_at"
            " FROM credit_ledger WHERE member_id = ? ORDER BY id DESC LIMIT ?",
            (member_id, limit),
        )
        return [LedgerEntry.model_validate(row_dict(row)) for row in await cursor.fetchall()]

    async def balance_sum(self, member_id: int) -> int:
        cursor = await self._conn.execute(
            "SELECT COALESCE(SUM(delta), 0) FROM credit_ledger WHERE member_id = ?", (member_id,)
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


_REPORT = (
    "SELECT id, reporter_id, reported_id, conversation_id, created_at, reviewed FROM spam_reports"
)


class SqlSpam:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(
        self, reporter_id: int, reported_id: int, conversation_id: int, now: datetime
    ) -> SpamReport:
        cursor = await self._conn.execute(
            "INSERT INTO spam_reports (reporter_id, reported_id, conversation_id, created_at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (reporter_id, reported_id, conversation_id, ts(now)),
        )
        row = await cursor.fetchone()
        assert row is not None
        found = await self._conn.execute(f"{_REPORT} WHERE id = ?", (row[0],))
        report = await found.fetchone()
        assert report is not None
        return SpamReport.model_validate(row_dict(report))

    async def list(self, unreviewed_only: bool, limit: int) -> list[SpamReport]:
        where = " WHERE reviewed = 0" if unreviewed_only else ""
        cursor = await self._conn.execute(f"{_REPORT}{where} ORDER BY id DESC LIMIT ?", (limit,))
        return [SpamReport.model_validate(row_dict(row)) for row in await cursor.fetchall()]

    async def mark_reviewed(self, report_id: int) -> bool:
        cursor = await self._conn.execute(
            "UPDATE spam_reports SET reviewed = 1 WHERE id = ? AND reviewed = 0", (report_id,)
        )
        return cursor.rowcount > 0
