"""Messaging: who may write to whom, sending, editing, reactions and forwarding."""

from __future__ import annotations

from datetime import datetime

from bridge.core import errors
from bridge.core.contacts import contact_preview
from bridge.core.conversations import (
    contacted_in,
    participant_conversation,
    participant_message,
    post_message,
)
from bridge.core.credits import apply_renewals, record_response
from bridge.core.deps import CoreDeps
from bridge.core.invitations import check_can_invite, counterpart
from bridge.core.members import (
    check_not_blocked,
    existing_member,
    existing_pair,
    refuse_blocked,
)
from bridge.core.models import (
    Attachment,
    ChatCopy,
    Conversation,
    ConversationState,
    ConversationView,
    Degree,
    Delivery,
    InMail,
    InMailStatus,
    InvitationStatus,
    Member,
    MemberView,
    Message,
    MessageKind,
    NotificationKind,
    Reaction,
)
from bridge.core.owed import notify
from bridge.core.reputation import sender_reputation
from bridge.core.views import member_view
from bridge.storage.port import Route, UnitOfWork

MAX_REACTION_LENGTH = 16


class Messaging:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    def check_content(self, text: str | None, attachment: Attachment | None) -> None:
        if (text is None or not text.strip()) and attachment is None:
            raise errors.EmptyMessage()
        if text is not None and len(text) > self._d.rules.message_max:
            raise errors.MessageTooLong(limit=self._d.rules.message_max, length=len(text))

    async def send(
        self,
        actor_id: int,
        target_id: int,
        text: str | None,
        attachment: Attachment | None = None,
        reply_to_id: int | None = None,
        origin: tuple[int, int] | None = None,
    ) -> Delivery:
        """Send a message: to a connection, in a pending-invitation thread, or in an
        InMail thread that is open to the actor.

        ``origin`` (chat id, Telegram message id) is the member's own Telegram message: it is
        recorded in the same transaction, so that replies, edits and reactions find the stored
        message. It is not a de-duplication key: Telegram reuses message ids when a chat
        starts over (a new token, a restarted local server). A redelivered update is skipped
        by the intake, its effect and its record being one transaction (`storage.once`)."""
        self.check_content(text, attachment)
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        now = self._d.clock.now()
        async with self._d.store.transaction(snapshot=True) as tx:  # see `UndoWindow.send`
            return await self.post_in(
                tx, actor_id, target_id, now, text, attachment, reply_to_id, origin
            )

    async def post_in(
        self,
        tx: UnitOfWork,
        actor_id: int,
        target_id: int,
        now: datetime,
        text: str | None,
        attachment: Attachment | None = None,
        reply_to_id: int | None = None,
        origin: tuple[int, int] | None = None,
        pair: tuple[Member, Member] | None = None,
    ) -> Delivery:
        """`send`'s effect inside the caller's transaction (the undo window's release posts
        a held message this way, deleting its row in the same transaction); `pair`: the
        actor and the target, when the caller read them in this transaction."""
        delivery = await self._send(
            tx,
            actor_id,
            target_id,
            now,
            text=text,
            attachment=attachment,
            reply_to_id=reply_to_id,
            pair=pair,
        )
        if origin is not None:
            await tx.copies.add(
                ChatCopy(
                    message_id=delivery.message.id,
                    member_id=actor_id,
                    chat_id=origin[0],
                    telegram_message_id=origin[1],
                    is_original=True,
                )
            )
        return delivery

    async def send_in(
        self, tx: UnitOfWork, actor_id: int, target_id: int, text: str, now: datetime
    ) -> Delivery:
        """A text message inside the caller's transaction (a campaign's step): the same
        rules and notifications as `send`."""
        self.check_content(text, None)
        return await self._send(
            tx, actor_id, target_id, now, text=text, attachment=None, reply_to_id=None
        )

    async def _send(
        self,
        tx: UnitOfWork,
        actor_id: int,
        target_id: int,
        now: datetime,
        *,
        text: str | None,
        attachment: Attachment | None,
        reply_to_id: int | None,
        forwarded_from_id: int | None = None,
        pair: tuple[Member, Member] | None = None,
    ) -> Delivery:
        actor, target = pair or await existing_pair(tx, actor_id, target_id)
        conversation, answered, unseen = await route_to(self._d, tx, actor, target, now)
        if reply_to_id is not None:
            quoted = await tx.messages.get(reply_to_id)
            if quoted is None or quoted.conversation_id != conversation.id:
                reply_to_id = None
        message, state = await post_message(
            tx,
            conversation,
            actor_id,
            now,
            kind=MessageKind.MESSAGE,
            text=text,
            attachment=attachment,
            reply_to_id=reply_to_id,
            forwarded_from_id=forwarded_from_id,
            unseen_by_recipient=unseen,
            sales=self._d.rules.has_sales_mailbox(actor.plan),
        )
        if answered is not None:
            answered = await record_response(tx, answered, InMailStatus.REPLIED, self._d.rules, now)
        # The conversation each of them now has in front of them (see `hold_unaddressed`).
        await tx.conversations.set_recent_peers([(actor_id, target_id), (target_id, actor_id)], now)
        degree = Degree.from_distance(self._d.graph.distance(target_id, actor_id))
        # Whom one writes to stays masked by degree, unless they wrote to one first.
        contacted = degree <= Degree.SECOND or await contacted_in(tx, conversation, actor_id)
        return Delivery(
            message=message,
            conversation=conversation,
            sender=actor,
            recipient=target,
            sender_as_seen=member_view(actor, degree, contacted=True),
            recipient_as_seen=member_view(target, degree, contacted=contacted),
            recipient_state=state,
            answered_inmail=answered,
        )

    async def edit(self, actor_id: int, message_id: int, text: str) -> tuple[Message, int]:
        """Edit one's own message (the old text is kept); returns it and the other member."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            message = await participant_message(tx, actor_id, message_id)
            if message.sender_id != actor_id:
                raise errors.NotMessageAuthor()
            self.check_content(text, message.attachment)
            await tx.messages.edit(message_id, text, now)
            conversation = await tx.conversations.get(message.conversation_id)
            assert conversation is not None
            edited = await tx.messages.get(message_id)
            assert edited is not None
            await notify(tx, conversation.other(actor_id), NotificationKind.EDIT, message_id, now)
        return edited, conversation.other(actor_id)

    async def react(
        self, actor_id: int, message_id: int, emoji: str | None
    ) -> tuple[list[Reaction], int]:
        """Set, change or (with None) remove the actor's one reaction on a message."""
        if emoji is not None:
            emoji = emoji.strip()
            if not emoji or len(emoji) > MAX_REACTION_LENGTH or any(c.isalnum() for c in emoji):
                raise errors.InvalidReaction()
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            message = await participant_message(tx, actor_id, message_id)
            conversation = await tx.conversations.get(message.conversation_id)
            assert conversation is not None
            await check_not_blocked(tx, actor_id, conversation.other(actor_id))
            if emoji is None:
                await tx.messages.remove_reaction(message_id, actor_id)
            else:
                await tx.messages.set_reaction(message_id, actor_id, emoji, now)
            await notify(
                tx, conversation.other(actor_id), NotificationKind.REACTION, message_id, now
            )
            return await tx.messages.reactions(message_id), conversation.other(actor_id)

    async def forward(self, actor_id: int, message_id: int, target_id: int) -> Delivery:
        """Forward a message one can see to one of one's connections, marked with its author."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            original = await participant_message(tx, actor_id, message_id)
            if not await tx.connections.exists(actor_id, target_id):
                raise errors.NotAConnection()
            return await self._send(
                tx,
                actor_id,
                target_id,
                now,
                text=original.text,
                attachment=original.attachment,
                reply_to_id=None,
                forwarded_from_id=original.forwarded_from_id or original.sender_id,
            )

    async def conversation_by_id(self, actor_id: int, conversation_id: int) -> Conversation:
        """A conversation the actor is in (a foreign id does not exist for them)."""
        async with self._d.store.transaction() as tx:
            return await participant_conversation(tx, actor_id, conversation_id)

    async def conversation_of(self, actor_id: int, message_id: int) -> Conversation:
        """The conversation of a message the actor can see."""
        async with self._d.store.read() as tx:
            message = await participant_message(tx, actor_id, message_id)
            conversation = await tx.conversations.get(message.conversation_id)
        assert conversation is not None
        return conversation

    async def reactions_of(self, actor_id: int, message_id: int) -> list[Reaction]:
        async with self._d.store.transaction() as tx:
            await participant_message(tx, actor_id, message_id)
            return await tx.messages.reactions(message_id)

    async def latest_message_id(self, conversation_id: int) -> int | None:
        """The conversation's latest message (for a new invitation: its note), if any."""
        async with self._d.store.transaction() as tx:
            history = await tx.messages.history(conversation_id, 0, None, 1)
        return history[-1].id if history else None

    async def get_message(self, actor_id: int, message_id: int) -> Message:
        async with self._d.store.transaction() as tx:
            return await participant_message(tx, actor_id, message_id)

    async def conversation(
        self, actor_id: int, other_id: int, limit: int = 20, before_id: int | None = None
    ) -> ConversationView:
        """The actor's view of the conversation with a member: what they did not delete."""
        async with self._d.store.transaction() as tx:
            return await conversation_view(self._d, tx, actor_id, other_id, limit, before_id)

    async def open(self, actor_id: int, target_id: int) -> ConversationView:
        """Make the conversation with `target_id` the one plain messages go to (``/open``)."""
        async with self._d.store.transaction() as tx:
            await open_with(self._d, tx, actor_id, target_id, self._d.clock.now())
            return await conversation_view(self._d, tx, actor_id, target_id, limit=5)

    async def reply_to_invitation(self, actor_id: int, invitation_id: int) -> MemberView:
        """An invitation's Reply: its thread becomes the open conversation, without
        answering the invitation; returns its other member as the actor may see them."""
        async with self._d.store.transaction() as tx:
            invitation = await tx.invitations.get(invitation_id)
            if invitation is None or actor_id not in (
                invitation.sender_id,
                invitation.recipient_id,
            ):
                raise errors.InvitationNotFound()
            other_id = (
                invitation.sender_id
                if invitation.recipient_id == actor_id
                else invitation.recipient_id
            )
            other = await open_with(self._d, tx, actor_id, other_id, self._d.clock.now())
        return counterpart(self._d.graph, actor_id, invitation, other)

    async def reply_to_inmail(self, actor_id: int, inmail_id: int) -> ConversationView:
        """An InMail's Reply (its recipient's): its thread becomes the open conversation."""
        async with self._d.store.transaction() as tx:
            inmail = await tx.inmails.get(inmail_id)
            if inmail is None or inmail.recipient_id != actor_id:
                raise errors.InMailNotFound()
            await open_with(self._d, tx, actor_id, inmail.sender_id, self._d.clock.now())
            return await conversation_view(self._d, tx, actor_id, inmail.sender_id, limit=5)

    async def focus(self, actor_id: int, conversation_id: int) -> None:
        """The member acted in this conversation (read it, pressed one of its buttons): it
        is the one a message sent with no conversation open most likely belongs to."""
        async with self._d.store.transaction() as tx:
            conversation = await participant_conversation(tx, actor_id, conversation_id)
            await tx.conversations.set_recent_peers(
                [(actor_id, conversation.other(actor_id))], self._d.clock.now()
            )

    async def hold_unaddressed(
        self,
        actor_id: int,
        text: str | None,
        attachment: Attachment | None = None,
        origin: tuple[int, int] | None = None,
    ) -> tuple[int, MemberView] | None:
        """A message with no reply and no open conversation: when one conversation is the
        obvious one (the last the member read, answered or acted in) and they may write
        there, keep the message — in the database, it outlives a restart — and return its id
        and whom it would go to, for a one-tap "Send to …". None: no obvious conversation."""
        self.check_content(text, attachment)
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            peer_id = await tx.conversations.recent_peer(actor_id)
            if peer_id is None:
                return None
            actor = await existing_member(tx, actor_id)
            peer = await existing_member(tx, peer_id)
            try:
                await route_to(self._d, tx, actor, peer, now)
            except errors.BridgeError:
                return None
            held_id = await tx.messages.hold(actor_id, peer_id, text, attachment, origin, now)
            conversation = await tx.conversations.between(actor_id, peer_id)
            contacted = conversation is not None and await contacted_in(tx, conversation, actor_id)
        degree = Degree.from_distance(self._d.graph.distance(actor_id, peer_id))
        return held_id, member_view(peer, degree, contacted=contacted)

    async def send_held(self, actor_id: int, held_id: int) -> Delivery:
        """The "Send to …" button: send a held message, once (a second press finds it gone,
        and its Telegram origin guards against a redelivered update too)."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            held = await tx.messages.take_held(held_id, actor_id)
            if held is None or (
                held.origin is not None and await tx.copies.by_telegram(*held.origin) is not None
            ):
                raise errors.HeldMessageGone()
            delivery = await self._send(
                tx,
                actor_id,
                held.peer_id,
                now,
                text=held.text,
                attachment=held.attachment,
                reply_to_id=None,
            )
            if held.origin is not None:
                await tx.copies.add(
                    ChatCopy(
                        message_id=delivery.message.id,
                        member_id=actor_id,
                        chat_id=held.origin[0],
                        telegram_message_id=held.origin[1],
                        is_original=True,
                    )
                )
            return delivery

    async def close(self, actor_id: int) -> int | None:
        """Leave the open conversation; returns whom it was with."""
        async with self._d.store.transaction() as tx:
            actor = await existing_member(tx, actor_id)
            previous, actor.current_peer_id = actor.current_peer_id, None
            actor.awaiting = None  # /close also cancels a note or a field being written
            await tx.members.save(actor)
        return previous

    async def for_delivery(self, message_id: int, recipient_id: int) -> Delivery | None:
        """What the recipient's chat must show for a stored message; None when it no longer
        concerns them (not a participant, or a message they deleted)."""
        async with self._d.store.read() as tx:
            message = await tx.messages.get(message_id)
            if message is None:
                return None
            conversation = await tx.conversations.get(message.conversation_id)
            if conversation is None or recipient_id not in (
                conversation.member_a,
                conversation.member_b,
            ):
                return None
            recipient = await existing_member(tx, recipient_id)
            state = await tx.conversations.state(conversation.id, recipient_id)
            return await delivery_of(self._d, tx, message, conversation, recipient, state)

    async def record_copies(self, copies: list[ChatCopy]) -> None:
        """Remember where a message shows in Telegram, so replies, edits and reactions on
        that chat message find the stored one."""
        async with self._d.store.transaction() as tx:
            for copy in copies:
                await tx.copies.add(copy)

    async def message_for_copy(
        self, actor_id: int, chat_id: int, telegram_message_id: int
    ) -> Message | None:
        """The stored message behind a message in the actor's own chat, if any."""
        async with self._d.store.read() as tx:
            copy = await tx.copies.by_telegram(chat_id, telegram_message_id)
            if copy is None or copy.member_id != actor_id:
                return None
            return await tx.messages.get(copy.message_id)

    async def copies_of(self, message_id: int, member_id: int) -> list[ChatCopy]:
        async with self._d.store.transaction() as tx:
            return await tx.copies.of_message(message_id, member_id)


