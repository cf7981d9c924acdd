"""/stats: a member's last 90 days (invitations, replies, InMails) and, for admins, the
network's. One use case each, so that the picture and the text under it show the same
figures."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from statistics import median

from bridge.core.deps import CoreDeps
from bridge.core.members import require_admin
from bridge.core.models import Member, MemberStats, NetworkStats, NotificationStatus

STATS_DAYS = 90
NETWORK_DAYS = 30


class Stats:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def member(self, member_id: int) -> MemberStats:
        since = self._d.clock.now() - timedelta(days=STATS_DAYS)
        async with self._d.store.read() as tx:
            sent, accepted = await tx.stats.invitations_sent(member_id, since)
            messages = await tx.stats.conversation_messages(member_id, since)
            inmails, answered = await tx.stats.inmails_sent(member_id, since)
        received, waits = reply_waits(member_id, messages)
        return MemberStats(
            days=STATS_DAYS,
            invitations_sent=sent,
            invitations_accepted=accepted,
            messages_received=received,
            messages_answered=len(waits),
            median_reply_seconds=median(waits) if waits else None,
            inmails_sent=inmails,
            inmails_answered=answered,
        )

    async def network(self, actor: Member) -> NetworkStats:
        """Admins only (authorized here, against the acting member)."""
        require_admin(self._d, actor)
        today = self._d.clock.now().astimezone(UTC).date()
        first = today - timedelta(days=NETWORK_DAYS - 1)
        async with self._d.store.read() as tx:
            members = await tx.members.count()
            connections = await tx.stats.connections()
            per_day = await tx.stats.messages_per_day(datetime.combine(first, time(), UTC))
            counts = await tx.outbox.counts()
        days = [(first + timedelta(days=i)).isoformat() for i in range(NETWORK_DAYS)]
        return NetworkStats(
            members=members,
            connections=connections,
            messages_per_day=[(day, per_day.get(day, 0)) for day in days],
            backlog=counts.get(NotificationStatus.PENDING, 0)
            + counts.get(NotificationStatus.HELD, 0),
        )


def reply_waits(
    member_id: int, messages: list[tuple[int, int, datetime]]
) -> tuple[int, list[float]]:
    """How many messages the member received, and for each one they answered, the seconds
    until their next message in that conversation: one pass backwards over each
    conversation's messages (in order), remembering the member's next message."""
    received, waits = 0, []
    conversation, next_reply = None, None
    for conversation_id, sender_id, at in reversed(messages):
        if conversation_id != conversation:
            conversation, next_reply = conversation_id, None
        if sender_id == member_id:
            next_reply = at
            continue
        received += 1
        if next_reply is not None:
            waits.append((next_reply - at).total_seconds())
    return received, waits
