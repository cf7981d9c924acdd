"""Who viewed my profile: once per viewer per day, 90 days, masked by degree, private
browsing both ways."""

from __future__ import annotations

from datetime import timedelta

from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Degree
from tests.conftest import MakeMember, connect


async def test_views_count_once_a_day_and_mask_by_degree(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    ann = await member("Ann", "Lee", headline="CTO")
    bob = await member("Bob", "Ray", headline="Recruiter")
    cleo = await member("Cleo", "Diaz", headline="Designer", company="Globex")
    await connect(core, ann, bob)
    for _ in range(3):
        await core.network.profile(bob.id, ann.id)
    clock.advance(timedelta(minutes=5))
    await core.network.profile(cleo.id, ann.id)
    await core.network.profile(ann.id, ann.id)  # your own card is not a view
    seen = await core.profile_views.viewers(ann.id)
    assert (seen.private, seen.total) == (False, 2)
    assert [v.view.name for v in seen.viewers] == ["Member", "Bob Ray"]  # latest first
    stranger = seen.viewers[0].view
    assert (stranger.degree, stranger.named, stranger.headline) == (Degree.OUT, False, "Designer")
    assert (stranger.company, stranger.handle) == ("", None)

    clock.advance(timedelta(days=1))
    await core.network.profile(bob.id, ann.id)  # a new day: Bob is the latest again
    seen = await core.profile_views.viewers(ann.id)
    assert [v.view.name for v in seen.viewers] == ["Bob Ray", "Member"]
    assert seen.total == 2  # distinct viewers

    clock.advance(timedelta(days=90))  # Cleo's view is now older than 90 days
    seen = await core.profile_views.viewers(ann.id)
    assert [v.view.name for v in seen.viewers] == ["Bob Ray"]


async def test_private_browsing_records_nothing_and_shows_nothing(
    core: Core, member: MakeMember
) -> None:
    ann = await member("Ann", "Lee")
    bob = await member("Bob", "Ray")
    await core.network.profile(ann.id, bob.id)
    await core.profile_views.set_private_browsing(bob.id, True)
    await core.network.profile(bob.id, ann.id)
    assert (await core.profile_views.viewers(ann.id)).total == 0
    hidden = await core.profile_views.viewers(bob.id)
    assert (hidden.private, hidden.viewers) == (True, [])
    await core.profile_views.set_private_browsing(bob.id, False)
    assert [v.view.id for v in (await core.profile_views.viewers(bob.id)).viewers] == [ann.id]


async def test_a_blocked_viewer_is_not_listed(core: Core, member: MakeMember) -> None:
    ann = await member("Ann", "Lee")
    bob = await member("Bob", "Ray")
    await core.network.profile(bob.id, ann.id)
    await core.members.block(ann.id, bob.id)
    assert (await core.profile_views.viewers(ann.id)).viewers == []
