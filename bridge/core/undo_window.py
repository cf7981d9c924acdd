"""The undo window (off by default; /settings, up to 30 seconds): a member's message waits,
seen by nobody else, until its window ends; Undo within it and it never existed.

Waiting messages live in the database (`outgoing`), not in memory: a restart during the
window loses nothing, and a window that ended while the bot was down ends at start. Whoever
takes the row — the release (`release_due`, a JobQueue tick) or Undo — deletes it in the
transaction of its effect, so a message leaves once or not at all.
"""

from __future__ import annotations

from datetime import timedelta

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member, existing_pair
from bridge.core.messaging import Messaging, route_to
from bridge.core.models import Attachment, Degree, Delivery, MemberView, Model, Outgoing
from bridge.core.views import member_view

MAX_UNDO_SECONDS = 30
UNDO_CHOICES = (0, 5, 10, 30)  # the /settings buttons (any 0–30 by /undo_window)


class Queued(Model):
    """A message held in its undo window, and its recipient as the sender may see them."""

    outgoing: Outgoing
    recipient: MemberView


class Released(Model):
    """A held message whose window ended: posted (`delivery`), or refused by what changed
    meanwhile (`refused`: an error code, e.g. they blocked the sender)."""

    outgoing: Outgoing
    delivery: Delivery | None = None
    refused: str | None = None


def check_undo_seconds(seconds: int) -> int:
    if not 0 <= seconds <= MAX_UNDO_SECONDS:
        raise errors.InvalidSetting(
            setting="undo_seconds", value=str(seconds)[:20], choices=["0–30", "off"]
        )
    return seconds


class UndoWindow:
    def __init__(self, deps: CoreDeps, messaging: Messaging) -> None:
        self._d = deps
        self._messaging = messaging

    async def send(
        self,
        actor_id: int,
        target_id: int,
        text: str | None,
        attachment: Attachment | None = None,
        reply_to_id: int | None = None,
        origin: tuple[int, int] | None = None,
    ) -> Delivery | Queued:
        """Send now (no undo window), or hold the message for the actor's window — after
        every check sending makes, so what is held would go. One transaction either way:
        the actor's window is read with them, in it."""
        self._messaging.check_content(text, attachment)
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        now = self._d.clock.now()
        # A relay needs only a snapshot (`Store.transaction`): what it decides on — the
        # route, blocks, the undo window — may change at the same moment without making it
        # wrong, its counters are increments, and its once-only rows have unique keys.
        async with self._d.store.transaction(snapshot=True) as tx:
            actor, target = await existing_pair(tx, actor_id, target_id)
            if not actor.undo_seconds:
                return await self._messaging.post_in(
                    tx,
                    actor_id,
                    target_id,
                    now,
                    text,
                    attachment,
                    reply_to_id,
                    origin,
                    pair=(actor, target),
                )
            await route_to(self._d, tx, actor, target, now)
            outgoing = await tx.messages.queue(
                actor_id,
                target_id,
                text,
                attachment,
                reply_to_id,
                origin,
                now + timedelta(seconds=actor.undo_seconds),
                now,
            )
        degree = Degree.from_distance(self._d.graph.distance(actor_id, target_id))
        return Queued(outgoing=outgoing, recipient=member_view(target, degree, typed_handle=True))

    async def confirmation_shown(self, outgoing_id: int, chat_id: int, message_id: int) -> None:
        """Where "Sending… Undo" is, for the release to turn it into "Sent"."""
        async with self._d.store.transaction() as tx:
            await tx.messages.set_confirmation(outgoing_id, chat_id, message_id)

    async def undo(self, actor_id: int, outgoing_id: int) -> Outgoing:
        """Undo: the held message never leaves. Too late once it left (or not theirs)."""
        async with self._d.store.transaction() as tx:
            taken = await tx.messages.take_outgoing(outgoing_id, actor_id)
        if taken is None:
            raise errors.UndoTooLate()
        return taken

    async def release_due(self, limit: int = 50) -> list[Released]:
        """Post every held message whose window ended, each in its own transaction with the
        deletion of its row (so once, whoever else tries)."""
        now = self._d.clock.now()
        async with self._d.store.read() as tx:
            due = await tx.messages.due_outgoing(now, limit)
        released = []
        for waiting in due:
            async with self._d.store.transaction() as tx:
                taken = await tx.messages.take_outgoing(waiting.id)
                if taken is None:
                    continue  # undone, or released by someone else meanwhile
                origin = (
                    (taken.origin_chat_id, taken.origin_message_id)
                    if taken.origin_chat_id is not None and taken.origin_message_id is not None
                    else None
                )
                try:
                    delivery = await self._messaging.post_in(
                        tx,
                        taken.sender_id,
                        taken.target_id,
                        now,
                        taken.text,
                        taken.attachment,
                        taken.reply_to_id,
                        origin,
                    )
                    released.append(Released(outgoing=taken, delivery=delivery))
                except errors.BridgeError as refused:  # checks come before any write
                    released.append(Released(outgoing=taken, refused=refused.code))
        return released

    async def set_seconds(self, actor_id: int, seconds: int) -> int:
        """The actor's undo window, 0 (off) to 30 seconds."""
        check_undo_seconds(seconds)
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, actor_id)
            member.undo_seconds = seconds
            await tx.members.save(member)
        return seconds
