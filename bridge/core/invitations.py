"""Invitations (connection requests): invite with a note, accept, decline, withdraw."""

from __future__ import annotations

from datetime import datetime

from bridge.core import counters, errors
from bridge.core.awaiting import Prompt, answered
from bridge.core.conversations import post_message
from bridge.core.deps import CoreDeps
from bridge.core.graph import GraphIndex
from bridge.core.graph_changes import connection_changed
from bridge.core.invitation_status import as_seen, outstanding
from bridge.core.members import check_not_blocked, existing_member
from bridge.core.models import (
    Degree,
    Invitation,
    InvitationAnswer,
    InvitationStatus,
    InvitationView,
    InviteOutcome,
    InvitePolicy,
    Member,
    MemberView,
    MessageKind,
    NotificationKind,
)
from bridge.core.owed import notify
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork

# Each message showing an invitation that a member may record (the notification, each
# /invitations listing): bounded, so that settling it edits a few messages, not a flood.
MAX_COPIES = 20


async def end_declined(
    tx: UnitOfWork, invitation: Invitation, now: datetime, hide: bool = True
) -> Invitation:
    """Decline (the recipient's answer, or their spam report): the sender is not told
    (`seen_status`); with ``hide`` the thread leaves the decliner's inbox, as a "delete for
    me" would, and anything its sender writes there later stays unseen by them
    (`messaging.open_route`, `post_message(unseen_by_recipient=True)`)."""
    await tx.invitations.set_status(invitation.id, InvitationStatus.DECLINED, now)
    if hide:
        conversation = await tx.conversations.get(invitation.conversation_id)
        if conversation is not None:
            state = await tx.conversations.state(conversation.id, invitation.recipient_id)
            counters.deleted_through(state, conversation.last_message_id or 0)
            await tx.conversations.save_state(state)
    return invitation.model_copy(update={"status": InvitationStatus.DECLINED, "responded_at": now})


async def check_can_invite(
    deps: CoreDeps, tx: UnitOfWork, actor: Member, target: Member, now: datetime
) -> None:
    """Every rule that stands between `actor` and a new invitation to `target`.

    Shared with messaging, which tells a non-connection whether inviting is open to them.
    """
    if actor.id == target.id:
        raise errors.CannotTargetSelf()
    await check_not_blocked(tx, actor.id, target.id)
    if await tx.connections.exists(actor.id, target.id):
        raise errors.AlreadyConnected()
    if await outstanding(tx, actor.id, target.id):  # declined looks pending to its sender
        raise errors.InvitationAlreadyPending()
    rules = deps.rules
    closed = await tx.invitations.last_closed(actor.id, target.id)
    if closed is not None and closed.responded_at is not None:
        until = closed.responded_at + rules.reinvite_cooldown
        if now < until:
            raise errors.ReinviteTooSoon(until=until)
    if target.invite_policy == InvitePolicy.SECOND_DEGREE:
        if Degree.from_distance(deps.graph.distance(actor.id, target.id)) != Degree.SECOND:
            raise errors.InvitationsRestricted()
    recent = await tx.invitations.sent_since(actor.id, now - rules.invite_window)
    if len(recent) >= rules.invites_per_window:
        raise errors.InvitationLimitReached(
            limit=rules.invites_per_window, next_at=recent[0] + rules.invite_window
        )


def counterpart(
    graph: GraphIndex, actor_id: int, invitation: Invitation, other: Member
) -> MemberView:
    """The other member of an invitation as the actor may see them: whoever invited the
    actor showed who they are; whom the actor invited stays masked by degree."""
    degree = Degree.from_distance(graph.distance(actor_id, other.id))
    return member_view(other, degree, contacted=invitation.sender_id == other.id)


# What answering an invitation can make of it.
ANSWERS = (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.WITHDRAWN)


async def check_invitable(
    deps: CoreDeps, tx: UnitOfWork, actor_id: int, target_id: int, now: datetime
) -> Member:
    """Whether inviting `target_id` would work now (an invitation of theirs to the actor is
    accepted by inviting them: that works too); returns the target."""
    actor = await existing_member(tx, actor_id)
    target = await existing_member(tx, target_id)
    if await outstanding(tx, target_id, actor_id) is None:
        await check_can_invite(deps, tx, actor, target, now)
    return target


