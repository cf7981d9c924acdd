"""How an invitation looks to each of its members, and which one stands between two
members: the silent-decline rule, read by invitations, blocking, profiles and messaging.

Its own module so that blocking (`bridge.core.members`) can end what stands between two
members without importing the invitations use cases, which import members.
"""

from __future__ import annotations

from bridge.core.models import Invitation, InvitationStatus
from bridge.storage.port import UnitOfWork


def seen_status(invitation: Invitation, viewer_id: int) -> InvitationStatus:
    """How an invitation appears to a member of it.

    The rule, as on LinkedIn: declining is silent. To its sender a declined invitation
    stays pending until they withdraw it, and nothing they can do reveals the decline
    (their messages in its thread go on being "sent", their profile card offers Withdraw,
    inviting again says it is already waiting)."""
    if invitation.status == InvitationStatus.DECLINED and viewer_id == invitation.sender_id:
        return InvitationStatus.PENDING
    return invitation.status


def as_seen(invitation: Invitation, viewer_id: int) -> Invitation:
    """The invitation with its status as `viewer_id` may know it."""
    status = seen_status(invitation, viewer_id)
    return (
        invitation
        if status == invitation.status
        else invitation.model_copy(update={"status": status, "responded_at": None})
    )


async def outstanding(tx: UnitOfWork, sender_id: int, recipient_id: int) -> Invitation | None:
    """The invitation `sender_id` sent to `recipient_id` that looks pending to its sender:
    the pending one, or the latest closed one if that was declined (not withdrawn)."""
    pending = await tx.invitations.pending(sender_id, recipient_id)
    if pending is not None:
        return pending
    closed = await tx.invitations.last_closed(sender_id, recipient_id)
    if closed is not None and seen_status(closed, sender_id) == InvitationStatus.PENDING:
        return closed
    return None
