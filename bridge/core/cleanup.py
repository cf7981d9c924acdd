"""Acting on many conversations or invitations at once, after a confirmation: mark
everything read, archive what has been quiet for N days, withdraw invitations left
pending for more than N days.

`preview` counts what an action would change, for the question ("Archive 12
conversations…?"); `apply` does it in one transaction and says how many it changed. The
confirmation carries only the action and its days, never ids: what it changes is what is due
when it is pressed, checked against the member who pressed it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.inbox import Inbox
from bridge.core.invitation_status import outstanding
from bridge.core.members import existing_member
from bridge.core.models import Invitation, InvitationStatus, Model
from bridge.storage.port import UnitOfWork

MIN_DAYS, MAX_DAYS = 1, 3650
DEFAULT_DAYS = 30


class BulkAction(StrEnum):
    READ_ALL = "read"  # every unread message (spam aside)
    ARCHIVE_QUIET = "archive"  # inbox conversations with nothing new for N days
    WITHDRAW_OLD = "withdraw"  # invitations sent more than N days ago, still pending


class BulkCount(Model):
    """What an action changes (`preview`: would change; `apply`: changed)."""

    action: BulkAction
    days: int
    count: int
    people: int = 0  # READ_ALL: from how many people the unread messages are


def check_days(days: int) -> int:
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise errors.InvalidDays(value=days, min=MIN_DAYS, max=MAX_DAYS)
    return days


async def _old_invitations(tx: UnitOfWork, actor_id: int, before: datetime) -> list[Invitation]:
    """The actor's invitations sent before `before` that look pending to them (a declined
    one does, as long as it is the latest between the two: see `seen_status`)."""
    found = [i for i in await tx.invitations.sent(actor_id, InvitationStatus.PENDING)]
    for declined in await tx.invitations.sent(actor_id, InvitationStatus.DECLINED):
        if await outstanding(tx, actor_id, declined.recipient_id) == declined:
            found.append(declined)
    return [i for i in found if i.created_at < before]


class Cleanup:
    def __init__(self, deps: CoreDeps, inbox: Inbox) -> None:
        self._d = deps
        self._inbox = inbox

    def _before(self, days: int) -> datetime:
        return self._d.clock.now() - timedelta(days=check_days(days))

    async def preview(
        self, actor_id: int, action: BulkAction, days: int = DEFAULT_DAYS
    ) -> BulkCount:
        """How many conversations or invitations `action` would change now."""
        before = self._before(days)
        async with self._d.store.read() as tx:
            await existing_member(tx, actor_id)
            if action == BulkAction.READ_ALL:
                summary = await tx.conversations.unread_summary(actor_id)
                return BulkCount(
                    action=action, days=days, count=summary.messages, people=summary.people
                )
            if action == BulkAction.ARCHIVE_QUIET:
                count = await tx.conversations.count_quiet(actor_id, before)
            else:
                count = len(await _old_invitations(tx, actor_id, before))
        return BulkCount(action=action, days=days, count=count)

    async def apply(self, actor_id: int, action: BulkAction, days: int = DEFAULT_DAYS) -> BulkCount:
        """Do `action` on what is due now, in one transaction; how many it changed (a second
        press finds nothing left: 0)."""
        before, now = self._before(days), self._d.clock.now()
        if action == BulkAction.READ_ALL:
            changed = await self._inbox.mark_all_read(actor_id)
            return BulkCount(action=action, days=days, count=changed)
        async with self._d.store.transaction() as tx:
            await existing_member(tx, actor_id)
            if action == BulkAction.ARCHIVE_QUIET:
                count = await tx.conversations.archive_quiet(actor_id, before)
            else:
                old = await _old_invitations(tx, actor_id, before)
                for invitation in old:
                    await tx.invitations.set_status(invitation.id, InvitationStatus.WITHDRAWN, now)
                count = len(old)
        return BulkCount(action=action, days=days, count=count)
