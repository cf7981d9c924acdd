"""Saved searches with alerts: a /find kept; the scheduled digest owes an alert listing the
members who joined since and match (masked by degree), once — the mark moves with it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Notification, NotificationKind
from bridge.core.saved_searches import MAX_SAVED
from tests.conftest import MakeMember


async def _alerts(core: Core, member_id: int) -> list[Notification]:
    async with core.deps.store.read() as tx:
        due = await tx.outbox.due(core.now() + timedelta(days=1), 500)
    return [n for n in due if n.member_id == member_id and n.kind == NotificationKind.SEARCH_ALERT]


async def test_the_digest_lists_new_matching_members_once(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    ann = await member("Ann", "Lee")
    await member("Old", "Recruiter", headline="Recruiter")  # there before: never listed
    page = await core.network.find(ann.id, "recruiter")
    saved = await core.saved_searches.save(ann.id, page.search_id)
    assert saved.query == "recruiter"
    with pytest.raises(errors.SearchAlreadySaved):
        await core.saved_searches.save(ann.id, page.search_id)
    with pytest.raises(errors.SearchExpired):  # someone else's search id
        await core.saved_searches.save((await member("Zed")).id, page.search_id)
    await core.preferences.set_digest_time(ann.id, "08:30")

    new = await member("Nina", "Roux", headline="Tech recruiter", company="Acme")
    await member("Paul", "Baker", headline="Baker")  # joined, does not match
    blocked = await member("Bad", "Actor", headline="Recruiter")
    await core.members.block(ann.id, blocked.id)
    clock.advance(timedelta(days=1))  # past 08:30 the next day
    await core.preferences.schedule_digests()
    owed = await _alerts(core, ann.id)
    assert len(owed) == 1
    alerts = await core.saved_searches.alerts(ann.id, owed[0].payload)
    assert [(a.query, [v.id for v in a.members], a.more) for a in alerts] == [
        ("recruiter", [new.id], 0)
    ]
    out = alerts[0].members[0]  # out of Ann's network: masked as everywhere
    assert (out.named, out.company, out.headline) == (False, "", "Tech recruiter")

    clock.advance(timedelta(days=1))  # nobody new: no second alert for the same people
    await core.preferences.schedule_digests()
    assert len(await _alerts(core, ann.id)) == 1


async def test_saved_searches_are_listed_limited_and_deleted(
    core: Core, member: MakeMember
) -> None:
    ann = await member("Ann")
    for i in range(MAX_SAVED):
        page = await core.network.find(ann.id, f"word{i}")
        await core.saved_searches.save(ann.id, page.search_id)
    page = await core.network.find(ann.id, "one more")
    with pytest.raises(errors.TooManySavedSearches):
        await core.saved_searches.save(ann.id, page.search_id)
    kept = await core.saved_searches.of_member(ann.id)
    assert [s.query for s in kept] == [f"word{i}" for i in range(MAX_SAVED)]
    other = await member("Bob")
    with pytest.raises(errors.SavedSearchNotFound):  # not Bob's to delete
        await core.saved_searches.delete(other.id, kept[0].id)
    await core.saved_searches.delete(ann.id, kept[0].id)
    with pytest.raises(errors.SavedSearchNotFound):
        await core.saved_searches.delete(ann.id, kept[0].id)
    assert len(await core.saved_searches.of_member(ann.id)) == MAX_SAVED - 1
