"""The storage port: what the core needs from a database, as async repository protocols.

One `UnitOfWork` is one transaction; every multi-row change of a use case happens inside a
single `async with store.transaction() as tx:` and commits once at its end (or not at all).
"""

from __future__ import annotations

from array import array
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, NamedTuple, Protocol, runtime_checkable

from bridge.core.inbox_filters import Refinement
from bridge.core.models import (
    Attachment,
    Authored,
    Campaign,
    CampaignCounts,
    CampaignLead,
    CampaignStatus,
    CampaignStep,
    ChatCopy,
    Conversation,
    ConversationState,
    InboxFilter,
    InMail,
    Introduction,
    IntroductionStatus,
    Invitation,
    InvitationStatus,
    LastMessage,
    LedgerEntry,
    LedgerKind,
    LineMember,
    Member,
    Message,
    MessageEdit,
    MessageKind,
    MessageTemplate,
    NewMember,
    Notification,
    NotificationKind,
    NotificationStatus,
    Outgoing,
    Reaction,
    Reminder,
    SavedSearch,
    SenderRecord,
    SpamReport,
    StarPayment,
    Tag,
    TagCount,
    UnreadSummary,
)
from bridge.storage.bulk import BulkWriter


class UnreadableUpdate(NamedTuple):
    """An update skipped because the Telegram library could not read it, kept as received."""

    update_id: int
    payload: str  # the update's JSON
    error: str
    received_at: datetime


class InboxRow(NamedTuple):
    """One line of an inbox page: only what the line shows (lean, built straight from a row)."""

    conversation_id: int
    last_activity_at: datetime  # the conversation's (what the line shows)
    unread_count: int
    position: datetime  # the member's side's last activity: the page's order and cursors
    other: LineMember  # unmasked: the core masks it by degree
    last_message: LastMessage | None  # None when cleared for this member
    invitation: Authored | None  # the conversation's invitation while it awaits an answer
    # (pending; or declined, to its sender, who is never told: see invitation_status.seen_status)
    inmail: Authored | None
    wrote: bool  # the other member wrote in it (ever): they contacted the member


class HeldMessage(NamedTuple):
    """A message sent with no conversation open, kept for its "Send to …" button."""

    id: int
    member_id: int
    peer_id: int
    text: str | None
    attachment: Attachment | None
    origin: tuple[int, int] | None  # the member's own Telegram message (chat, message id)


class Arrival(NamedTuple):
    """What an update's arrival reads, in one statement (`UpdateRepo.arrival`): whether it
    was handled already, its sender as a member, and whether something is held for them."""

    seen: bool
    member: Member | None
    waiting: bool  # held for them, or pending for their quiet hours (`OutboxRepo.waiting`)


class Route(NamedTuple):
    """What deciding whether `actor` may write to `target` reads, in one statement
    (`ConversationRepo.route`): their conversation, their connection, the InMail the actor
    would answer there, and the blocks between them either way."""

    conversation: Conversation | None
    connected: bool
    open_inmail_id: int | None  # the latest InMail sent to the actor there, still unanswered
    you_blocked: bool  # the actor blocked the target
    they_blocked: bool  # the target blocked the actor


class MessageRows(NamedTuple):
    """What planning a message's notification reads, in one statement
    (`OutboxRepo.message_rows`): the recipient, the message with its conversation, the
    recipient's side of it and its sender (None when gone), and the outbox's two checks."""

    recipient: Member | None
    earlier_waiting: bool  # `OutboxRepo.earlier_waiting`
    message: Message | None
    conversation: Conversation | None
    state: ConversationState | None  # the recipient's, when they are in the conversation
    sender: Member | None
    recent_push: bool  # `OutboxRepo.recent_push` from the notification's sender


class InboxSlice(NamedTuple):
    """Rows of one inbox page (up to the limit asked) and the member's header counts."""

    rows: list[InboxRow]
    summary: UnreadSummary  # unread messages and distinct people
    invitations: int  # pending invitations received
    inmails: int  # conversations opened by an InMail with unread messages
    matching: int | None = None  # with a smart filter: how many conversations it matches
    sales: UnreadSummary | None = None  # digests: the sales mailbox's unread, apart
    tag: Tag | None = None  # a smart filter's tag, when it is the member's own


