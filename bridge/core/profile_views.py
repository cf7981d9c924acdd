"""Who viewed my profile: views are recorded once per viewer per day; a member who browses
privately leaves no trace and, as on LinkedIn, sees no viewers either (fair both ways)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member, update_member
from bridge.core.models import Degree, Member, ProfileViewer, WhoViewed
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork

VIEWS_DAYS = 90
VIEWERS_SHOWN = 30


async def record_view(tx: UnitOfWork, viewer: Member, viewed_id: int, now: datetime) -> bool:
    """A profile opened by someone else counts once per day, unless they browse privately;
    True when this view was new."""
    if viewer.id == viewed_id or viewer.private_browsing:
        return False
    return await tx.profile_views.record(viewer.id, viewed_id, now.date().isoformat(), now)


class ProfileViews:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def viewers(self, member_id: int) -> WhoViewed:
        """The last 90 days' viewers, latest first, masked by their degree from the member
        (out of network: "a member" and a headline); none when browsing privately."""
        since = self._d.clock.now() - timedelta(days=VIEWS_DAYS)
        async with self._d.store.read() as tx:
            member = await existing_member(tx, member_id)
            if member.private_browsing:
                return WhoViewed(private=True, days=VIEWS_DAYS, total=0, viewers=[])
            hidden = await tx.blocks.related(member_id)
            rows = [
                (viewer, at)
                for viewer, at in await tx.profile_views.viewers(
                    member_id, since, VIEWERS_SHOWN + len(hidden)
                )
                if viewer not in hidden
            ][:VIEWERS_SHOWN]
            total = await tx.profile_views.count_since(member_id, since)
            members = await tx.members.get_many(viewer for viewer, _ in rows)
        degrees = self._d.graph.distances_from(member_id, members.keys())
        shown = [
            ProfileViewer(view=member_view(members[i], Degree.from_distance(degrees.get(i))), at=at)
            for i, at in rows
            if i in members
        ]
        return WhoViewed(private=False, days=VIEWS_DAYS, total=total, viewers=shown)

    async def set_private_browsing(self, member_id: int, private: bool) -> Member:
        return await update_member(self._d, member_id, private_browsing=private)
