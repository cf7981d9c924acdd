"""The inbox: filtered, cursor-paged conversations, unread totals, and conversation actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bridge.core import counters, errors
from bridge.core.conversations import participant_conversation
from bridge.core.deps import CoreDeps
from bridge.core.inbox_filters import Refinement, decode_smart, parse_query, refinement
from bridge.core.invitations import end_declined
from bridge.core.members import require_admin
from bridge.core.messaging import conversation_view, open_with
from bridge.core.models import (
    Conversation,
    ConversationCard,
    ConversationState,
    ConversationView,
    Degree,
    Digest,
    InboxEntry,
    InboxFilter,
    InboxPage,
    Invitation,
    InvitationStatus,
    Mailbox,
    Member,
    SmartFilter,
    SpamReport,
    Tag,
    UnreadSummary,
)
from bridge.core.views import seen_member
from bridge.storage.port import InboxRow, InboxSlice, UnitOfWork

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CARD = 5  # the last messages a conversation card shows


class CardAction(StrEnum):
    """What a conversation card's buttons do (Delete aside: it leaves the card)."""

    SHOW = "show"  # the card itself: its messages are on the screen now, so read
    READ = "read"
    UNREAD = "unread"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    SPAM = "spam"
    NOT_SPAM = "not_spam"
    TO_SALES = "to_sales"  # into the member's sales mailbox (Sales Navigator, Recruiter)
    TO_MAIN = "to_main"  # back to the main inbox


async def _waiting(tx: UnitOfWork, actor_id: int, conversation: Conversation) -> Invitation | None:
    """The pending invitation the actor received in this conversation, if any."""
    if conversation.invitation_id is None:
        return None
    invitation = await tx.invitations.get(conversation.invitation_id)
    if (
        invitation is None
        or invitation.recipient_id != actor_id
        or invitation.status != InvitationStatus.PENDING
    ):
        return None
    return invitation


def _contact_shows(row: InboxRow) -> bool:
    """The row itself shows the other member contacted the actor: unread messages from
    them, their invitation or their InMail."""
    other = row.other.id
    return (
        row.unread_count > 0
        or (row.invitation is not None and row.invitation.sender_id == other)
        or (row.inmail is not None and row.inmail.sender_id == other)
    )


def _entries(rows: list[InboxRow], degrees: Mapping[int, int | None]) -> list[InboxEntry]:
    """Lines as shown: names masked by degree (`views.seen_member`) unless the other member
    contacted the actor (the row shows it, or they wrote in it). Lean tuples, no validation:
    every part comes straight from the row."""
    return [
        InboxEntry(
            row.conversation_id,
            row.last_activity_at,
            row.unread_count,
            seen_member(
                row.other,
                Degree.from_distance(degrees.get(row.other.id)),
                contacted=row.wrote or _contact_shows(row),
            ),
            row.last_message,
            row.invitation,
            row.inmail,
        )
        for row in rows
    ]


_MICRO = timedelta(microseconds=1)
MAX_PAGE = 50
# How far back a digest tells the member about their invitations that expired: a week, so a
# member who reads a digest once a week hears of each one.
EXPIRED_NEWS = timedelta(days=7)