class MemberRepo(Protocol):
    async def add(self, new: NewMember, handle: str, now: datetime) -> Member: ...
    async def get(self, member_id: int) -> Member | None: ...
    async def get_many(self, ids: Iterable[int]) -> dict[int, Member]: ...
    async def by_telegram_id(self, telegram_id: int) -> Member | None: ...
    async def by_handle(self, handle: str) -> Member | None: ...
    async def erase(self, member_id: int, now: datetime) -> None:
        """/delete_account: blank the member's profile and identity (names, handle, Telegram
        id and username, profile fields, search text, settings) and set `left_at`; the row
        stays for the messages other members' threads keep. Messages held in an undo window
        from or to them are dropped."""
        ...

    async def sender_record(self, sender_id: int, since: datetime) -> SenderRecord:
        """Their invitations and InMails sent since `since`, how many were accepted or
        answered, and the spam reports against them since then: one aggregate query."""
        ...

    async def with_handle_prefix(self, prefix: str) -> list[Member]:
        """Members whose handle starts with `prefix` (the placeholders to settle)."""
        ...

    async def save(self, member: Member) -> None:
        """Every field but `credits`, which only `add_credits` changes."""
        ...

    async def add_credits(self, member_id: int, delta: int) -> int | None:
        """Change the balance by `delta` in one SQL increment (two workers spending at once
        both count): the new balance, or None — nothing changed — when it would go below
        zero or there is no such member."""
        ...

    async def search(self, terms: list[str], limit: int) -> list[Member]: ...
    async def save_search(self, member_id: int, query: str, now: datetime) -> int: ...
    async def saved_search(self, search_id: int, member_id: int) -> str | None: ...
    async def count(self) -> int: ...
    async def with_digest_time(self, after_id: int, limit: int) -> list[Member]:
        """Members who chose a digest time, by id, after `after_id` (paging)."""
        ...

    async def claim_digest(self, member_id: int, day: str) -> bool:
        """Mark the member's digest of `day` (their local date) as owed, unless it already
        is: True for the one caller that owes it, whichever worker's tick came first."""
        ...


class BlockRepo(Protocol):
    async def add(self, blocker_id: int, blocked_id: int, now: datetime) -> None: ...
    async def remove(self, blocker_id: int, blocked_id: int) -> bool: ...
    async def exists(self, blocker_id: int, blocked_id: int) -> bool: ...
    async def related(self, member_id: int) -> set[int]:
        """Members blocked by, or blocking, this member."""
        ...


class ConnectionRepo(Protocol):
    async def add(self, a: int, b: int, now: datetime) -> None: ...
    async def remove(self, a: int, b: int) -> bool: ...
    async def exists(self, a: int, b: int) -> bool: ...
    async def list(self, member_id: int, offset: int, limit: int) -> list[int]: ...
    async def count(self, member_id: int) -> int: ...
    def all_edges(self) -> AsyncIterator[tuple[int, int]]: ...


class GraphSnapshot(NamedTuple):
    """The connection graph index as CSR arrays (`GraphIndex.to_csr`: offsets 'q',
    neighbours 'i') and the position in the connections' change log it includes."""

    generation: int
    offsets: array[int]
    neighbours: array[int]


class ConnectionChange(NamedTuple):
    member_a: int
    member_b: int
    added: bool  # False: removed


class GraphSnapshotRepo(Protocol):
    """The saved graph index, checked against the connections' change log (the connections
    stay the source of truth: a snapshot is only ever a shortcut to them)."""

    async def generation(self) -> int | None:
        """The log position of the latest change to connections; None when changes are not
        being logged (then no snapshot can be trusted, nor should one be saved)."""
        ...

    async def load(self) -> GraphSnapshot | None:
        """The saved snapshot; None when there is none or its bytes fail their checks."""
        ...

    async def changes(self, after: int, upto: int) -> list[ConnectionChange] | None:
        """Every change with a position in (after, upto], in order; None when the log no
        longer holds them all."""
        ...

    async def save(self, snapshot: GraphSnapshot) -> None:
        """Replace the saved snapshot, and forget the logged changes it includes."""
        ...


class InvitationRepo(Protocol):
    async def add(
        self,
        sender_id: int,
        recipient_id: int,
        note: str | None,
        conversation_id: int,
        now: datetime,
    ) -> Invitation: ...
    async def get(self, invitation_id: int) -> Invitation | None: ...
    async def pending(self, sender_id: int, recipient_id: int) -> Invitation | None: ...
    async def set_status(
        self, invitation_id: int, status: InvitationStatus, now: datetime
    ) -> None: ...
    async def received(self, member_id: int, status: InvitationStatus) -> list[Invitation]: ...
    async def expire(self, before: datetime, now: datetime, limit: int) -> list[Invitation]:
        """Up to `limit` pending invitations sent before `before` become expired (at
        `now`), in one statement; returns them as they now are."""
        ...

    async def expired_since(self, member_ids: Sequence[int], since: datetime) -> dict[int, int]:
        """How many of each sender's invitations expired after `since` (those with any)."""
        ...

    async def sent(self, member_id: int, status: InvitationStatus) -> list[Invitation]: ...
    async def sent_since(self, member_id: int, since: datetime) -> list[datetime]: ...
    async def last_closed(self, sender_id: int, recipient_id: int) -> Invitation | None: ...
    async def add_copy(
        self, invitation_id: int, member_id: int, chat_id: int, telegram_message_id: int
    ) -> None:
        """A chat message showing this invitation (with its buttons) to `member_id`."""
        ...

    async def copies(self, invitation_id: int, member_id: int) -> list[tuple[int, int]]:
        """(chat id, Telegram message id) of every message showing it to `member_id`."""
        ...


