from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Degree, InboxFilter, InvitationStatus, MessageKind
from bridge.core.rules import Rules
from tests.conftest import MakeMember, connect


async def test_invite_with_note_then_accept_connects_and_opens_conversation(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, "  Met you at the fair  ")
    assert not outcome.accepted_theirs
    assert outcome.invitation.note == "Met you at the fair"
    received = await core.invitations.received(bob.id)
    assert [v.invitation.id for v in received] == [outcome.invitation.id]
    assert received[0].other.name == "Alice"

    await core.invitations.accept(bob.id, outcome.invitation.id)
    assert core.network.degree(alice.id, bob.id) == Degree.FIRST
    view = await core.messaging.conversation(bob.id, alice.id)
    assert [(m.kind, m.text) for m in view.messages] == [(MessageKind.NOTE, "Met you at the fair")]
    # The note is the author's own text and the recipient read it with the invitation.
    assert (await core.inbox.unread_summary(alice.id)).messages == 0
    assert (await core.inbox.unread_summary(bob.id)).messages == 0


async def test_note_longer_than_limit_is_refused(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await core.invitations.invite(alice.id, bob.id, "n" * 300)
    carol = await member("Carol")
    with pytest.raises(errors.NoteTooLong) as raised:
        await core.invitations.invite(alice.id, carol.id, "n" * 301)
    assert raised.value.params == {"limit": 300, "length": 301}
    assert await core.invitations.sent(alice.id) != []
    assert len(await core.invitations.sent(alice.id)) == 1


@pytest.mark.parametrize("rules", [Rules(note_max=50)])
async def test_note_limit_is_configurable(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    with pytest.raises(errors.NoteTooLong):
        await core.invitations.invite(alice.id, bob.id, "n" * 51)


async def test_each_invite_error_is_distinct(core: Core, member: MakeMember) -> None:
    alice, bob, carol, dan = [await member(n) for n in ("Alice", "Bob", "Carol", "Dan")]
    with pytest.raises(errors.CannotTargetSelf):
        await core.invitations.invite(alice.id, alice.id, None)
    await connect(core, alice, bob)
    with pytest.raises(errors.AlreadyConnected):
        await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.invite(alice.id, carol.id, None)
    with pytest.raises(errors.InvitationAlreadyPending):
        await core.invitations.invite(alice.id, carol.id, None)
    await core.members.block(alice.id, dan.id)
    with pytest.raises(errors.YouBlockedThem):
        await core.invitations.invite(alice.id, dan.id, None)
    with pytest.raises(errors.TheyBlockedYou):
        await core.invitations.invite(dan.id, alice.id, None)


async def test_inviting_someone_who_invited_you_accepts_theirs(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    theirs = await core.invitations.invite(bob.id, alice.id, "Hi Alice")
    outcome = await core.invitations.invite(alice.id, bob.id, "Hi Bob")
    assert outcome.accepted_theirs
    assert outcome.invitation.id == theirs.invitation.id
    assert outcome.invitation.status == InvitationStatus.ACCEPTED
    assert core.network.degree(alice.id, bob.id) == Degree.FIRST
    texts = [m.text for m in (await core.messaging.conversation(bob.id, alice.id)).messages]
    assert texts == ["Hi Alice", "Hi Bob"]


async def test_a_decline_is_never_shown_to_the_sender(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, "Let's connect")
    await core.messaging.send(bob.id, alice.id, "Who are you?")
    await core.messaging.send(alice.id, bob.id, "We met in Lyon")
    await core.invitations.decline(bob.id, outcome.invitation.id)
    invitation_id = outcome.invitation.id
    # To Alice it is still pending: listed, answerable by withdrawing, her thread open.
    assert [v.invitation.status for v in await core.invitations.sent(alice.id)] == [
        InvitationStatus.PENDING
    ]
    assert (await core.invitations.get_for(alice.id, invitation_id)).status == "pending"
    assert (await core.invitations.get_for(bob.id, invitation_id)).status == "declined"
    assert (await core.network.profile(alice.id, bob.id)).actions[:2] == ["withdraw", "message"]
    with pytest.raises(errors.InvitationAlreadyPending):
        await core.invitations.invite(alice.id, bob.id, "again")
    # Her inbox still shows the thread as a pending invitation (the Invitations filter
    # lists invitations received, so a sent one is never there, declined or not).
    page = await core.inbox.page(alice.id, InboxFilter.ALL)
    assert [e.pending_invitation.id for e in page.entries] == [invitation_id]
    assert (await core.inbox.page(alice.id, InboxFilter.INVITATIONS)).entries == []
    delivery = await core.messaging.send(alice.id, bob.id, "Please?")
    # ... but what she writes never reaches Bob: not unread, not owed, not in his inbox.
    assert delivery.recipient_state.unread_count == 0
    assert (await core.inbox.unread_summary(bob.id)).messages == 0
    assert (await core.inbox.page(bob.id)).entries == []
    with pytest.raises(errors.ThreadClosed):
        await core.messaging.send(bob.id, alice.id, "No")
    assert await core.invitations.received(bob.id) == []
    # Withdrawing it is the sender's way out; then the usual cooldown applies.
    await core.invitations.withdraw(alice.id, invitation_id)
    assert await core.invitations.sent(alice.id) == []
    with pytest.raises(errors.ReinviteTooSoon):
        await core.invitations.invite(alice.id, bob.id, None)


async def test_inviting_the_one_you_declined_accepts_their_invitation(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.decline(bob.id, outcome.invitation.id)
    again = await core.invitations.invite(bob.id, alice.id, None)
    assert again.accepted_theirs and again.invitation.id == outcome.invitation.id
    assert core.network.degree(alice.id, bob.id) == Degree.FIRST
    assert await core.invitations.sent(alice.id) == []


async def test_once_connected_a_declined_invitation_is_answered_for_good(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.decline(bob.id, outcome.invitation.id)
    await core.invitations.invite(bob.id, alice.id, None)  # accepts Alice's
    await core.network.remove_connection(alice.id, bob.id)
    # Nothing stale: no "Withdraw" for an invitation that was answered by the connection.
    assert (await core.network.profile(alice.id, bob.id)).actions[0] == "invite"


async def test_reporting_an_invitation_as_spam_declines_it(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, "Buy followers")
    conversation = await core.inbox.conversation_with(bob.id, alice.id)
    await core.inbox.report_spam(bob.id, conversation)
    assert await core.invitations.received(bob.id) == []
    assert (await core.inbox.digest(bob.id)).invitations == 0
    assert (await core.invitations.get_for(bob.id, outcome.invitation.id)).status == "declined"
    assert [v.invitation.status for v in await core.invitations.sent(alice.id)] == ["pending"]


async def test_reply_without_accepting_happens_in_pending_thread(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await core.invitations.invite(alice.id, bob.id, "Hello")
    delivery = await core.messaging.send(bob.id, alice.id, "What about?")
    assert delivery.recipient.id == alice.id
    # The thread is in the sender's inbox; "Invitations" lists those waiting for an answer
    # from the member (received), as the digest counts them.
    page = await core.inbox.page(alice.id, InboxFilter.ALL)
    assert [e.other.id for e in page.entries] == [bob.id]
    assert page.entries[0].pending_invitation is not None
    received = await core.inbox.page(bob.id, InboxFilter.INVITATIONS)
    assert [e.other.id for e in received.entries] == [alice.id]
    assert (await core.inbox.page(alice.id, InboxFilter.INVITATIONS)).entries == []
    assert core.network.degree(alice.id, bob.id) == Degree.OUT


async def test_only_recipient_may_accept_or_decline(core: Core, member: MakeMember) -> None:
    alice, bob, mallory = await member("Alice"), await member("Bob"), await member("Mallory")
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    for actor in (alice, mallory):
        with pytest.raises(errors.NotInvitationRecipient):
            await core.invitations.accept(actor.id, outcome.invitation.id)
        with pytest.raises(errors.NotInvitationRecipient):
            await core.invitations.decline(actor.id, outcome.invitation.id)
    with pytest.raises(errors.InvitationNotFound):
        await core.invitations.withdraw(bob.id, outcome.invitation.id)
    with pytest.raises(errors.InvitationNotFound):
        await core.invitations.accept(bob.id, 424242)
    with pytest.raises(errors.InvitationNotFound):
        await core.invitations.get_for(mallory.id, outcome.invitation.id)


async def test_answered_invitation_cannot_be_answered_again(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.accept(bob.id, outcome.invitation.id)
    with pytest.raises(errors.InvitationNotPending) as raised:
        await core.invitations.decline(bob.id, outcome.invitation.id)
    assert raised.value.params["status"] == "accepted"
    with pytest.raises(errors.InvitationNotPending):
        await core.invitations.withdraw(alice.id, outcome.invitation.id)


async def test_withdraw_then_reinvite_waits_21_days(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.withdraw(alice.id, outcome.invitation.id)
    with pytest.raises(errors.ReinviteTooSoon) as raised:
        await core.invitations.invite(alice.id, bob.id, None)
    assert raised.value.params["until"] == clock.now() + timedelta(days=21)
    clock.advance(timedelta(days=21))
    again = await core.invitations.invite(alice.id, bob.id, None)
    assert again.invitation.status == InvitationStatus.PENDING


async def test_withdrawing_a_declined_invitation_starts_the_cooldown(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.decline(bob.id, outcome.invitation.id)
    clock.advance(timedelta(days=30))  # a decline alone never lets the sender guess it
    with pytest.raises(errors.InvitationAlreadyPending):
        await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.withdraw(alice.id, outcome.invitation.id)
    clock.advance(timedelta(days=20, hours=23))
    with pytest.raises(errors.ReinviteTooSoon):
        await core.invitations.invite(alice.id, bob.id, None)
    clock.advance(timedelta(hours=2))
    await core.invitations.invite(alice.id, bob.id, None)


@pytest.mark.parametrize("rules", [Rules(invites_per_window=3)])
async def test_weekly_invitation_limit_says_when_next_is_possible(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice = await member("Alice")
    first_at = clock.now()
    for n in range(3):
        target = await member(f"Target{n}")
        await core.invitations.invite(alice.id, target.id, None)
        clock.advance(timedelta(hours=1))
    extra = await member("Extra")
    with pytest.raises(errors.InvitationLimitReached) as raised:
        await core.invitations.invite(alice.id, extra.id, None)
    assert raised.value.params["next_at"] == first_at + timedelta(days=7)
    clock.advance(timedelta(days=7) - timedelta(hours=3) + timedelta(seconds=1))
    await core.invitations.invite(alice.id, extra.id, None)


async def test_second_degree_only_policy(core: Core, member: MakeMember) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await core.members.set_invite_policy(carol.id, "second_degree")
    with pytest.raises(errors.InvitationsRestricted):
        await core.invitations.invite(alice.id, carol.id, None)
    await connect(core, alice, bob)
    await connect(core, carol, bob)
    outcome = await core.invitations.invite(alice.id, carol.id, None)
    assert outcome.invitation.status == InvitationStatus.PENDING


async def test_accept_by_handle_finds_the_pending_one(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    with pytest.raises(errors.InvitationNotFound):
        await core.invitations.to_answer(bob.id, alice.id)
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    assert (await core.invitations.to_answer(bob.id, alice.id)).id == outcome.invitation.id
    assert (await core.invitations.sent_to(alice.id, bob.id)).id == outcome.invitation.id
    # Alice answering her own invitation: she is told it is hers, not "not found".
    with pytest.raises(errors.OwnInvitation) as raised:
        await core.invitations.to_answer(alice.id, bob.id)
    assert raised.value.params == {"handle": "bob"}


async def test_removing_a_connection(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.network.remove_connection(bob.id, alice.id)
    assert core.network.degree(alice.id, bob.id) == Degree.OUT
    with pytest.raises(errors.NotAConnection):
        await core.network.remove_connection(bob.id, alice.id)
    with pytest.raises(errors.NotConnected):
        await core.messaging.send(alice.id, bob.id, "still there?")
