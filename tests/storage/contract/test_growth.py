"""Profile views, introductions, saved searches and campaign leads through the port: what
the growth features count on from every backend — a view counted once per viewer per day, an
introduction answered once and only by the one asked, a saved search's mark that never moves
back, a campaign step claimed once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core.models import CampaignStatus, CampaignStep, IntroductionStatus, MessageKind
from bridge.storage.port import ConstraintViolation, Store
from tests.storage.contract.population import LATER, NOW, add_members


async def test_profile_views_count_once_per_viewer_per_day(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    async with store.transaction() as tx:
        assert await tx.profile_views.record(bob.id, ann.id, "2026-05-01", NOW) is True
        assert await tx.profile_views.record(bob.id, ann.id, "2026-05-01", LATER) is False
        assert await tx.profile_views.record(bob.id, ann.id, "2026-05-02", LATER) is True
        assert await tx.profile_views.record(cleo.id, ann.id, "2026-05-01", NOW) is True
    async with store.read() as tx:
        assert await tx.profile_views.viewers(ann.id, NOW, 10) == [
            (bob.id, LATER),
            (cleo.id, NOW),
        ]
        assert await tx.profile_views.viewers(ann.id, LATER, 10) == [(bob.id, LATER)]
        assert await tx.profile_views.count_since(ann.id, NOW) == 2
        assert await tx.profile_views.viewers(bob.id, NOW, 10) == []


async def test_an_introduction_is_answered_once_by_the_one_asked(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    async with store.transaction() as tx:
        asked = await tx.introductions.add(ann.id, cleo.id, bob.id, "Hi", NOW)
        assert await tx.introductions.asked(ann.id, cleo.id) == asked
    with pytest.raises(ConstraintViolation):  # one waiting request per requester and target
        async with store.transaction() as tx:
            await tx.introductions.add(ann.id, cleo.id, bob.id, "Again", NOW)
    async with store.transaction() as tx:
        forwarded = IntroductionStatus.FORWARDED
        assert await tx.introductions.answer(asked.id, cleo.id, forwarded, LATER) is None
        done = await tx.introductions.answer(asked.id, bob.id, forwarded, LATER)
        assert done is not None and (done.status, done.answered_at) == (forwarded, LATER)
        assert await tx.introductions.answer(asked.id, bob.id, forwarded, LATER) is None
        assert await tx.introductions.forwarded_between(cleo.id, ann.id)
        assert not await tx.introductions.forwarded_between(ann.id, bob.id)
        assert await tx.introductions.asked(ann.id, cleo.id) is None
        again = await tx.introductions.add(ann.id, cleo.id, bob.id, "Again", LATER)
        assert again.id != asked.id


async def test_a_saved_search_is_unique_and_its_mark_never_moves_back(store: Store) -> None:
    (ann,) = await add_members(store, "Ann")
    async with store.transaction() as tx:
        newest = await tx.saved_searches.newest_member_id()
        assert newest == ann.id
        saved = await tx.saved_searches.add(ann.id, "ann", 0, NOW)
        assert saved is not None and saved.last_member_id == 0
        assert await tx.saved_searches.add(ann.id, "ann", 0, NOW) is None
        assert [m.id for m in await tx.saved_searches.matches(["ann"], 0, newest, 10)] == [ann.id]
        assert await tx.saved_searches.matches(["ann"], newest, newest, 10) == []
        await tx.saved_searches.advance(saved.id, 5)
        await tx.saved_searches.advance(saved.id, 3)  # never back
        assert [s.last_member_id for s in await tx.saved_searches.of_member(ann.id)] == [5]
        assert await tx.saved_searches.remove(saved.id, ann.id + 1) is False
        assert await tx.saved_searches.remove(saved.id, ann.id) is True


async def test_a_saved_search_matches_new_members_as_find_does(store: Store) -> None:
    """Every term a word prefix, accents and case folded, only ids in the window: the same
    words on each backend's index (FTS5 on SQLite, a tsvector on PostgreSQL)."""
    zoe, zora, _ = await add_members(store, "Zoé", "Zora", "Zeno")
    async with store.transaction() as tx:
        for member, headline in ((zoe, "Ingénieure"), (zora, "Ingénieure")):
            await tx.members.save(member.model_copy(update={"headline": headline}))
    async with store.read() as tx:
        newest = await tx.saved_searches.newest_member_id()
        found = await tx.saved_searches.matches(["zo", "ingen"], 0, newest, 10)
        assert [m.id for m in found] == [zoe.id, zora.id]
        assert [m.id for m in await tx.saved_searches.matches(["zoe"], 0, newest, 10)] == [zoe.id]
        assert await tx.saved_searches.matches(["zo"], zora.id, newest, 10) == []
        assert [m.id for m in await tx.saved_searches.matches(["ingen"], 0, zoe.id, 10)] == [zoe.id]
        assert await tx.saved_searches.matches(["z'o\\"], 0, newest, 10) == []


