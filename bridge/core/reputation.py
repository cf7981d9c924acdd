"""A sender's reputation, in a word, for whoever receives their invitation or InMail: were
they reported as spam, and how often are their invitations accepted and InMails answered
(the last 90 days, counted by one SQL aggregate: `MemberRepo.sender_record`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.core.models import Reputation, SenderRecord
from bridge.storage.port import UnitOfWork

WINDOW = timedelta(days=90)
MIN_SENT = 5  # fewer invitations and InMails than this: too few to say ("new")
USUALLY, SOMETIMES = 0.5, 0.2  # answered at least this share


def reputation_of(record: SenderRecord) -> Reputation:
    """The word for a record: reported first (a warning outweighs any rate), then "new"
    until there is enough to judge, then the share accepted or answered."""
    if record.spam_reports:
        return Reputation.REPORTED
    sent = record.invitations + record.inmails
    if sent < MIN_SENT:
        return Reputation.NEW
    rate = (record.accepted + record.answered_inmails) / sent
    if rate >= USUALLY:
        return Reputation.USUALLY_ANSWERED
    if rate >= SOMETIMES:
        return Reputation.SOMETIMES_ANSWERED
    return Reputation.RARELY_ANSWERED


async def sender_reputation(tx: UnitOfWork, sender_id: int, now: datetime) -> Reputation:
    return reputation_of(await tx.members.sender_record(sender_id, now - WINDOW))