class ConversationRepo(Protocol):
    async def get(self, conversation_id: int) -> Conversation | None: ...
    async def between(self, a: int, b: int) -> Conversation | None: ...
    async def route(self, actor_id: int, target_id: int) -> Route: ...
    async def create(self, a: int, b: int, now: datetime) -> Conversation: ...
    async def save(self, conversation: Conversation) -> None: ...
    async def state(self, conversation_id: int, member_id: int) -> ConversationState: ...
    async def states(self, conversation_id: int) -> dict[int, ConversationState]:
        """Both members' states, by member id."""
        ...

    async def save_state(self, state: ConversationState, unread_delta: int = 0) -> None:
        """Write one member's side. With `unread_delta`, the unread count is not written
        back from what was read but changed in SQL (`unread_count + delta`: what another
        transaction counted meanwhile counts too), and `state.unread_count` becomes the
        stored value."""
        ...

    async def inbox(
        self,
        member_id: int,
        filter: InboxFilter,
        cursor: tuple[datetime, int] | None,
        limit: int,
    ) -> list[tuple[Conversation, ConversationState]]: ...
    async def inbox_page(
        self,
        member_id: int,
        filter: InboxFilter,
        cursor: tuple[datetime, int] | None,
        limit: int,
        backward: bool = False,
        refine: Refinement | None = None,
    ) -> InboxSlice:
        """A whole inbox page and its header at once (one statement on SQL stores); with
        `backward`, the rows just before the cursor (a previous page), newest first too.
        With `refine` (a smart filter), only the conversations it matches, and the header
        counts them (`InboxSlice.matching`) and the unread among them."""
        ...

    async def unread_pages(self, member_ids: Sequence[int], limit: int) -> dict[int, InboxSlice]:
        """The first unread page and header of each member, for many digests at once;
        members with nothing unread and no pending invitation may be left out."""
        ...

    async def unread_summary(
        self, member_id: int, filter: InboxFilter = InboxFilter.UNREAD
    ) -> UnreadSummary:
        """Unread messages and people among what `filter` shows (its page's header)."""
        ...

    async def count_quiet(self, member_id: int, before: datetime) -> int:
        """The member's inbox conversations (not archived, spam or deleted, a message
        showing) with nothing new since `before`."""
        ...

    async def archive_quiet(self, member_id: int, before: datetime) -> int:
        """Archive those (`count_quiet`'s), in one statement; returns how many."""
        ...

    async def set_recent_peers(self, pairs: Sequence[tuple[int, int]], now: datetime) -> None:
        """(member, peer): the conversation each member last read, answered or acted in."""
        ...

    async def recent_peer(self, member_id: int) -> int | None: ...


