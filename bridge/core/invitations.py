"""Invitations (connection requests): invite with a note, accept, decline, withdraw."""

from __future__ import annotations

from datetime import datetime

from bridge.core import errors
from bridge.core.conversations import post_message
from bridge.core.deps import CoreDeps
from bridge.core.members import check_not_blocked, existing_member
from bridge.core.models import (
    Degree,
    Invitation,
    InvitationStatus,
    InvitationView,
    InviteOutcome,
    InvitePolicy,
    Member,
    MessageKind,
    NotificationKind,
)
from bridge.core.outbox import notify
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork


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
    if await tx.invitations.pending(actor.id, target.id):
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


class Invitations:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def invite(self, actor_id: int, target_id: int, note: str | None) -> InviteOutcome:
        """Send an invitation; if the target had already invited us, accept theirs instead."""
        note = (note or "").strip() or None
        if note is not None and len(note) > self._d.rules.note_max:
            raise errors.NoteTooLong(limit=self._d.rules.note_max, length=len(note))
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            actor = await existing_member(tx, actor_id)
            target = await existing_member(tx, target_id)
            await check_not_blocked(tx, actor_id, target_id)
            if await tx.connections.exists(actor_id, target_id):
                raise errors.AlreadyConnected()
            theirs = await tx.invitations.pending(target_id, actor_id)
            if theirs is not None:
                outcome = InviteOutcome(
                    invitation=await self._accept(tx, theirs, now), accepted_theirs=True
                )
                if note is not None:
                    conversation = await tx.conversations.get(theirs.conversation_id)
                    assert conversation is not None
                    await post_message(tx, conversation, actor_id, now,
                                       kind=MessageKind.MESSAGE, text=note)
            else:
                outcome = InviteOutcome(
                    invitation=await self._create(tx, actor, target, note, now)
                )
        if outcome.accepted_theirs:
            self._d.graph.add_edge(actor_id, target_id)
        return outcome

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
            await post_message(tx, conversation, actor.id, now, kind=MessageKind.NOTE,
                               text=note, read_by_recipient=True)
        return invitation

    async def accept(self, actor_id: int, invitation_id: int) -> Invitation:
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            invitation = await self._received(tx, actor_id, invitation_id)
            accepted = await self._accept(tx, invitation, now)
        self._d.graph.add_edge(accepted.sender_id, accepted.recipient_id)
        return accepted

    async def _accept(self, tx: UnitOfWork, invitation: Invitation, now: datetime) -> Invitation:
        await tx.invitations.set_status(invitation.id, InvitationStatus.ACCEPTED, now)
        await tx.connections.add(invitation.sender_id, invitation.recipient_id, now)
        await notify(tx, invitation.sender_id, NotificationKind.ACCEPTED, invitation.id, now)
        # The caller adds the edge to the graph index once this transaction has committed.
        return invitation.model_copy(
            update={"status": InvitationStatus.ACCEPTED, "responded_at": now}
        )

    async def decline(self, actor_id: int, invitation_id: int) -> Invitation:
        """Decline; the sender is not told, and the thread closes for both."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            invitation = await self._received(tx, actor_id, invitation_id)
            await tx.invitations.set_status(invitation.id, InvitationStatus.DECLINED, now)
        return invitation.model_copy(
            update={"status": InvitationStatus.DECLINED, "responded_at": now}
        )

    async def withdraw(self, actor_id: int, invitation_id: int) -> Invitation:
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            invitation = await tx.invitations.get(invitation_id)
            if invitation is None or invitation.sender_id != actor_id:
                raise errors.InvitationNotFound()
            _check_pending(invitation)
            await tx.invitations.set_status(invitation.id, InvitationStatus.WITHDRAWN, now)
        return invitation.model_copy(
            update={"status": InvitationStatus.WITHDRAWN, "responded_at": now}
        )

    async def pending_from(self, sender_id: int, recipient_id: int) -> Invitation:
        """The pending invitation `sender_id` sent to `recipient_id` (for `/accept @handle`)."""
        async with self._d.store.transaction() as tx:
            invitation = await tx.invitations.pending(sender_id, recipient_id)
        if invitation is None:
            raise errors.InvitationNotFound()
        return invitation

    async def get_for(self, actor_id: int, invitation_id: int) -> Invitation:
        """An invitation the actor sent or received; anyone else's doesn't exist for them."""
        async with self._d.store.transaction() as tx:
            invitation = await tx.invitations.get(invitation_id)
        if invitation is None or actor_id not in (invitation.sender_id, invitation.recipient_id):
            raise errors.InvitationNotFound()
        return invitation

    async def received(self, actor_id: int) -> list[InvitationView]:
        async with self._d.store.transaction() as tx:
            invitations = await tx.invitations.received(actor_id, InvitationStatus.PENDING)
            others = await tx.members.get_many(i.sender_id for i in invitations)
        return [self._view(actor_id, i, others[i.sender_id]) for i in invitations]

    async def sent(self, actor_id: int) -> list[InvitationView]:
        async with self._d.store.transaction() as tx:
            invitations = await tx.invitations.sent(actor_id, InvitationStatus.PENDING)
            others = await tx.members.get_many(i.recipient_id for i in invitations)
        return [self._view(actor_id, i, others[i.recipient_id]) for i in invitations]

    def _view(self, actor_id: int, invitation: Invitation, other: Member) -> InvitationView:
        degree = Degree.from_distance(self._d.graph.distance(actor_id, other.id))
        return InvitationView(invitation=invitation,
                              other=member_view(other, degree, reveal=True))

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
