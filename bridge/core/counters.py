"""The unread-counter rules of one member's side of a conversation, as pure functions.

The use cases (`conversations.post_message`, the inbox actions, a decline) apply them to
the stored `ConversationState`; the seeder (`bridge.seed.inbox`) applies the very same
functions to the sides it simulates, so seeded counters are the ones the core would have
kept: unread count = messages from the other side after the read mark, and the inbox
summary = the sum over conversations (property-tested).

Message ids only need to grow with time within a conversation: the seeder passes positions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Side(Protocol):
    """One member's side of a conversation (`ConversationState` has these fields)."""

    unread_count: int
    last_read_message_id: int
    archived: bool
    deleted: bool
    cleared_through: int
    spam: bool
    inmail: bool
    last_activity_at: datetime


def wrote(side: Side, message_id: int, at: datetime) -> None:
    """The member wrote `message_id`. Writing in a conversation means having read it
    (LinkedIn clears it on reply too); it leaves the archive, and comes back if deleted."""
    side.last_read_message_id = message_id
    side.unread_count = 0
    side.archived = False
    side.deleted = False
    side.last_activity_at = at


def received(
    side: Side, message_id: int, at: datetime, *, inmail: bool = False, read: bool = False
) -> None:
    """The member received `message_id` (``read``: it is read on arrival). A member
    reported as spam stays in spam; anything else comes back from the archive or a
    deletion."""
    if read:
        side.last_read_message_id = message_id
        side.unread_count = 0
    else:
        side.unread_count += 1
    if not side.spam:
        side.archived = False
    side.deleted = False
    side.last_activity_at = at
    if inmail:
        side.inmail = True


def received_unseen(side: Side, message_id: int) -> None:
    """A message the member must never see (in the thread of an invitation they declined):
    read at once, and cleared with the thread if they no longer have it."""
    side.last_read_message_id = message_id
    side.unread_count = 0
    if side.deleted:
        side.cleared_through = message_id


def read_through(side: Side, last_message_id: int) -> None:
    """The member read the conversation up to its last message."""
    side.last_read_message_id = max(side.last_read_message_id, last_message_id)
    side.unread_count = 0


def deleted_through(side: Side, last_message_id: int) -> None:
    """Delete for me: the history up to the last message disappears for this member only,
    read and out of the archive."""
    side.deleted = True
    side.archived = False
    side.cleared_through = max(side.cleared_through, last_message_id)
    read_through(side, last_message_id)


def archived(side: Side, flag: bool = True) -> None:
    side.archived = flag


def reported_spam(side: Side, flag: bool = True) -> None:
    """The member's side is in spam (or back out of it); the report itself is a row."""
    side.spam = flag