class MessageRepo(Protocol):
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
    ) -> Message: ...
    async def get(self, message_id: int) -> Message | None: ...
    async def get_many(self, ids: Iterable[int]) -> dict[int, Message]: ...
    async def history(
        self, conversation_id: int, after_id: int, before_id: int | None, limit: int
    ) -> list[Message]:
        """Messages with after_id < id < before_id, the newest `limit`, oldest first."""
        ...

    async def count_from_other(self, conversation_id: int, member_id: int, after_id: int) -> int:
        """Messages not sent by `member_id` with id > after_id: a recount of unread."""
        ...

    async def latest_from_other(
        self, conversation_id: int, member_id: int, after_id: int
    ) -> Message | None: ...
    async def previous_id(self, conversation_id: int, before_id: int) -> int: ...
    async def written_to(self, member_id: int, conversation_ids: Sequence[int]) -> set[int]:
        """Those of these conversations in which someone else wrote to `member_id`."""
        ...

    async def search(
        self, member_id: int, terms: list[str], before_id: int | None, limit: int
    ) -> list[Message]:
        """/search: messages of `member_id`'s conversations they still have (past their
        `cleared_through`) whose text, InMail subject or file name has a word starting with
        each term, newest first, ids below `before_id`. Full-text: FTS5 on SQLite, a
        tsvector index on PostgreSQL (the terms come folded and cleaned from the core)."""
        ...

    async def queue(
        self,
        sender_id: int,
        target_id: int,
        text: str | None,
        attachment: Attachment | None,
        reply_to_id: int | None,
        origin: tuple[int, int] | None,
        due_at: datetime,
        now: datetime,
    ) -> Outgoing:
        """A message held in its sender's undo window (`Outgoing`)."""
        ...

    async def set_confirmation(self, outgoing_id: int, chat_id: int, message_id: int) -> None:
        """Where the bot's "Sending… Undo" message for it is."""
        ...

    async def take_outgoing(
        self, outgoing_id: int, sender_id: int | None = None
    ) -> Outgoing | None:
        """Delete and return it (only the sender's, when `sender_id` is given): whoever takes
        it — the release or Undo — is the only one to."""
        ...

    async def due_outgoing(self, now: datetime, limit: int) -> list[Outgoing]: ...
    async def edit(self, message_id: int, text: str | None, now: datetime) -> None: ...
    async def edits(self, message_id: int) -> list[MessageEdit]: ...
    async def set_reaction(
        self, message_id: int, member_id: int, emoji: str, now: datetime
    ) -> None: ...
    async def remove_reaction(self, message_id: int, member_id: int) -> bool: ...
    async def reactions(self, message_id: int) -> list[Reaction]: ...
    async def hold(
        self,
        member_id: int,
        peer_id: int,
        text: str | None,
        attachment: Attachment | None,
        origin: tuple[int, int] | None,
        now: datetime,
    ) -> int: ...
    async def take_held(self, held_id: int, member_id: int) -> HeldMessage | None:
        """Remove and return one of the member's held messages (None: gone, or not theirs)."""
        ...


class InMailRepo(Protocol):
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
    ) -> InMail: ...
    async def get(self, inmail_id: int) -> InMail | None: ...
    async def save(self, inmail: InMail) -> None: ...
    async def pending_refunds(self, sender_id: int) -> list[InMail]: ...
    async def due_unanswered(self, now: datetime, limit: int) -> list[InMail]:
        """Unanswered InMails still pending refund whose deadline has passed."""
        ...

    async def open_in_conversation(self, conversation_id: int, recipient_id: int) -> InMail | None:
        """The latest InMail to `recipient_id` in this conversation that awaits an answer."""
        ...

    async def latest_in_conversation(self, conversation_id: int) -> InMail | None: ...


class LedgerRepo(Protocol):
    async def add(
        self,
        member_id: int,
        kind: LedgerKind,
        delta: int,
        balance_after: int,
        reason: str,
        now: datetime,
        inmail_id: int | None = None,
    ) -> LedgerEntry: ...
    async def recent(self, member_id: int, limit: int) -> list[LedgerEntry]: ...
    async def balance_sum(self, member_id: int) -> int: ...


class PaymentRepo(Protocol):
    async def add(self, payment: StarPayment) -> bool:
        """Record a payment; False (nothing written) when its charge id is already there."""
        ...

    async def get(self, charge_id: str) -> StarPayment | None: ...
    async def set_granted(self, charge_id: str, credits: int) -> None: ...
    async def mark_refunded(self, charge_id: str, now: datetime) -> int | None:
        """Mark a payment refunded and fix how many of its credits are taken back: those
        granted, at most the payer's balance now (what was spent stays spent). None when
        unknown or already refunded."""
        ...


class TemplateRepo(Protocol):
    async def save(self, template: MessageTemplate) -> None:
        """Add or replace the member's template of that name."""
        ...

    async def get(self, member_id: int, name: str) -> MessageTemplate | None: ...
    async def list(self, member_id: int) -> list[MessageTemplate]: ...
    async def delete(self, member_id: int, name: str) -> bool: ...


class SpamRepo(Protocol):
    async def add(
        self, reporter_id: int, reported_id: int, conversation_id: int, now: datetime
    ) -> SpamReport: ...
    async def list(self, unreviewed_only: bool, limit: int) -> list[SpamReport]: ...
    async def mark_reviewed(self, report_id: int) -> bool: ...


class CopyRepo(Protocol):
    async def add(self, copy: ChatCopy) -> None: ...
    async def remove(self, chat_id: int, telegram_message_id: int) -> None: ...
    async def by_telegram(self, chat_id: int, telegram_message_id: int) -> ChatCopy | None: ...
    async def of_message(self, message_id: int, member_id: int) -> list[ChatCopy]: ...


