"""The weekly invitation allowance and the re-invite cooldown, shown before they bite: after
/invite, on /settings and one's own card; the cooldown on the other member's card."""

from __future__ import annotations

import pytest

from bridge.core.app import Core
from bridge.core.rules import Rules
from tests.conftest import MakeMember


async def test_the_allowance_counts_down_and_the_cooldown_shows(
    core: Core, member: MakeMember, rules: Rules
) -> None:
    me, ann, ben = await member("Me"), await member("Ann"), await member("Ben")
    limit = rules.invites_per_window
    assert (await core.invitations.allowance(me.id)).left == limit
    outcome = await core.invitations.invite(me.id, ann.id, None)
    assert outcome.allowance is not None and outcome.allowance.left == limit - 1
    await core.invitations.invite(me.id, ben.id, "Hello")
    own = await core.network.profile(me.id, me.id)
    assert own.allowance is not None and own.allowance.left == limit - 2
    assert own.reinvite_after is None
    card = await core.network.profile(me.id, ann.id)
    assert card.allowance is None and card.reinvite_after is None
    await core.invitations.withdraw(me.id, outcome.invitation.id)
    card = await core.network.profile(me.id, ann.id)
    assert card.reinvite_after is not None
    assert card.reinvite_after == core.now() + rules.reinvite_cooldown


async def test_accepting_with_a_reply_is_one_step_and_happens_once(
    core: Core, member: MakeMember
) -> None:
    from bridge.core import errors
    from bridge.core.models import InvitationStatus

    me, ann = await member("Me"), await member("Ann")
    invitation = (await core.invitations.invite(ann.id, me.id, None)).invitation
    answer = await core.invitations.answer(
        me.id, InvitationStatus.ACCEPTED, invitation.id, reply="Nice to meet you!"
    )
    assert answer.result == InvitationStatus.ACCEPTED
    conversation = await core.inbox.conversation_with(ann.id, me.id)
    state = await core.inbox.state(ann.id, conversation)
    assert state.unread_count == 1  # Ann has the reply, unread
    with pytest.raises(errors.InvitationNotPending):  # a second tap
        await core.invitations.answer(
            me.id, InvitationStatus.ACCEPTED, invitation.id, reply="Nice to meet you!"
        )
    assert (await core.inbox.state(ann.id, conversation)).unread_count == 1