def encode_cursor(moment: datetime, conversation_id: int) -> str:
    """A short opaque cursor (fits in callback data): microseconds since epoch and id."""
    return f"{(moment - _EPOCH) // _MICRO:x}.{conversation_id:x}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """Parse a cursor; anything malformed means "from the top", never an error or a crash."""
    if not cursor:
        return None
    try:
        micros, conversation = (int(part, 16) for part in cursor.split(".", 1))
        if micros < 0 or conversation < 0:
            return None
        return _EPOCH + micros * _MICRO, conversation
    except (ValueError, OverflowError):
        return None


BEFORE = "-"  # marks a cursor asking for the page above it


def _cursor_of(row: InboxRow) -> str:
    return encode_cursor(row.position, row.conversation_id)


class Inbox:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def page(
        self,
        actor_id: int,
        filter: InboxFilter = InboxFilter.ALL,
        cursor: str | None = None,
        limit: int = 10,
        smart: str = "",
    ) -> InboxPage:
        """A page after `cursor` (the first page without one), or, for a cursor marked
        "before" (``-`` first, as `prev_cursor` gives), the page just above it. `smart`: a
        smart filter as a page's buttons carry it (`inbox_filters.encode_smart`); only a
        claim, checked here (malformed: none; a tag that is not the actor's: an error)."""
        try:
            fields, tag_id = decode_smart(smart)
        except ValueError:
            fields, tag_id = {}, None
        if tag_id is not None:  # checked and named by the page's own statement
            fields["tag"] = Tag(id=tag_id, name="", colour="")
        chosen = SmartFilter.model_validate(fields)
        async with self._d.store.read_statement() as tx:  # the page is one statement
            return await self._page(tx, actor_id, filter, cursor, limit, chosen)

    async def query(self, actor_id: int, words: list[str], limit: int = 10) -> InboxPage:
        """`/inbox awaiting #candidate`: the first page of a filter and smart conditions,
        combined (`inbox_filters.parse_query`)."""
        filter, smart, tag_name = parse_query(words)
        async with self._d.store.read() as tx:
            if filter == InboxFilter.SALES:
                actor = await tx.members.get(actor_id)
                if actor is None or not self._d.rules.has_sales_mailbox(actor.plan):
                    raise errors.NoSalesMailbox()
            if tag_name is not None:
                tag = await tx.tags.by_name(actor_id, tag_name)
                if tag is None:
                    raise errors.UnknownTag(tag=tag_name)
                smart = smart.model_copy(update={"tag": tag})
            return await self._page(tx, actor_id, filter, None, limit, smart)

    def _refinement(self, actor_id: int, smart: SmartFilter) -> Refinement | None:
        """The smart filter as the storage applies it; degrees from the graph index (the
        2nd-degree set only for the 3rd-degree filter: it is the costly one)."""
        if not smart.active:
            return None
        first: tuple[int, ...] = ()
        second: tuple[int, ...] = ()
        if smart.degree is not None:
            graph = self._d.graph
            first = tuple(graph.neighbours(actor_id))
            if smart.degree == Degree.THIRD:
                near = set(first) | {actor_id}
                second = tuple({n for f in first for n in graph.neighbours(f) if n not in near})
        return refinement(smart, self._d.clock.now(), first, second)

    async def _page(
        self,
        tx: UnitOfWork,
        actor_id: int,
        filter: InboxFilter,
        cursor: str | None,
        limit: int,
        smart: SmartFilter | None = None,
    ) -> InboxPage:
        smart = smart or SmartFilter()
        limit = max(1, min(limit, MAX_PAGE))
        backward = cursor is not None and cursor.startswith(BEFORE)
        position = decode_cursor(cursor.removeprefix(BEFORE) if cursor else None)
        backward = backward and position is not None
        found = await tx.conversations.inbox_page(
            actor_id, filter, position, limit + 1, backward, self._refinement(actor_id, smart)
        )
        if smart.tag is not None:
            if found.tag is None:  # not (or no longer) the actor's tag: a forged button
                raise errors.TagNotFound()
            smart = smart.model_copy(update={"tag": found.tag})
        degrees = self._d.graph.distances_from(actor_id, [row.other.id for row in found.rows])
        rows = found.rows
        more = len(rows) > limit
        if backward:  # the extra row is the newest one, above the page
            rows = rows[1:] if more else rows
            newer, older = more, True
        else:
            rows = rows[:limit]
            newer, older = position is not None, more
        entries = _entries(rows, degrees)
        next_cursor = prev_cursor = None
        if rows and older:
            next_cursor = _cursor_of(rows[-1])
        if rows and newer:
            prev_cursor = BEFORE + _cursor_of(rows[0])
        elif newer and not rows and cursor:  # past the end: the page before the cursor
            prev_cursor = BEFORE + cursor.removeprefix(BEFORE)
        return InboxPage(
            filter=filter,
            entries=entries,
            next_cursor=next_cursor,
            prev_cursor=prev_cursor,
            summary=found.summary,
            invitations=found.invitations,
            smart=smart,
            matching=found.matching,
        )

    async def digest(self, actor_id: int, cursor: str | None = None, limit: int = 10) -> Digest:
        """The unread digest: totals, then one entry per person with unread messages (newest
        first), paged by cursor so a long digest is never cut; and the member's invitations
        that expired lately (`digests`, the one-statement batch, leaves those out)."""
        limit = max(1, min(limit, MAX_PAGE))
        async with self._d.store.read() as tx:
            found = await tx.conversations.inbox_page(
                actor_id, InboxFilter.UNREAD, decode_cursor(cursor), limit + 1
            )
            expired = await self._expired(tx, [actor_id])
            if cursor is None:  # the first page tells the sales mailbox's unread apart
                sales = await tx.conversations.unread_summary(actor_id, InboxFilter.SALES)
                found = found._replace(sales=sales)
        return self._digest(actor_id, found, limit, expired.get(actor_id, 0))

    async def digests(self, member_ids: Sequence[int], limit: int = 10) -> dict[int, Digest]:
        """The first page of many members' digests at once (the scheduled job's batch); a
        member with nothing unread and no pending invitation gets an empty digest."""
        limit = max(1, min(limit, MAX_PAGE))
        async with self._d.store.read_statement() as tx:
            found = await tx.conversations.unread_pages(member_ids, limit + 1)
        none = UnreadSummary(messages=0, people=0)
        nothing = InboxSlice(rows=[], summary=none, invitations=0, inmails=0, sales=none)
        # Each member's rows are let go once their digest is built (`pop`): fewer objects
        # alive at once for the garbage collector to walk through, in a batch of thousands.
        return {m: self._digest(m, found.pop(m, nothing), limit) for m in dict.fromkeys(member_ids)}

    async def _expired(self, tx: UnitOfWork, member_ids: Sequence[int]) -> dict[int, int]:
        """Each member's invitations that expired lately (what a digest tells them)."""
        since = self._d.clock.now() - EXPIRED_NEWS
        return await tx.invitations.expired_since(member_ids, since)

    def _digest(self, actor_id: int, found: InboxSlice, limit: int, expired: int = 0) -> Digest:
        rows = found.rows[:limit]
        more = len(found.rows) > limit
        degrees = self._d.graph.distances_from(actor_id, [row.other.id for row in rows])
        return Digest(
            summary=found.summary,
            invitations=found.invitations,
            inmails=found.inmails,
            entries=_entries(rows, degrees),
            next_cursor=_cursor_of(rows[-1]) if more and rows else None,
            expired=expired,
            sales=found.sales,
        )

    async def unread_summary(self, actor_id: int) -> UnreadSummary:
        """ "12 unread messages from 5 people": one chatty contact can't pass for many."""
        async with self._d.store.read_statement() as tx:
            return await tx.conversations.unread_summary(actor_id)

    async def conversation_with(self, actor_id: int, other_id: int) -> int:
        async with self._d.store.transaction() as tx:
            conversation = await tx.conversations.between(actor_id, other_id)
        if conversation is None:
            raise errors.ConversationNotFound()
        return conversation.id

    async def invitation_waiting(self, actor_id: int, conversation_id: int) -> Invitation | None:
        """The pending invitation the actor received in this conversation, if any: the
        conversation card offers to answer it (a note or not)."""
        async with self._d.store.read() as tx:
            conversation = await participant_conversation(tx, actor_id, conversation_id)
            return await _waiting(tx, actor_id, conversation)

    async def state(self, actor_id: int, conversation_id: int) -> ConversationState:
        async with self._d.store.transaction() as tx:
            await participant_conversation(tx, actor_id, conversation_id)
            return await tx.conversations.state(conversation_id, actor_id)

    # --- the conversation card: each button one use case, one transaction ---------------
    async def act(
        self, actor_id: int, conversation_id: int, action: CardAction
    ) -> ConversationCard:
        """A conversation card's button: do `action`, and return the card as it now is.
        Acting on a conversation makes it the one the member's next unaddressed message is
        offered to (`Messaging.hold_unaddressed`), spam and deletion aside."""
        async with self._d.store.transaction() as tx:
            if action in (CardAction.SHOW, CardAction.READ):  # on the screen now: read
                await self._mark_read(tx, actor_id, conversation_id)
            elif action == CardAction.UNREAD:
                await self._mark_unread(tx, actor_id, conversation_id)
            elif action in (CardAction.ARCHIVE, CardAction.UNARCHIVE):
                await self._archive(tx, actor_id, conversation_id, action == CardAction.ARCHIVE)
            elif action == CardAction.SPAM:
                await self._report_spam(tx, actor_id, conversation_id)
            elif action in (CardAction.TO_SALES, CardAction.TO_MAIN):
                to = Mailbox.SALES if action == CardAction.TO_SALES else Mailbox.MAIN
                await self._move(tx, actor_id, conversation_id, to)
            else:
                await self._not_spam(tx, actor_id, conversation_id)
            conversation = await participant_conversation(tx, actor_id, conversation_id)
            other_id = conversation.other(actor_id)
            if action in (CardAction.UNREAD, CardAction.ARCHIVE, CardAction.UNARCHIVE):
                await tx.conversations.set_recent_peers([(actor_id, other_id)], self._d.clock.now())
            actor = await tx.members.get(actor_id)
            return ConversationCard(
                view=await conversation_view(self._d, tx, actor_id, other_id, limit=CARD),
                waiting=await _waiting(tx, actor_id, conversation),
                sales=actor is not None and self._d.rules.has_sales_mailbox(actor.plan),
            )

    async def delete_from_card(
        self, actor_id: int, conversation_id: int, filter: InboxFilter, limit: int = 10
    ) -> InboxPage:
        """The card's Delete: delete for me, and return the first page of the inbox (under
        the filter the card was opened from) that no longer shows it."""
        async with self._d.store.transaction() as tx:
            await self._delete(tx, actor_id, conversation_id)
            return await self._page(tx, actor_id, filter, None, limit)

    async def read_all(
        self, actor_id: int, filter: InboxFilter = InboxFilter.ALL, limit: int = 10
    ) -> tuple[int, InboxPage]:
        """Mark all read (spam aside); returns how many conversations changed and the
        first page under `filter`, as it now is."""
        async with self._d.store.transaction() as tx:
            changed = await self._mark_all_read(tx, actor_id)
            return changed, await self._page(tx, actor_id, filter, None, limit)

    async def open(self, actor_id: int, conversation_id: int) -> ConversationView:
        """Open (the card's, a digest's, a notification's): plain messages now go to this
        conversation, and it is read."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            conversation = await participant_conversation(tx, actor_id, conversation_id)
            other_id = conversation.other(actor_id)
            await open_with(self._d, tx, actor_id, other_id, now)
            await self._mark_read(tx, actor_id, conversation_id)
            return await conversation_view(self._d, tx, actor_id, other_id, limit=CARD)

    # --- each action, also on its own (the commands) ------------------------------------
    async def _change(
        self, tx: UnitOfWork, actor_id: int, conversation_id: int
    ) -> tuple[ConversationState, int]:
        conversation = await participant_conversation(tx, actor_id, conversation_id)
        state = await tx.conversations.state(conversation_id, actor_id)
        return state, conversation.last_message_id or 0

    async def mark_read(self, actor_id: int, conversation_id: int) -> ConversationState:
        async with self._d.store.transaction() as tx:
            return await self._mark_read(tx, actor_id, conversation_id)

    async def _mark_read(
        self, tx: UnitOfWork, actor_id: int, conversation_id: int
    ) -> ConversationState:
        state, last = await self._change(tx, actor_id, conversation_id)
        counters.read_through(state, last)
        await tx.conversations.save_state(state)
        conversation = await participant_conversation(tx, actor_id, conversation_id)
        await tx.conversations.set_recent_peers(
            [(actor_id, conversation.other(actor_id))], self._d.clock.now()
        )
        return state

    async def mark_all_read(self, actor_id: int) -> int:
        """Mark every unread conversation read (spam aside); returns how many changed."""
        async with self._d.store.transaction() as tx:
            return await self._mark_all_read(tx, actor_id)

    async def _mark_all_read(self, tx: UnitOfWork, actor_id: int) -> int:
        changed = 0
        while rows := await tx.conversations.inbox(actor_id, InboxFilter.UNREAD, None, 200):
            for conversation, state in rows:
                counters.read_through(state, conversation.last_message_id or 0)
                await tx.conversations.save_state(state)
                changed += 1
        return changed

    async def mark_unread(self, actor_id: int, conversation_id: int) -> ConversationState:
        """Make the latest message from the other side unread again (a reminder to answer)."""
        async with self._d.store.transaction() as tx:
            return await self._mark_unread(tx, actor_id, conversation_id)

    async def _mark_unread(
        self, tx: UnitOfWork, actor_id: int, conversation_id: int
    ) -> ConversationState:
        state, _ = await self._change(tx, actor_id, conversation_id)
        latest = await tx.messages.latest_from_other(
            conversation_id, actor_id, state.cleared_through
        )
        if latest is None:
            raise errors.NothingUnread()
        before = await tx.messages.previous_id(conversation_id, latest.id)
        state.last_read_message_id = max(before, state.cleared_through)
        state.unread_count = await tx.messages.count_from_other(
            conversation_id, actor_id, state.last_read_message_id
        )
        await tx.conversations.save_state(state)
        return state

    async def archive(
        self, actor_id: int, conversation_id: int, archived: bool = True
    ) -> ConversationState:
        async with self._d.store.transaction() as tx:
            return await self._archive(tx, actor_id, conversation_id, archived)

    async def _archive(
        self, tx: UnitOfWork, actor_id: int, conversation_id: int, archived: bool
    ) -> ConversationState:
        state, _ = await self._change(tx, actor_id, conversation_id)
        counters.archived(state, archived)
        await tx.conversations.save_state(state)
        return state

    async def move(
        self, actor_id: int, conversation_id: int, mailbox: Mailbox
    ) -> ConversationState:
        """`/move @handle sales|main`: the conversation into the actor's sales mailbox or
        back to their main inbox; only the other side's view is unchanged."""
        async with self._d.store.transaction() as tx:
            return await self._move(tx, actor_id, conversation_id, mailbox)

    async def _move(
        self, tx: UnitOfWork, actor_id: int, conversation_id: int, mailbox: Mailbox
    ) -> ConversationState:
        state, _ = await self._change(tx, actor_id, conversation_id)  # theirs, first
        actor = await tx.members.get(actor_id)
        if mailbox == Mailbox.SALES and (
            actor is None or not self._d.rules.has_sales_mailbox(actor.plan)
        ):
            raise errors.NoSalesMailbox()
        state.mailbox = mailbox
        await tx.conversations.save_state(state)
        return state

    def has_sales_mailbox(self, member: Member) -> bool:
        """Whether the member's plan has a sales mailbox (what their inbox offers)."""
        return self._d.rules.has_sales_mailbox(member.plan)

    async def delete(self, actor_id: int, conversation_id: int) -> ConversationState:
        """Delete for me: the history up to now disappears for the actor only."""
        async with self._d.store.transaction() as tx:
            return await self._delete(tx, actor_id, conversation_id)

    async def _delete(
        self, tx: UnitOfWork, actor_id: int, conversation_id: int
    ) -> ConversationState:
        state, last = await self._change(tx, actor_id, conversation_id)
        counters.deleted_through(state, last)
        await tx.conversations.save_state(state)
        return state

    async def report_spam(self, actor_id: int, conversation_id: int) -> SpamReport:
        """Move to spam and file a report; the member's further messages land in spam too. An
        invitation from them ends, declined (silently, as any decline)."""
        async with self._d.store.transaction() as tx:
            return await self._report_spam(tx, actor_id, conversation_id)

    async def _report_spam(self, tx: UnitOfWork, actor_id: int, conversation_id: int) -> SpamReport:
        now = self._d.clock.now()
        conversation = await participant_conversation(tx, actor_id, conversation_id)
        state = await tx.conversations.state(conversation_id, actor_id)
        counters.reported_spam(state)
        await tx.conversations.save_state(state)
        if conversation.invitation_id is not None:  # spam is no invitation to answer
            invitation = await tx.invitations.get(conversation.invitation_id)
            if (
                invitation is not None
                and invitation.recipient_id == actor_id
                and invitation.status == InvitationStatus.PENDING
            ):
                await end_declined(tx, invitation, now, hide=False)
        return await tx.spam.add(actor_id, conversation.other(actor_id), conversation_id, now)

    async def not_spam(self, actor_id: int, conversation_id: int) -> ConversationState:
        async with self._d.store.transaction() as tx:
            return await self._not_spam(tx, actor_id, conversation_id)

    async def _not_spam(
        self, tx: UnitOfWork, actor_id: int, conversation_id: int
    ) -> ConversationState:
        state, _ = await self._change(tx, actor_id, conversation_id)
        counters.reported_spam(state, False)
        await tx.conversations.save_state(state)
        return state

    async def reports(
        self, admin: Member, unreviewed_only: bool = True, limit: int = 20
    ) -> list[SpamReport]:
        require_admin(self._d, admin)
        async with self._d.store.transaction() as tx:
            return await tx.spam.list(unreviewed_only, limit)

    async def review_report(self, admin: Member, report_id: int) -> bool:
        require_admin(self._d, admin)
        async with self._d.store.transaction() as tx:
            return await tx.spam.mark_reviewed(report_id)