class OutboxRepo(Protocol):
    async def add(
        self,
        member_id: int,
        kind: NotificationKind,
        ref_id: int | None,
        payload: dict[str, Any],
        now: datetime,
        due_at: datetime | None = None,
        sender_id: int | None = None,
    ) -> int: ...
    async def get(self, notification_id: int) -> Notification | None: ...
    async def due(self, now: datetime, limit: int) -> list[Notification]:
        """Pending rows due by `now`, oldest first, never overtaking an earlier pending row
        of the same member (per-chat order)."""
        ...

    async def claim(
        self,
        worker: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        members: Sequence[int] | None = None,
    ) -> list[Notification]:
        """Up to `limit` due rows for `worker` to send, oldest first, each the head of its
        member's pending rows (so one member's go strictly one after the other, whichever
        worker sends them), unclaimed or with a lease ended before `now` (its worker died);
        claimed until `lease_until`; only `members`' when given. Concurrent claims never
        return the same row. Earliest due first, then oldest."""
        ...

    async def postpone_head(self, member_id: int, until: datetime) -> None:
        """The member's next pending row is due no earlier than `until` (their chat's next
        send allowed by Telegram's per-chat limit): claims, earliest due first, then take
        the other members' first."""
        ...

    async def release(self, notification_ids: Sequence[int], worker: str) -> None:
        """`worker` gives its claims on these rows back (due again for anyone); rows it
        does not hold are left alone."""
        ...

    async def release_worker(self, worker: str) -> int:
        """Every claim `worker` held (a restarted worker's, from its previous life)."""
        ...

    async def earlier_waiting(self, member_id: int, notification_id: int, now: datetime) -> bool:
        """Whether an earlier pending row of the member is not due yet (this one waits)."""
        ...

    async def set_status(
        self,
        notification_id: int,
        status: NotificationStatus,
        now: datetime,
        error: str | None = None,
        silent: bool = False,
    ) -> None: ...
    async def mark_sent(self, notification_ids: Sequence[int], now: datetime, silent: bool) -> None:
        """Sent, the rows `set_status(SENT)` would mark one by one, in one statement (the
        delivery worker records a batch of completed sends at once)."""
        ...

    async def recent_push(self, member_id: int, sender_id: int, since: datetime) -> bool:
        """Whether a non-silent push from `sender_id` reached the member since `since`."""
        ...

    async def message_rows(
        self, notification: Notification, now: datetime, pushed_since: datetime
    ) -> MessageRows:
        """For a message's notification, `MessageRows` at once (`earlier_waiting` at
        `now`, `recent_push` since `pushed_since`)."""
        ...

    async def reschedule(self, notification_id: int, due_at: datetime, error: str) -> None: ...
    async def hold_member(self, member_id: int) -> int: ...
    async def replan_member(self, member_id: int, now: datetime, quiet_mark: str) -> int:
        """Held rows, and pending ones marked `quiet_mark` and due later, become due now."""
        ...

    async def waiting(self, member_id: int, now: datetime, quiet_mark: str) -> bool:
        """Whether `replan_member` would change anything."""
        ...

    async def by_status(self, status: NotificationStatus, limit: int) -> list[Notification]: ...
    async def counts(self) -> dict[str, int]: ...


class StorageUnavailable(Exception):
    """The database can't be used right now — another process holds it past the busy
    timeout, the disk is full, an I/O error: nothing was changed, try again later."""


class TransactionConflict(StorageUnavailable):
    """Another transaction changed what this one read (PostgreSQL's serialization failure
    or a deadlock): nothing of it remains; run it again at once, it will see the change."""


class ConstraintViolation(Exception):
    """A change the schema refuses — a taken handle, a second pending invitation between the
    same two members, a row pointing at nothing, a balance below zero: the transaction was
    rolled back. The core checks its rules first; constraints are what hold them when two
    requests race, on every backend."""


