"""The bulk port: synthetic data (seeding, benchmarks) written in big batches, instead of one
use case per row.

Why a separate path: the core's use cases do several round trips per row (read state, write
state, outbox...), which is right for one member's action and hopeless for five million
connections. A `BulkWriter` writes exactly the rows the core would have written; keeping the
derived counters true is the caller's job (`bridge.seed.inbox` applies the core's own
counter rules, `bridge.core.counters`). Rows are typed here, with datetimes and booleans:
how a backend stores them (text timestamps, the search text) is the adapter's business
(`bridge.storage.sqlite.bulk`).

Nothing here runs while the bot serves members: a backend may relax durability during a
`session` (SQLite turns fsync off), which is only acceptable for data one can regenerate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Literal, NamedTuple, Protocol

from bridge.core.models import InMailStatus, LedgerKind, MessageKind, RefundState

Progress = Callable[[int], None]  # called with how many rows just went in

# The tables whose next id a seeder assigns itself (ids follow time, as in a live database).
Table = Literal["members", "conversations", "messages", "inmails", "invitations"]


class MemberRow(NamedTuple):
    """A member with a profile, as registration and /edit would leave them."""

    id: int
    telegram_id: int
    handle: str
    first_name: str
    last_name: str
    language: str
    headline: str
    company: str
    location: str
    industry: str
    about: str
    reachable: bool
    plan_started_at: datetime
    created_at: datetime


class ConnectionRow(NamedTuple):
    member_a: int  # the smaller id
    member_b: int
    created_at: datetime


class ConversationRow(NamedTuple):
    id: int
    member_a: int
    member_b: int
    created_at: datetime
    last_message_id: int
    last_activity_at: datetime
    invitation_id: int | None
    inmail_id: int | None


class StateRow(NamedTuple):
    """One member's side of a conversation (`ConversationState`)."""

    conversation_id: int
    member_id: int
    unread_count: int
    last_read_message_id: int
    archived: bool
    deleted: bool
    cleared_through: int
    spam: bool
    inmail: bool
    last_activity_at: datetime


class MessageRow(NamedTuple):
    id: int
    conversation_id: int
    sender_id: int
    kind: MessageKind
    text: str | None
    subject: str | None
    created_at: datetime


class InMailRow(NamedTuple):
    id: int
    sender_id: int
    recipient_id: int
    conversation_id: int
    message_id: int
    subject: str
    status: InMailStatus
    sent_at: datetime
    responded_at: datetime | None
    refund_state: RefundState
    refund_deadline: datetime
    sponsored: bool


class LedgerRow(NamedTuple):
    member_id: int
    kind: LedgerKind
    delta: int
    balance_after: int
    reason: str
    inmail_id: int | None
    created_at: datetime


class SpamReportRow(NamedTuple):
    reporter_id: int
    reported_id: int
    conversation_id: int
    created_at: datetime


class BulkWriter(Protocol):
    """Batches of rows, each call one transaction; `Store.bulk()` hands one out."""

    def session(self) -> AbstractAsyncContextManager[None]:
        """Around a whole load: the backend may trade durability for speed meanwhile."""
        ...

    async def next_id(self, table: Table) -> int:
        """The id the next row of `table` gets (ids of deleted rows are never reused)."""
        ...

    async def add_members(
        self, rows: Iterable[MemberRow], progress: Progress | None = None
    ) -> int: ...

    async def add_connections(
        self, rows: Iterable[ConnectionRow], progress: Progress | None = None
    ) -> int:
        """Returns how many were new (an existing connection is left as it is)."""
        ...

    async def add_conversations(self, rows: Iterable[ConversationRow]) -> int: ...
    async def add_states(self, rows: Iterable[StateRow]) -> int: ...
    async def add_messages(
        self, rows: Iterable[MessageRow], progress: Progress | None = None
    ) -> int: ...
    async def add_inmails(self, rows: Iterable[InMailRow]) -> int: ...
    async def add_ledger(self, rows: Iterable[LedgerRow]) -> int: ...
    async def add_spam_reports(self, rows: Iterable[SpamReportRow]) -> int: ...

    async def set_credits(self, balances: Iterable[tuple[int, int]]) -> int:
        """(member id, credits) pairs: the balances the ledger rows end on."""
        ...

    async def existing_handles(self, handles: Sequence[str]) -> set[str]:
        """Which of these handles are taken already (seeding next to real members)."""
        ...

    async def languages(self, member_ids: Sequence[int]) -> dict[int, str]: ...
