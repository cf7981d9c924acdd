"""/delete_account: a member leaves the network for good.

In one transaction: their connections end (nobody is told), invitations they sent are
withdrawn and those they received expire, and their row is erased (`MemberRepo.erase`):
no name, handle, profile, Telegram identity or settings are left. The messages they wrote
stay in the other members' threads (those are the other members' conversations too), from
a "Former member" (`views.member_view`). Nothing reaches them afterwards: every kind of
contact is refused (`members.check_not_blocked`: `MemberLeft`) and whatever the outbox
still owed them is skipped (`Outbox.plan`). A later /start from the same Telegram account
makes a new member.
"""

from __future__ import annotations

from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member
from bridge.core.models import InvitationStatus


class Leaving:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def leave(self, actor_id: int) -> int:
        """Erase the actor's account; returns how many connections ended."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            await existing_member(tx, actor_id)
            connections: list[int] = []
            while batch := await tx.connections.list(actor_id, len(connections), 500):
                connections += batch
            for other in connections:
                await tx.connections.remove(actor_id, other)
            for sent in await tx.invitations.sent(actor_id, InvitationStatus.PENDING):
                await tx.invitations.set_status(sent.id, InvitationStatus.WITHDRAWN, now)
            for received in await tx.invitations.received(actor_id, InvitationStatus.PENDING):
                # Expired, the neutral end: declined would look pending to its sender forever.
                await tx.invitations.set_status(received.id, InvitationStatus.EXPIRED, now)
            await tx.members.erase(actor_id, now)
        for other in connections:
            self._d.graph.remove_edge(actor_id, other)
        return len(connections)
