"""Writing a message into a conversation and keeping both members' counters true.

Every message goes through `post_message`, so "unread count = messages from the other side
after my last-read message" holds by construction (property-tested).
"""

from __future__ import annotations

from datetime import datetime

from bridge.core import counters, errors
from bridge.core.models import (
    Attachment,
    Conversation,
    ConversationState,
    InMailStatus,
    Mailbox,
    Message,
    MessageKind,
    NotificationKind,
)
from bridge.core.owed import notify
from bridge.storage.port import UnitOfWork


async def post_message(
    tx: UnitOfWork,
    conversation: Conversation,
    sender_id: int,
    now: datetime,
    *,
    kind: MessageKind,
    text: str | None,
    subject: str | None = None,
    attachment: Attachment | None = None,
    reply_to_id: int | None = None,
    forwarded_from_id: int | None = None,
    read_by_recipient: bool = False,
    unseen_by_recipient: bool = False,
    sales: bool = False,
) -> tuple[Message, ConversationState]:
    """Store a message and update the conversation and both sides' state; returns the
    message and the recipient's new state.

    ``unseen_by_recipient``: a message in the thread of an invitation its recipient declined
    (`messaging.open_route`): its writer sees it sent, the decliner never sees it —
    read at once, and cleared with the thread if they no longer have it.

    ``sales``: the sender has a sales mailbox (`Rules.has_sales_mailbox`): a conversation
    they start, and their InMail, go there for them (the other side sees it as any other)."""
    starts = conversation.last_message_id is None
    message = await tx.messages.add(
        conversation.id,
        sender_id,
        now,
        kind=kind,
        text=text,
        subject=subject,
        attachment=attachment,
        reply_to_id=reply_to_id,
        forwarded_from_id=forwarded_from_id,
    )
    conversation.last_message_id = message.id
    conversation.last_activity_at = now
    await tx.conversations.save(conversation)
    # Someone wrote: a follow-up reminder on this conversation is moot (`core.reminders`).
    await tx.reminders.cancel_conversation(conversation.id, now)

    states = await tx.conversations.states(conversation.id)  # both sides' in one read
    mine = states[sender_id]
    counters.wrote(mine, message.id, now)
    if sales and (starts or kind == MessageKind.INMAIL):
        mine.mailbox = Mailbox.SALES
    await tx.conversations.save_state(mine)

    theirs = states[conversation.other(sender_id)]
    if unseen_by_recipient:
        counters.received_unseen(theirs, message.id)
        await tx.conversations.save_state(theirs)
        return message, theirs
    counters.received(
        theirs, message.id, now, inmail=kind == MessageKind.INMAIL, read=read_by_recipient
    )
    # One more unread: counted in SQL, so that two workers' messages at once both count.
    await tx.conversations.save_state(theirs, unread_delta=0 if read_by_recipient else 1)
    if not read_by_recipient:
        await notify(
            tx, theirs.member_id, NotificationKind.MESSAGE, message.id, now, sender_id=sender_id
        )
    return message, theirs


async def participant_conversation(
    tx: UnitOfWork, actor_id: int, conversation_id: int
) -> Conversation:
    """The conversation, if the actor is in it; a foreign id is indistinguishable from none."""
    conversation = await tx.conversations.get(conversation_id)
    if conversation is None or actor_id not in (conversation.member_a, conversation.member_b):
        raise errors.ConversationNotFound()
    return conversation


async def participant_message(tx: UnitOfWork, actor_id: int, message_id: int) -> Message:
    message = await tx.messages.get(message_id)
    if message is None:
        raise errors.MessageNotFound()
    conversation = await tx.conversations.get(message.conversation_id)
    if conversation is None or actor_id not in (conversation.member_a, conversation.member_b):
        raise errors.MessageNotFound()
    state = await tx.conversations.state(conversation.id, actor_id)
    if message.id <= state.cleared_through:
        raise errors.MessageNotFound()
    return message


async def contacted_in(tx: UnitOfWork, conversation: Conversation, member_id: int) -> bool:
    """Whether the other member of this conversation contacted `member_id` in it (wrote to
    them, or invited them): then they showed who they are (`views.member_view`)."""
    other = conversation.other(member_id)
    if conversation.invitation_id is not None:
        invitation = await tx.invitations.get(conversation.invitation_id)
        if invitation is not None and invitation.sender_id == other:
            return True
    if conversation.inmail_id is not None:
        # An InMail sent by `other`, or answered with interest by them, shows who they are.
        inmail = await tx.inmails.get(conversation.inmail_id)
        if inmail is not None and (
            inmail.sender_id == other
            or (
                inmail.recipient_id == other
                and inmail.status in (InMailStatus.INTERESTED, InMailStatus.REPLIED)
            )
        ):
            return True
    return bool(await tx.messages.written_to(member_id, [conversation.id]))