async def delivery_of(
    deps: CoreDeps,
    tx: UnitOfWork,
    message: Message,
    conversation: Conversation,
    recipient: Member,
    state: ConversationState,
    sender: Member | None = None,
) -> Delivery:
    """What the recipient's chat must show for a stored message, from the rows already
    read (the outbox's plan reads them to check the message is still shown, and the
    sender with them)."""
    if sender is None or sender.id != message.sender_id:
        sender = await existing_member(tx, message.sender_id)
    inmail, reputation = None, None
    if message.kind == MessageKind.INMAIL:
        inmail = await tx.inmails.latest_in_conversation(conversation.id)
        if inmail is not None and inmail.recipient_id == recipient.id:
            reputation = await sender_reputation(tx, sender.id, deps.clock.now())
    forwarded_from = None
    if message.forwarded_from_id is not None:
        forwarded_from = await tx.members.get(message.forwarded_from_id)
    degree = Degree.from_distance(deps.graph.distance(recipient.id, sender.id))
    return Delivery(
        message=message,
        conversation=conversation,
        sender=sender,
        recipient=recipient,
        sender_as_seen=member_view(sender, degree, contacted=True),
        recipient_state=state,
        inmail=inmail,
        sender_reputation=reputation,
        preview=await contact_preview(deps, tx, recipient.id, sender.id),
        # The original author did not write to this recipient: masked by degree.
        forwarded_from=(
            member_view(
                forwarded_from,
                Degree.from_distance(deps.graph.distance(recipient.id, forwarded_from.id)),
            )
            if forwarded_from
            else None
        ),
    )


