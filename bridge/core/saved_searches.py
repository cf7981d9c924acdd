"""Saved searches with alerts: a /find kept, and the member's daily digest then lists the
members who joined since and match it.

"Since" is a member id (ids only grow): each saved search remembers up to which member it
was considered. The digest tick owes the alert and moves that mark in one transaction, so
a restart neither repeats nor skips anyone; the alert carries the range it covers."""

from __future__ import annotations

from datetime import datetime

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.models import Degree, NotificationKind, SavedSearch, SearchAlert
from bridge.core.owed import notify
from bridge.core.search import search_terms
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork

MAX_SAVED = 10
ALERT_SHOWN = 5  # members listed per search in one alert
ALERT_COUNTED = 100  # beyond that, "and more"


class SavedSearches:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def save(self, actor_id: int, search_id: int) -> SavedSearch:
        """Keep one of the actor's own recent searches (its words): new members only count
        from now on."""
        async with self._d.store.transaction() as tx:
            query = await tx.members.saved_search(search_id, actor_id)
            if query is None:
                raise errors.SearchExpired()
            kept = await tx.saved_searches.of_member(actor_id)
            if any(s.query == query for s in kept):
                raise errors.SearchAlreadySaved(query=query)
            if len(kept) >= MAX_SAVED:
                raise errors.TooManySavedSearches(limit=MAX_SAVED)
            newest = await tx.saved_searches.newest_member_id()
            saved = await tx.saved_searches.add(actor_id, query, newest, self._d.clock.now())
            if saved is None:  # saved by a concurrent tap
                raise errors.SearchAlreadySaved(query=query)
            return saved

    async def of_member(self, actor_id: int) -> list[SavedSearch]:
        async with self._d.store.read() as tx:
            return await tx.saved_searches.of_member(actor_id)

    async def delete(self, actor_id: int, saved_id: int) -> None:
        async with self._d.store.transaction() as tx:
            if not await tx.saved_searches.remove(saved_id, actor_id):
                raise errors.SavedSearchNotFound()

    async def alerts(self, member_id: int, payload: dict[str, object]) -> list[SearchAlert]:
        """What a search alert owed by `owe_search_alerts` lists: for each saved search still
        kept, the new members in its range, as the member may see them (blocked ones left
        out)."""
        ranges = payload.get("ranges")
        if not isinstance(ranges, dict):
            return []
        found: list[SearchAlert] = []
        async with self._d.store.read() as tx:
            hidden = await tx.blocks.related(member_id)
            for saved in await tx.saved_searches.of_member(member_id):
                span = ranges.get(str(saved.id))
                if not (isinstance(span, list) and len(span) == 2):
                    continue
                after, upto = int(span[0]), int(span[1])
                terms = search_terms(saved.query)
                people = [
                    m
                    for m in await tx.saved_searches.matches(terms, after, upto, ALERT_COUNTED)
                    if m.id != member_id and m.id not in hidden
                ]
                if not people:
                    continue
                degrees = self._d.graph.distances_from(member_id, [m.id for m in people])
                found.append(
                    SearchAlert(
                        query=saved.query,
                        members=[
                            member_view(m, Degree.from_distance(degrees.get(m.id)))
                            for m in people[:ALERT_SHOWN]
                        ],
                        more=max(len(people) - ALERT_SHOWN, 0),
                    )
                )
        return found


async def owe_search_alerts(tx: UnitOfWork, member_id: int, now: datetime) -> bool:
    """With the member's digest (same transaction): an alert for the saved searches that new
    members match, and every saved search's mark moved to the newest member."""
    saved = await tx.saved_searches.of_member(member_id)
    if not saved:
        return False
    newest = await tx.saved_searches.newest_member_id()
    ranges: dict[str, list[int]] = {}
    for search in saved:
        if search.last_member_id >= newest:
            continue
        terms = search_terms(search.query)
        if await tx.saved_searches.matches(terms, search.last_member_id, newest, 1):
            ranges[str(search.id)] = [search.last_member_id, newest]
        await tx.saved_searches.advance(search.id, newest)
    if not ranges:
        return False
    await notify(tx, member_id, NotificationKind.SEARCH_ALERT, None, now, {"ranges": ranges})
    return True
