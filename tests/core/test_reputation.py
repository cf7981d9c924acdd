"""A sender's reputation in a word, for the recipient of their invitation or InMail: from
one aggregate over the last 90 days (invitations accepted, InMails answered, spam reports)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Reputation, SenderRecord
from bridge.core.reputation import reputation_of
from tests.conftest import MakeMember, connect


@pytest.mark.parametrize(
    ("record", "word"),
    [
        ((0, 0, 0, 0, 0), Reputation.NEW),
        ((4, 4, 0, 0, 0), Reputation.NEW),
        ((10, 10, 0, 0, 1), Reputation.REPORTED),
        ((6, 3, 0, 0, 0), Reputation.USUALLY_ANSWERED),
        ((3, 1, 2, 1, 0), Reputation.SOMETIMES_ANSWERED),
        ((10, 1, 0, 0, 0), Reputation.RARELY_ANSWERED),
    ],
)
def test_the_word_for_a_record(record: tuple[int, ...], word: Reputation) -> None:
    fields = ("invitations", "accepted", "inmails", "answered_inmails", "spam_reports")
    assert reputation_of(SenderRecord(**dict(zip(fields, record, strict=True)))) == word


async def test_recipients_see_the_senders_record(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    others = [await member(f"Other{n}x") for n in range(6)]
    for n, other in enumerate(others[:5]):
        outcome = await core.invitations.invite(alice.id, other.id, None)
        if n < 3:
            await core.invitations.accept(other.id, outcome.invitation.id)
    invitation = await core.invitations.invite(alice.id, bob.id, None)
    # 6 sent, 3 accepted: usually answered — for Bob, the recipient
    seen = await core.invitations.view(bob.id, invitation.invitation.id)
    assert seen.reputation == Reputation.USUALLY_ANSWERED
    assert [v.reputation for v in await core.invitations.received(bob.id)] == [
        Reputation.USUALLY_ANSWERED
    ]
    # the sender sees no reputation on their own invitation
    assert (await core.invitations.view(alice.id, invitation.invitation.id)).reputation is None

    # 90 days later, what was sent before no longer counts: "new"
    clock.advance(timedelta(days=91))
    assert (await core.invitations.view(bob.id, invitation.invitation.id)).reputation == (
        Reputation.NEW
    )


async def test_a_spam_report_shows_on_the_next_inmail(core: Core, member: MakeMember) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    admin = await member("Admin", telegram_id=999_000)
    await core.credits.grant(admin, alice.id, 2)
    await connect(core, bob, carol)
    first = await core.credits.send_inmail(alice.id, bob.id, "Role", "A role for you")
    delivered = await core.messaging.for_delivery(first.message.id, bob.id)
    assert delivered is not None and delivered.sender_reputation == Reputation.NEW
    await core.inbox.report_spam(bob.id, first.conversation.id)
    second = await core.credits.send_inmail(alice.id, carol.id, "Role", "A role for you")
    delivered = await core.messaging.for_delivery(second.message.id, carol.id)
    assert delivered is not None and delivered.sender_reputation == Reputation.REPORTED
    # an ordinary message carries none
    hello = await core.messaging.send(bob.id, carol.id, "hello")
    assert (await core.messaging.for_delivery(hello.message.id, carol.id)).sender_reputation is None  # type: ignore[union-attr]
