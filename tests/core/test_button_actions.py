"""The other buttons' use cases: each checks against the acting member, changes what it
changes in one transaction, and returns what the answer shows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Degree, InMailStatus
from tests.conftest import ADMIN_TELEGRAM_ID, MakeMember, connect


async def test_asking_for_a_note_checks_the_invitation_first(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob", "Durand")
    asked = await core.prompts.ask_note(alice.id, bob.id)
    assert asked.target.id == bob.id and not asked.target.named  # masked by degree
    assert asked.limit == 300
    assert (await core.members.get(alice.id)).awaiting == f"note:{bob.id}"
    await core.prompts.cancel(alice.id)
    await connect(core, alice, bob)
    with pytest.raises(errors.AlreadyConnected):  # no note written for nothing
        await core.prompts.ask_note(alice.id, bob.id)
    assert (await core.members.get(alice.id)).awaiting is None


async def test_asking_for_a_field_says_its_limit_and_current_value(
    core: Core, member: MakeMember
) -> None:
    alice = await member("Alice", headline="Engineer")
    asked = await core.prompts.ask_field(alice.id, "titre")  # the French label
    assert (asked.field, asked.limit, asked.current) == ("headline", 220, "Engineer")


async def test_removing_returns_the_connection_as_it_was_seen(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob", "Durand")
    await connect(core, alice, bob)
    seen = await core.network.remove_connection(alice.id, bob.id)
    assert (seen.name, seen.degree, seen.handle) == ("Bob Durand", Degree.FIRST, "bob")
    assert core.network.degree(alice.id, bob.id) == Degree.OUT
    after = await core.network.view_of(alice.id, bob.id)
    assert not after.named and after.handle is None
    with pytest.raises(errors.NotAConnection):
        await core.network.remove_connection(alice.id, bob.id)


async def test_an_inmail_answer_focuses_its_thread_and_its_reply_opens_it(
    core: Core, member: MakeMember
) -> None:
    alice, dave, eve = await member("Alice"), await member("Dave"), await member("Eve")
    admin = await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)
    await core.credits.grant(admin, alice.id, 1)
    view = await core.credits.check_inmail(alice.id, dave.id)
    assert view.id == dave.id and not view.named
    inmail = (await core.credits.send_inmail(alice.id, dave.id, "Role", "We are hiring")).inmail
    assert inmail is not None
    with pytest.raises(errors.InMailNotFound):  # only its recipient answers or replies
        await core.credits.respond(eve.id, inmail.id, interested=True)
    with pytest.raises(errors.InMailNotFound):
        await core.messaging.reply_to_inmail(alice.id, inmail.id)
    assert (await core.credits.respond(dave.id, inmail.id, True)).status == InMailStatus.INTERESTED
    held = await core.messaging.hold_unaddressed(dave.id, "Tell me more")
    assert held is not None and held[1].id == alice.id
    opened = await core.messaging.reply_to_inmail(dave.id, inmail.id)
    assert opened.other.id == alice.id and opened.messages[-1].subject == "Role"
    assert (await core.members.get(dave.id)).current_peer_id == alice.id


async def test_replying_to_an_invitation_opens_its_thread_without_answering(
    core: Core, member: MakeMember
) -> None:
    alice, bob, eve = await member("Alice", "Martin"), await member("Bob"), await member("Eve")
    sent = (await core.invitations.invite(alice.id, bob.id, "Hi Bob")).invitation
    with pytest.raises(errors.InvitationNotFound):
        await core.messaging.reply_to_invitation(eve.id, sent.id)
    other = await core.messaging.reply_to_invitation(bob.id, sent.id)
    assert other.id == alice.id and other.name == "Alice Martin"  # she reached out
    assert (await core.members.get(bob.id)).current_peer_id == alice.id
    assert (await core.invitations.get_for(bob.id, sent.id)).status == "pending"


async def test_the_core_says_what_now_is(core: Core, clock: FakeClock) -> None:
    before = core.now()
    clock.advance(timedelta(hours=2))
    assert core.now() - before == timedelta(hours=2) and core.now() == clock.now()