async def route_to(
    deps: CoreDeps, tx: UnitOfWork, actor: Member, target: Member, now: datetime
) -> tuple[Conversation, InMail | None, bool]:
    """`members.check_not_blocked` then `open_route`, on one read of the blocks, the
    conversation, the connection and the InMail a reply would answer (`Route`)."""
    route = await tx.conversations.route(actor.id, target.id)
    refuse_blocked(target, you_blocked=route.you_blocked, they_blocked=route.they_blocked)
    return await open_route(deps, tx, actor, target, now, route)


async def open_route(
    deps: CoreDeps,
    tx: UnitOfWork,
    actor: Member,
    target: Member,
    now: datetime,
    route: Route | None = None,
) -> tuple[Conversation, InMail | None, bool]:
    """The conversation the actor may write in, the InMail a reply would answer, and
    whether what they write stays unseen (the thread of an invitation its recipient
    declined, which its sender is never told about: `invitation_status.seen_status`).

    The four ways: a 1st-degree connection, an introduction by a common connection, a
    pending invitation's thread, an InMail thread (the recipient may always answer; the
    sender again once answered). `route`: what `ConversationRepo.route` read (else read here).
    """
    if route is None:
        route = await tx.conversations.route(actor.id, target.id)
    conversation = route.conversation
    if route.connected:
        if conversation is None:
            conversation = await tx.conversations.create(actor.id, target.id, now)
            return conversation, None, False
        answered = (
            await tx.inmails.get(route.open_inmail_id) if route.open_inmail_id is not None else None
        )
        return conversation, answered, False
    if await tx.introductions.forwarded_between(actor.id, target.id):
        if conversation is None:
            conversation = await tx.conversations.create(actor.id, target.id, now)
        return conversation, None, False
    if conversation is not None:
        inmail = await tx.inmails.latest_in_conversation(conversation.id)
        if inmail is not None and inmail.recipient_id == actor.id:
            open_one = inmail if inmail.status == InMailStatus.SENT else None
            return conversation, open_one, False
        if inmail is not None and inmail.status in (InMailStatus.INTERESTED, InMailStatus.REPLIED):
            return conversation, None, False
        if conversation.invitation_id is not None:
            invitation = await tx.invitations.get(conversation.invitation_id)
            if invitation is not None and invitation.status == InvitationStatus.PENDING:
                return conversation, None, False
            if invitation is not None and invitation.status == InvitationStatus.DECLINED:
                if invitation.sender_id == actor.id:  # never told: it looks pending
                    return conversation, None, True
                raise errors.ThreadClosed()
        if inmail is not None:
            raise errors.InMailThreadClosed(status=inmail.status.value)
    raise errors.NotConnected(ways=await _ways(deps, tx, actor, target, now))


