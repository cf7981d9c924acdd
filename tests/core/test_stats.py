"""/stats figures against seeded data: invitations sent and accepted, messages received and
answered with the median reply time, InMails sent and answered; the 90-day window; the
network's figures for admins only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from tests.conftest import ADMIN_TELEGRAM_ID, MakeMember, connect


async def test_member_stats_count_what_happened_in_90_days(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    ann = await member("Ann")
    bob, cleo, dan, eve = [await member(n) for n in ("Bob", "Cleo", "Dan", "Eve")]
    admin = await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)
    old = await member("Old")
    await connect(core, ann, old)  # an invitation older than 90 days: out of the window
    clock.advance(timedelta(days=100))

    await connect(core, ann, bob)  # 4 sent, 2 accepted
    await connect(core, ann, cleo)
    await core.invitations.invite(ann.id, dan.id, "Hi")
    refused = await core.invitations.invite(ann.id, eve.id, None)
    await core.invitations.decline(eve.id, refused.invitation.id)

    await core.messaging.send(bob.id, ann.id, "one")  # answered 10 minutes later
    await core.messaging.send(bob.id, ann.id, "two")  # answered 10 minutes later too
    clock.advance(timedelta(minutes=10))
    await core.messaging.send(ann.id, bob.id, "back")
    await core.messaging.send(cleo.id, ann.id, "hello")  # answered 2 hours later
    clock.advance(timedelta(hours=2))
    await core.messaging.send(ann.id, cleo.id, "sorry, late")
    await core.messaging.send(cleo.id, ann.id, "no worries")  # not answered

    await core.credits.grant(admin, ann.id, 3)
    first = await core.credits.send_inmail(ann.id, dan.id, "Role", "Interested?")
    await core.credits.send_inmail(ann.id, admin.id, "Role", "Interested?")
    assert first.inmail is not None
    await core.credits.respond(dan.id, first.inmail.id, interested=False)  # an answer too

    stats = await core.stats.member(ann.id)
    assert (stats.days, stats.invitations_sent, stats.invitations_accepted) == (90, 4, 2)
    assert stats.acceptance_rate == 0.5
    assert (stats.messages_received, stats.messages_answered) == (4, 3)
    assert stats.reply_rate == 0.75
    assert stats.median_reply_seconds == 600.0  # 10 min, 10 min, 2 h
    assert (stats.inmails_sent, stats.inmails_answered, stats.inmail_answer_rate) == (2, 1, 0.5)

    quiet = await core.stats.member(eve.id)
    assert (quiet.messages_received, quiet.median_reply_seconds, quiet.reply_rate) == (
        0,
        None,
        None,
    )
    clock.advance(timedelta(days=91))
    later = await core.stats.member(ann.id)
    assert (later.invitations_sent, later.messages_received, later.inmails_sent) == (0, 0, 0)


async def test_network_stats_are_for_admins(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    ann, bob = await member("Ann"), await member("Bob")
    admin = await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)
    await connect(core, ann, bob)
    await core.messaging.send(ann.id, bob.id, "hi")
    clock.advance(timedelta(days=1))
    await core.messaging.send(bob.id, ann.id, "hi back")
    await core.messaging.send(bob.id, ann.id, "and again")
    with pytest.raises(errors.NotAdmin):
        await core.stats.network(ann)
    stats = await core.stats.network(admin)
    assert (stats.members, stats.connections) == (3, 1)
    assert len(stats.messages_per_day) == 30
    assert [n for _, n in stats.messages_per_day[-2:]] == [1, 2]
    assert stats.messages_per_day[-1][0] == clock.now().date().isoformat()
    assert stats.backlog >= 2  # the notifications nobody delivered in this test
