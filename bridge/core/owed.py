"""Owing a member a notification: a row of the outbox, written inside the transaction of the
change that caused it (so a change is never committed without its news, nor the news
without the change).

Its own small module because every feature writes to the outbox and the outbox's planner
reads the members' notification settings (`bridge.core.notify`), which also write here:
keeping the writing apart lets both import it without importing each other.
"""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import NotificationKind
from bridge.storage.port import UnitOfWork

# The mark of a row waiting for the end of the member's quiet hours (`last_error`): such a
# row is re-planned as soon as the member changes their settings or shows up.
QUIET_HOURS = "quiet hours"


async def notify(
    tx: UnitOfWork,
    member_id: int,
    kind: NotificationKind,
    ref_id: int | None,
    now: datetime,
    payload: dict[str, object] | None = None,
    sender_id: int | None = None,
) -> int:
    """Owe `member_id` a notification; call inside the transaction that made the change."""
    return await tx.outbox.add(member_id, kind, ref_id, payload or {}, now, sender_id=sender_id)


async def replan_member(tx: UnitOfWork, member_id: int, now: datetime) -> int:
    """Make what the member's settings or absence held due now, for the worker to plan
    again with what is true now (settings just changed, or the member is back). Rows
    waiting for Telegram (429, 5xx back-off) keep their time."""
    return await tx.outbox.replan_member(member_id, now, QUIET_HOURS)
