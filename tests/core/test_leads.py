"""Saved leads: named lists, each lead with their degree now, the last contact and whether
they answered; private, validated; `leads.list` as other features read it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Degree
from tests.conftest import MakeMember, connect


async def test_leads_in_lists_with_how_each_conversation_stands(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    me = await member("Me")
    ann, ben, cat = await member("Ann"), await member("Ben"), await member("Cat", "Stranger")
    await connect(core, me, ann)
    await connect(core, ann, ben)  # Ben: 2nd degree
    await core.messaging.send(me.id, ann.id, "Interested in a demo?")
    await core.messaging.send(ann.id, me.id, "Yes!")
    first = await core.leads.save(me.id, ann.id, "Q1")
    assert first.list_name == "q1" and first.answered and first.contact.degree == Degree.FIRST
    clock.advance(timedelta(days=1))
    await core.leads.save(me.id, ben.id, "q1")
    await core.leads.save(me.id, cat.id)  # the default list
    await core.leads.save(me.id, cat.id)  # twice: once
    q1 = await core.leads.list(me.id, "q1")
    assert [lead.contact.id for lead in q1] == [ben.id, ann.id]  # latest saved first
    ben_lead = q1[0]
    assert ben_lead.contact.degree == Degree.SECOND
    assert ben_lead.last_contact_at is None and not ben_lead.answered
    assert q1[1].last_contact_at is not None
    everything = await core.leads.list(me.id)
    assert {(lead.contact.id, lead.list_name) for lead in everything} == {
        (ann.id, "q1"),
        (ben.id, "q1"),
        (cat.id, "leads"),
    }
    stranger = next(lead for lead in everything if lead.contact.id == cat.id)
    assert not stranger.contact.named  # out of network, never wrote: masked as everywhere
    assert await core.leads.list(ann.id) == []  # private
    assert await core.leads.unsave(me.id, ben.id) == 1
    assert [lead.contact.id for lead in await core.leads.list(me.id, "q1")] == [ann.id]


async def test_bad_leads_change_nothing(core: Core, member: MakeMember) -> None:
    me, ann = await member("Me"), await member("Ann")
    with pytest.raises(errors.InvalidLeadList):
        await core.leads.save(me.id, ann.id, "two words!")
    with pytest.raises(errors.CannotTargetSelf):
        await core.leads.save(me.id, me.id)
    with pytest.raises(errors.LeadNotSaved):
        await core.leads.unsave(me.id, ann.id)
    assert await core.leads.list(me.id) == []