async def _ways(
    deps: CoreDeps, tx: UnitOfWork, actor: Member, target: Member, now: datetime
) -> list[str]:
    """How the actor could reach a member they may not write to: invite, InMail."""
    ways = []
    try:
        await check_can_invite(deps, tx, actor, target, now)
        ways.append("invite")
    except errors.BridgeError:
        pass
    await apply_renewals(tx, actor, deps.rules, now)
    if not target.inmail_opt_out and actor.credits > 0:
        ways.append("inmail")
    return ways


async def open_with(
    deps: CoreDeps, tx: UnitOfWork, actor_id: int, target_id: int, now: datetime
) -> Member:
    """Make the conversation with `target_id` the actor's open one, if they may write
    there; returns the target."""
    if actor_id == target_id:
        raise errors.CannotTargetSelf()
    actor = await existing_member(tx, actor_id)
    target = await existing_member(tx, target_id)
    await route_to(deps, tx, actor, target, now)
    actor.current_peer_id = target_id
    actor.awaiting = None  # plain text now goes to this conversation
    await tx.members.save(actor)
    await tx.conversations.set_recent_peers([(actor_id, target_id)], now)
    return target


async def conversation_view(
    deps: CoreDeps,
    tx: UnitOfWork,
    actor_id: int,
    other_id: int,
    limit: int = 20,
    before_id: int | None = None,
) -> ConversationView:
    """The actor's view of the conversation with a member: what they did not delete, and
    whether they may write there now."""
    other = await existing_member(tx, other_id)
    conversation = await tx.conversations.between(actor_id, other_id)
    if conversation is None:
        raise errors.ConversationNotFound()
    state = await tx.conversations.state(conversation.id, actor_id)
    messages = await tx.messages.history(conversation.id, state.cleared_through, before_id, limit)
    actor = await existing_member(tx, actor_id)
    try:
        await route_to(deps, tx, actor, other, deps.clock.now())
        can_send = True
    except errors.BridgeError:
        can_send = False
    contacted = await contacted_in(tx, conversation, actor_id)
    degree = Degree.from_distance(deps.graph.distance(actor_id, other_id))
    return ConversationView(
        conversation=conversation,
        state=state,
        other=member_view(other, degree, contacted=contacted),
        messages=messages,
        can_send=can_send,
        preview=await contact_preview(deps, tx, actor_id, other_id),
    )