async def test_a_campaign_step_is_claimed_once(store: Store) -> None:
    sam, ann = await add_members(store, "Sam", "Ann")
    async with store.transaction() as tx:
        campaign = await tx.campaigns.add(sam.id, "C", 2, 5, "note", None, None, NOW)
        assert await tx.campaigns.add_lead(campaign.id, ann.id, NOW) is True
        assert await tx.campaigns.add_lead(campaign.id, ann.id, NOW) is False
    async with store.read() as tx:
        (lead,) = await tx.campaigns.due(NOW, 10)
        assert (lead.step, lead.due_at) == (CampaignStep.VISIT, NOW)
    later = NOW + timedelta(days=2)
    async with store.transaction() as tx:
        assert await tx.campaigns.claim(lead, CampaignStep.INVITE, later, NOW, ("visited_at",))
        assert not await tx.campaigns.claim(lead, CampaignStep.INVITE, later, NOW)  # taken
        assert await tx.campaigns.due(LATER, 10) == []  # waiting two days
        assert len(await tx.campaigns.due(later, 10)) == 1
        counts = await tx.campaigns.counts(campaign.id)
        assert (counts.leads, counts.visited, counts.invited) == (1, 1, 0)
        with pytest.raises(ValueError):
            await tx.campaigns.claim(lead, CampaignStep.DONE, NOW, NOW, ("note",))


async def test_departing_leads_are_those_who_wrote_blocked_or_reported(store: Store) -> None:
    sam, ann, bob, cleo, dan = await add_members(store, "Sam", "Ann", "Bob", "Cleo", "Dan")
    async with store.transaction() as tx:
        campaign = await tx.campaigns.add(sam.id, "C", 2, 5, None, None, None, NOW)
        for lead in (ann, bob, cleo, dan):
            await tx.campaigns.add_lead(campaign.id, lead.id, NOW)
        chat = await tx.conversations.create(sam.id, ann.id, NOW)
        await tx.messages.add(chat.id, ann.id, LATER, kind=MessageKind.MESSAGE, text="Hi")
        await tx.blocks.add(sam.id, bob.id, LATER)
        other = await tx.conversations.create(sam.id, cleo.id, NOW)
        await tx.spam.add(cleo.id, sam.id, other.id, LATER)
        assert await tx.campaigns.replied_since(sam.id, ann.id, NOW)
        assert not await tx.campaigns.replied_since(sam.id, ann.id, LATER + timedelta(1))
        assert await tx.campaigns.reported(cleo.id, sam.id)
    async with store.read() as tx:
        leaving = await tx.campaigns.departing(10)
    assert [lead.lead_id for lead in leaving] == [ann.id, bob.id, cleo.id]  # not Dan
    async with store.transaction() as tx:
        await tx.campaigns.set_status(campaign.id, CampaignStatus.PAUSED)
        assert await tx.campaigns.departing(10) == []  # paused: nobody moves


async def test_stats_read_the_window_only(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    early, late = NOW - timedelta(days=1), LATER
    async with store.transaction() as tx:
        ab = await tx.conversations.create(ann.id, bob.id, NOW)
        bc = await tx.conversations.create(bob.id, cleo.id, NOW)
        await tx.messages.add(ab.id, bob.id, early, kind=MessageKind.MESSAGE, text="old")
        await tx.messages.add(ab.id, bob.id, NOW, kind=MessageKind.MESSAGE, text="hi")
        await tx.messages.add(ab.id, ann.id, late, kind=MessageKind.MESSAGE, text="back")
        await tx.messages.add(bc.id, cleo.id, NOW, kind=MessageKind.MESSAGE, text="not Ann's")
        await tx.invitations.add(ann.id, cleo.id, None, bc.id, NOW)
    async with store.read() as tx:
        assert await tx.stats.conversation_messages(ann.id, NOW) == [
            (ab.id, bob.id, NOW),
            (ab.id, ann.id, late),
        ]
        assert await tx.stats.invitations_sent(ann.id, NOW) == (1, 0)
        assert await tx.stats.invitations_sent(ann.id, late) == (0, 0)
        assert await tx.stats.messages_per_day(early) == {"2026-04-30": 1, "2026-05-01": 3}
        assert await tx.stats.connections() == 0