class AlreadyApplied(Exception):
    """This update's effect was committed by an earlier attempt (a redelivery after a
    crash): the transaction was rolled back, nothing happened twice."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} was already applied")
        self.update_id = update_id


class WorkerRepo(Protocol):
    """The bot's live workers (processes), by heartbeat: each takes its share of what is
    limited per bot (Telegram's overall rate)."""

    async def heartbeat(self, name: str, now: datetime) -> None: ...
    async def live(self, since: datetime) -> int:
        """How many workers were seen since `since`."""
        ...

    async def leave(self, name: str) -> None:
        """A worker stopping: the others' shares grow at their next heartbeat."""
        ...


class UpdateRepo(Protocol):
    """Telegram updates already handled, keyed by their id and content (`update_key`)."""

    async def seen(self, key: str) -> bool: ...
    async def arrival(
        self, key: str, telegram_id: int | None, now: datetime, quiet_mark: str
    ) -> Arrival:
        """`seen`, the member of `telegram_id` and `OutboxRepo.waiting` for them, at once."""
        ...

    async def mark(self, key: str, update_id: int, now: datetime) -> bool:
        """Record the update as handled; False if it already was."""
        ...

    async def prune(self, before: datetime) -> int: ...
    async def add_unreadable(
        self, key: str, update_id: int, payload: str, error: str, now: datetime
    ) -> bool:
        """Keep an update the library could not read; False if it was kept before."""
        ...

    async def unreadable(self, limit: int) -> list[UnreadableUpdate]: ...


class TagRepo(Protocol):
    """A member's own tags on their contacts."""

    async def ensure(self, member_id: int, name: str, colour: str, now: datetime) -> Tag:
        """The member's tag of that name, created with `colour` if it is new."""
        ...

    async def by_name(self, member_id: int, name: str) -> Tag | None: ...
    async def owned(self, member_id: int, tag_id: int) -> Tag | None:
        """The tag if it is `member_id`'s, else None."""
        ...

    async def attach(self, tag_id: int, contact_id: int, now: datetime) -> bool:
        """True if the contact did not carry the tag yet."""
        ...

    async def detach(self, tag_id: int, contact_id: int) -> bool: ...
    async def counts(self, member_id: int) -> list[TagCount]:
        """Every tag of the member, by name, with how many contacts carry it."""
        ...

    async def on_contact(self, member_id: int, contact_id: int) -> list[Tag]: ...
    async def assignments(self, member_id: int) -> list[tuple[int, Tag]]:
        """Every (contact id, tag) of the member's, by tag name then contact (/export)."""
        ...


class NoteRepo(Protocol):
    """A member's private note on each contact."""

    async def set(self, member_id: int, contact_id: int, text: str, now: datetime) -> None: ...
    async def remove(self, member_id: int, contact_id: int) -> bool: ...
    async def get(self, member_id: int, contact_id: int) -> str | None: ...
    async def with_tags(self, member_id: int, contact_id: int) -> tuple[str | None, list[Tag]]:
        """The note and `TagRepo.on_contact`'s tags at once (the preview of every message)."""
        ...

    async def all(self, member_id: int) -> list[tuple[int, str]]:
        """Every (contact id, note) of the member's, by contact (/export)."""
        ...


class ReminderRepo(Protocol):
    """Follow-up reminders; at most one pending per member and conversation."""

    async def set(
        self, member_id: int, conversation_id: int, text: str, due_at: datetime, now: datetime
    ) -> Reminder:
        """A pending reminder, replacing the member's pending one on that conversation."""
        ...

    async def get(self, reminder_id: int) -> Reminder | None: ...
    async def pending(self, member_id: int) -> list[Reminder]:
        """The member's pending reminders, the soonest first."""
        ...

    async def cancel(self, reminder_id: int, member_id: int, now: datetime) -> bool:
        """Cancel the member's own pending reminder; False if there is none such."""
        ...

    async def cancel_conversation(self, conversation_id: int, now: datetime) -> int:
        """Someone wrote in the conversation: its pending reminders are moot."""
        ...

    async def take_due(self, now: datetime, limit: int) -> list[Reminder]:
        """Mark up to `limit` due reminders fired and return them (in the caller's
        transaction: fired with their effect, or not at all)."""
        ...


class LeadRow(NamedTuple):
    contact: Member
    list_name: str
    saved_at: datetime
    last_contact_at: datetime | None
    answered: bool
    contacted: bool  # they wrote to or invited the member (their name shows in full)


class LeadRepo(Protocol):
    """Saved leads, in named lists per member."""

    async def save(self, member_id: int, contact_id: int, list_name: str, now: datetime) -> bool:
        """True if newly saved in that list."""
        ...

    async def remove(self, member_id: int, contact_id: int, list_name: str | None) -> int:
        """Take the contact off one list (or every list with None); how many rows went."""
        ...

    async def list(self, member_id: int, list_name: str | None, limit: int) -> list[LeadRow]:
        """The member's leads (of one list, or all), the latest saved first, each with the
        conversation's last activity and whether the lead ever wrote back."""
        ...


class ProfileViewRepo(Protocol):
    """Who viewed whose profile: at most one row per viewer, viewed member and day."""

    async def record(self, viewer_id: int, viewed_id: int, day: str, now: datetime) -> bool:
        """A view on `day` (the UTC date); False when that viewer was already counted then."""
        ...

    async def viewers(
        self, viewed_id: int, since: datetime, limit: int
    ) -> list[tuple[int, datetime]]:
        """(viewer, latest view) since `since`, most recent first."""
        ...

    async def count_since(self, viewed_id: int, since: datetime) -> int:
        """Distinct viewers since `since`."""
        ...


class StatsRepo(Protocol):
    """Counts for /stats, computed where the rows are."""

    async def invitations_sent(self, member_id: int, since: datetime) -> tuple[int, int]:
        """(sent, accepted since) of the member's invitations sent since `since`."""
        ...

    async def conversation_messages(
        self, member_id: int, since: datetime
    ) -> list[tuple[int, int, datetime]]:
        """(conversation, sender, sent at) of every message (not invitation notes nor
        InMails) since `since` in the member's conversations, by conversation then in order."""
        ...

    async def inmails_sent(self, member_id: int, since: datetime) -> tuple[int, int]:
        """(sent, answered) of the member's InMails sent since `since`."""
        ...

    async def connections(self) -> int: ...
    async def messages_per_day(self, since: datetime) -> dict[str, int]:
        """Messages sent on each UTC date (ISO) since `since`; days without any left out."""
        ...


class IntroductionRepo(Protocol):
    async def add(
        self, requester_id: int, target_id: int, intermediary_id: int, note: str, now: datetime
    ) -> Introduction:
        """A new request; `ConstraintViolation` when the requester already has one asked
        for that target."""
        ...

    async def get(self, introduction_id: int) -> Introduction | None: ...
    async def asked(self, requester_id: int, target_id: int) -> Introduction | None:
        """The requester's request for that target still waiting for an answer."""
        ...

    async def answer(
        self,
        introduction_id: int,
        intermediary_id: int,
        status: IntroductionStatus,
        now: datetime,
    ) -> Introduction | None:
        """Set the answer if this intermediary was asked and has not answered yet (one
        statement: two taps, or two intermediaries' devices, can't both answer); None else."""
        ...

    async def forwarded_between(self, a: int, b: int) -> bool:
        """Whether one of them was introduced to the other."""
        ...


class SavedSearchRepo(Protocol):
    async def add(
        self, member_id: int, query: str, last_member_id: int, now: datetime
    ) -> SavedSearch | None:
        """None when the member already saved these words."""
        ...

    async def of_member(self, member_id: int) -> list[SavedSearch]: ...
    async def remove(self, saved_id: int, member_id: int) -> bool: ...
    async def advance(self, saved_id: int, upto_member_id: int) -> None:
        """Members up to `upto_member_id` are now considered (never moves back)."""
        ...

    async def newest_member_id(self) -> int: ...
    async def matches(
        self, terms: list[str], after_id: int, upto_id: int, limit: int
    ) -> list[Member]:
        """Members with after_id < id <= upto_id matching every term, by id."""
        ...


class CampaignRepo(Protocol):
    async def add(
        self,
        member_id: int,
        name: str,
        wait_days: int,
        follow_up_days: int,
        note: str | None,
        welcome: str | None,
        follow_up: str | None,
        now: datetime,
    ) -> Campaign: ...
    async def get(self, campaign_id: int) -> Campaign | None: ...
    async def of_member(self, member_id: int) -> list[Campaign]: ...
    async def set_status(self, campaign_id: int, status: CampaignStatus) -> None: ...
    async def add_lead(self, campaign_id: int, lead_id: int, now: datetime) -> bool:
        """A lead enters at the visit step, due now; False when already in this campaign."""
        ...

    async def due(self, now: datetime, limit: int) -> list[CampaignLead]:
        """Leads of active campaigns whose step is due, oldest due first."""
        ...

    async def claim(
        self,
        lead: CampaignLead,
        step: CampaignStep,
        due_at: datetime,
        now: datetime,
        stamps: Sequence[str] = (),
        invitation_id: int | None = None,
        outcome: str | None = None,
    ) -> bool:
        """Move the lead from the step (and due time) it was read at to `step`, setting the
        `stamps` columns (visited_at, invited_at, accepted_at, welcomed_at, followed_up_at,
        left_at) to `now`: False when it is no longer there (another run claimed it)."""
        ...

    async def departing(self, limit: int) -> list[CampaignLead]:
        """Leads still in an active campaign who wrote to its member since they entered it,
        blocked or were blocked, or reported the member: they leave now, not at their next
        step."""
        ...

    async def counts(self, campaign_id: int) -> CampaignCounts: ...
    async def replied_since(self, member_id: int, lead_id: int, since: datetime) -> bool:
        """Whether the lead wrote to the member since `since`."""
        ...

    async def reported(self, reporter_id: int, reported_id: int) -> bool: ...


class UnitOfWork(Protocol):
    """The repositories of one transaction. Read-only members: a use case reads them and
    never swaps one, so an adapter may hold its own repository classes (a protocol's plain
    attribute would demand exactly the protocol type)."""

    @property
    def members(self) -> MemberRepo: ...

    @property
    def blocks(self) -> BlockRepo: ...

    @property
    def connections(self) -> ConnectionRepo: ...

    @property
    def invitations(self) -> InvitationRepo: ...

    @property
    def conversations(self) -> ConversationRepo: ...

    @property
    def messages(self) -> MessageRepo: ...

    @property
    def inmails(self) -> InMailRepo: ...

    @property
    def ledger(self) -> LedgerRepo: ...

    @property
    def payments(self) -> PaymentRepo: ...

    @property
    def templates(self) -> TemplateRepo: ...

    @property
    def spam(self) -> SpamRepo: ...

    @property
    def copies(self) -> CopyRepo: ...

    @property
    def outbox(self) -> OutboxRepo: ...

    @property
    def updates(self) -> UpdateRepo: ...

    @property
    def graph_snapshots(self) -> GraphSnapshotRepo: ...

    @property
    def tags(self) -> TagRepo: ...

    @property
    def notes(self) -> NoteRepo: ...

    @property
    def reminders(self) -> ReminderRepo: ...

    @property
    def leads(self) -> LeadRepo: ...

    @property
    def profile_views(self) -> ProfileViewRepo: ...

    @property
    def stats(self) -> StatsRepo: ...

    @property
    def introductions(self) -> IntroductionRepo: ...

    @property
    def saved_searches(self) -> SavedSearchRepo: ...

    @property
    def campaigns(self) -> CampaignRepo: ...

    @property
    def workers(self) -> WorkerRepo: ...


class Store(Protocol):
    def transaction(self, *, snapshot: bool = False) -> AbstractAsyncContextManager[UnitOfWork]:
        """One write transaction. Inside an update's processing (`once.processing`), the
        first transaction that changes something also records the update as applied, and is
        refused with `AlreadyApplied` if it was (see `bridge/storage/once.py`). Storage
        failures surface as `StorageUnavailable`, refused changes as `ConstraintViolation`;
        either way nothing of the transaction remains. Write transactions are serialized:
        what a use case reads in one is still true when it commits (a counter read, changed
        and saved back is never lost to a concurrent one).

        `snapshot=True` promises less, for a use case that needs less (a message relayed
        between two members): its reads come from one snapshot and a row it changes that
        another worker changed meanwhile refuses it (`TransactionConflict`), but another
        worker's writes to rows it only read do not — so relays for different members never
        refuse each other. Only for a use case whose decisions stay right when what it read
        changes concurrently (a block or a disconnection committed at the same moment is
        simply after it), whose counters change by increments, and whose once-only rows are
        held by unique keys. SQLite runs every write transaction alone: the same there."""
        ...

    def read(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """Repositories for reading only: no write lock, no commit. Use cases that change
        nothing (inbox pages, digests) take this; anything that writes takes `transaction`."""
        ...

    def read_statement(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """`read` for a use case that reads with ONE statement (an inbox page, a batch of
        digests, the unread summary). One statement is its own consistent snapshot, so it
        needs no transaction: PostgreSQL runs it alone, without BEGIN and COMMIT (two round
        trips of its three); SQLite reads as `read` does. A second statement inside is a
        programming error (it would see another snapshot) and raises."""
        ...

    def claiming(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """A write transaction for claiming shared work (the outbox), whose statements are
        each atomic on their own: on PostgreSQL READ COMMITTED, outside the store's turn
        (a claim skips rows locked by another worker's claim rather than conflicting with
        it); on SQLite an ordinary transaction. Never inside an update's processing."""
        ...

    def bulk(self) -> BulkWriter:
        """The bulk path (`bridge.storage.bulk`): seeding and benchmarks, never while the
        bot serves members."""
        ...

    async def close(self) -> None: ...


class Follower(Protocol):
    position: int

    async def catch_up(self) -> int: ...
    async def stop(self) -> None: ...


@runtime_checkable
class FollowsConnections(Protocol):
    """A store several workers share (PostgreSQL): each worker's in-memory graph index
    follows the connections every worker changes (`bridge.storage.postgres.follow`). A
    single-process store (SQLite) has nothing to follow and does not offer it."""

    async def follow_connections(
        self,
        position: int,
        apply: Callable[[Sequence[ConnectionChange], int], None],
        reload: Callable[[], Awaitable[int]],
        poll_seconds: float = 1.0,
    ) -> Follower: ...