class Invitations:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def invite(
        self, actor_id: int, target_id: int, note: str | None, answering: Prompt | None = None
    ) -> InviteOutcome:
        """Send an invitation; if the target had already invited us, accept theirs instead.
        ``answering``: the question ("Write a note") this note answers ends with it."""
        note = (note or "").strip() or None
        if note is not None and len(note) > self._d.rules.note_max:
            raise errors.NoteTooLong(limit=self._d.rules.note_max, length=len(note))
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        now = self._d.clock.now()
        copies: list[tuple[int, int]] = []
        async with self._d.store.transaction() as tx:
            actor = await existing_member(tx, actor_id)
            target = await existing_member(tx, target_id)
            await check_not_blocked(tx, actor_id, target_id)
            if await tx.connections.exists(actor_id, target_id):
                raise errors.AlreadyConnected()
            # Theirs to us, even one we declined: inviting them now is accepting it.
            theirs = await outstanding(tx, target_id, actor_id)
            if theirs is not None:
                invitation = await self._accept(tx, theirs, now)
                if note is not None:
                    conversation = await tx.conversations.get(theirs.conversation_id)
                    assert conversation is not None
                    await post_message(
                        tx, conversation, actor_id, now, kind=MessageKind.MESSAGE, text=note
                    )
                copies = await self._copies(tx, invitation.id, actor_id)
            else:
                invitation = await self._create(tx, actor, target, note, now)
            await answered(tx, actor_id, answering)
        if theirs is None:
            return InviteOutcome(
                invitation=invitation, target=member_view(target, self._degree(actor_id, target_id))
            )
        await connection_changed(self._d, actor_id, target_id, added=True)
        settled = InvitationAnswer(
            result=InvitationStatus.ACCEPTED,
            item=self._view(actor_id, invitation, target),
            copies=copies,
        )
        return InviteOutcome(
            invitation=invitation,
            accepted_theirs=True,
            settled=settled,
            target=member_view(target, self._degree(actor_id, target_id)),
        )

    def _degree(self, actor_id: int, other_id: int) -> Degree:
        return Degree.from_distance(self._d.graph.distance(actor_id, other_id))

    async def _create(
        self, tx: UnitOfWork, actor: Member, target: Member, note: str | None, now: datetime
    ) -> Invitation:
        await check_can_invite(self._d, tx, actor, target, now)
        conversation = await tx.conversations.between(actor.id, target.id)
        if conversation is None:
            conversation = await tx.conversations.create(actor.id, target.id, now)
        invitation = await tx.invitations.add(actor.id, target.id, note, conversation.id, now)
        await notify(tx, target.id, NotificationKind.INVITATION, invitation.id, now)
        conversation.invitation_id = invitation.id
        await tx.conversations.save(conversation)
        if note is not None:
            # The note opens the thread; the recipient reads it with the invitation itself,
            # so it is never counted as unread for either side.
            await post_message(
                tx,
                conversation,
                actor.id,
                now,
                kind=MessageKind.NOTE,
                text=note,
                read_by_recipient=True,
            )
        return invitation

    async def accept(self, actor_id: int, invitation_id: int) -> Invitation:
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            invitation = await self._received(tx, actor_id, invitation_id)
            accepted = await self._accept(tx, invitation, now)
        await connection_changed(self._d, accepted.sender_id, accepted.recipient_id, added=True)
        return accepted

    async def check(self, actor_id: int, target_id: int) -> MemberView:
        """Whether inviting `target_id` would work, before asking the actor for a note (an
        invitation of theirs to the actor is accepted by inviting them: that works too);
        returns the target as the actor may see them, for the question."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            target = await check_invitable(self._d, tx, actor_id, target_id, now)
        return member_view(target, self._degree(actor_id, target_id))

    async def _accept(self, tx: UnitOfWork, invitation: Invitation, now: datetime) -> Invitation:
        await tx.invitations.set_status(invitation.id, InvitationStatus.ACCEPTED, now)
        await tx.connections.add(invitation.sender_id, invitation.recipient_id, now)
        await notify(tx, invitation.sender_id, NotificationKind.ACCEPTED, invitation.id, now)
        # The caller adds the edge to the graph index once this transaction has committed.
        return invitation.model_copy(
            update={"status": InvitationStatus.ACCEPTED, "responded_at": now}
        )

    async def decline(self, actor_id: int, invitation_id: int) -> Invitation:
        """Decline; the sender is never told (`seen_status`), and the thread leaves the
        decliner's inbox."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            invitation = await self._received(tx, actor_id, invitation_id)
            return await end_declined(tx, invitation, now)

    async def withdraw(self, actor_id: int, invitation_id: int) -> Invitation:
        """Withdraw one's invitation, pending as far as one knows (a declined one too)."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            invitation = await tx.invitations.get(invitation_id)
            if invitation is None:
                raise errors.InvitationNotFound()
            return await self._withdraw(tx, actor_id, invitation, now)

    async def answer(
        self,
        actor_id: int,
        result: InvitationStatus,
        invitation_id: int | None = None,
        *,
        other_id: int | None = None,
    ) -> InvitationAnswer:
        """Accept, decline or withdraw (`result`) an invitation named by its id (its own
        buttons) or by its other member (the profile card, ``/accept @x``), in one
        transaction; returns what the actor's chat shows of it now.

        The id is only a claim: an invitation the actor is not part of does not exist for
        them; only its recipient answers it, only its sender withdraws it, and only while it
        is pending (as far as they know: a declined one still looks pending to its sender).
        Accepting is acting in its conversation: the actor's next unaddressed message is
        offered there (`Messaging.hold_unaddressed`)."""
        if result not in ANSWERS:
            raise ValueError(f"an invitation is not answered with {result}")
        if (invitation_id is None) == (other_id is None):
            raise ValueError("name the invitation by its id or by its other member")
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            if invitation_id is not None:
                invitation = await tx.invitations.get(invitation_id)
                if invitation is None or actor_id not in (
                    invitation.sender_id,
                    invitation.recipient_id,
                ):
                    raise errors.InvitationNotFound()
            else:
                assert other_id is not None
                invitation = await self._between(tx, actor_id, other_id, result)
            if result == InvitationStatus.WITHDRAWN:
                changed = await self._withdraw(tx, actor_id, invitation, now)
            else:
                if invitation.recipient_id != actor_id:
                    raise errors.NotInvitationRecipient()
                _check_pending(invitation)
                if result == InvitationStatus.ACCEPTED:
                    changed = await self._accept(tx, invitation, now)
                    await tx.conversations.set_recent_peers([(actor_id, invitation.sender_id)], now)
                else:
                    changed = await end_declined(tx, invitation, now)
            other = await existing_member(
                tx,
                invitation.sender_id
                if invitation.recipient_id == actor_id
                else invitation.recipient_id,
            )
            copies = await self._copies(tx, invitation.id, actor_id)
        if result == InvitationStatus.ACCEPTED:
            await connection_changed(self._d, changed.sender_id, changed.recipient_id, added=True)
        return InvitationAnswer(
            result=result, item=self._view(actor_id, changed, other), copies=copies
        )

    async def _between(
        self, tx: UnitOfWork, actor_id: int, other_id: int, result: InvitationStatus
    ) -> Invitation:
        """The invitation an answer by member means: to withdraw, the actor's own to them;
        otherwise theirs to the actor (if only the actor's own is waiting, say so)."""
        if result == InvitationStatus.WITHDRAWN:
            invitation = await outstanding(tx, actor_id, other_id)
        else:
            invitation = await tx.invitations.pending(other_id, actor_id)
            if invitation is None and await outstanding(tx, actor_id, other_id):
                other = await existing_member(tx, other_id)
                raise errors.OwnInvitation(handle=other.handle)
        if invitation is None:
            raise errors.InvitationNotFound()
        return invitation

    async def _withdraw(
        self, tx: UnitOfWork, actor_id: int, invitation: Invitation, now: datetime
    ) -> Invitation:
        if invitation.sender_id != actor_id:
            raise errors.InvitationNotFound()
        _check_pending(as_seen(invitation, actor_id))
        await tx.invitations.set_status(invitation.id, InvitationStatus.WITHDRAWN, now)
        return invitation.model_copy(
            update={"status": InvitationStatus.WITHDRAWN, "responded_at": now}
        )

    async def _copies(
        self, tx: UnitOfWork, invitation_id: int, actor_id: int
    ) -> list[tuple[int, int]]:
        return (await tx.invitations.copies(invitation_id, actor_id))[-MAX_COPIES:]

    async def to_answer(self, actor_id: int, sender_id: int) -> Invitation:
        """The invitation `sender_id` sent the actor, for them to answer (`/accept @x`). If
        the only one between them is the actor's own, say so: the other has to answer."""
        async with self._d.store.transaction() as tx:
            invitation = await tx.invitations.pending(sender_id, actor_id)
            if invitation is None and await outstanding(tx, actor_id, sender_id):
                other = await existing_member(tx, sender_id)
                raise errors.OwnInvitation(handle=other.handle)
        if invitation is None:
            raise errors.InvitationNotFound()
        return invitation

    async def sent_to(self, actor_id: int, recipient_id: int) -> Invitation:
        """The actor's invitation to `recipient_id` that is waiting as far as they know."""
        async with self._d.store.transaction() as tx:
            invitation = await outstanding(tx, actor_id, recipient_id)
        if invitation is None:
            raise errors.InvitationNotFound()
        return as_seen(invitation, actor_id)

    async def get_for(self, actor_id: int, invitation_id: int) -> Invitation:
        """An invitation the actor sent or received, as they may see it; anyone else's
        doesn't exist for them."""
        async with self._d.store.transaction() as tx:
            invitation = await tx.invitations.get(invitation_id)
        if invitation is None or actor_id not in (invitation.sender_id, invitation.recipient_id):
            raise errors.InvitationNotFound()
        return as_seen(invitation, actor_id)

    async def view(self, actor_id: int, invitation_id: int) -> InvitationView:
        """One invitation of the actor's and its other member, as the actor may see them."""
        invitation = await self.get_for(actor_id, invitation_id)
        other_id = (
            invitation.recipient_id if invitation.sender_id == actor_id else invitation.sender_id
        )
        async with self._d.store.transaction() as tx:
            other = await existing_member(tx, other_id)
        return self._view(actor_id, invitation, other)

    async def received(self, actor_id: int) -> list[InvitationView]:
        async with self._d.store.transaction() as tx:
            invitations = await tx.invitations.received(actor_id, InvitationStatus.PENDING)
            others = await tx.members.get_many(i.sender_id for i in invitations)
        return [self._view(actor_id, i, others[i.sender_id]) for i in invitations]

    async def sent(self, actor_id: int) -> list[InvitationView]:
        """The actor's invitations waiting for an answer, as far as they know: declined ones
        included, shown as pending (`seen_status`)."""
        async with self._d.store.transaction() as tx:
            invitations = [
                *await tx.invitations.sent(actor_id, InvitationStatus.PENDING),
                *await tx.invitations.sent(actor_id, InvitationStatus.DECLINED),
            ]
            waiting = [
                i
                for i in invitations
                if i.status == InvitationStatus.PENDING
                or await outstanding(tx, actor_id, i.recipient_id) == i
            ]
            others = await tx.members.get_many(i.recipient_id for i in waiting)
        waiting.sort(key=lambda i: (i.created_at, i.id), reverse=True)
        return [self._view(actor_id, i, others[i.recipient_id]) for i in waiting]

    def _view(self, actor_id: int, invitation: Invitation, other: Member) -> InvitationView:
        return InvitationView(
            invitation=as_seen(invitation, actor_id),
            other=self.counterpart(actor_id, invitation, other),
        )

    def counterpart(self, actor_id: int, invitation: Invitation, other: Member) -> MemberView:
        """The other member of an invitation as the actor may see them (`counterpart`)."""
        return counterpart(self._d.graph, actor_id, invitation, other)

    async def record_copies(
        self, invitation_id: int, member_id: int, messages: list[tuple[int, int]]
    ) -> None:
        """Remember the chat messages (chat id, message id) showing an invitation with its
        buttons to a member, so that answering it anywhere updates them all."""
        async with self._d.store.transaction() as tx:
            for chat_id, message_id in messages:
                await tx.invitations.add_copy(invitation_id, member_id, chat_id, message_id)

    async def copies(self, actor_id: int, invitation_id: int) -> list[tuple[int, int]]:
        """The latest chat messages showing this invitation to the actor (see MAX_COPIES)."""
        async with self._d.store.transaction() as tx:
            return await self._copies(tx, invitation_id, actor_id)

    async def _received(self, tx: UnitOfWork, actor_id: int, invitation_id: int) -> Invitation:
        invitation = await tx.invitations.get(invitation_id)
        if invitation is None:
            raise errors.InvitationNotFound()
        if invitation.recipient_id != actor_id:
            raise errors.NotInvitationRecipient()
        _check_pending(invitation)
        return invitation


def _check_pending(invitation: Invitation) -> None:
    if invitation.status != InvitationStatus.PENDING:
        raise errors.InvitationNotPending(status=invitation.status.value)
