"""The network as one member sees it: degrees, mutual connections, profiles, search."""

from __future__ import annotations

from bridge.core import errors
from bridge.core.conversations import contacted_in
from bridge.core.deps import CoreDeps
from bridge.core.graph_changes import connection_changed
from bridge.core.invitation_status import outstanding
from bridge.core.invitations import invite_allowance, reinvite_after
from bridge.core.members import existing_member
from bridge.core.models import (
    Degree,
    DegreeInfo,
    InvitePolicy,
    Member,
    MemberView,
    ProfileCard,
)
from bridge.core.profile_views import record_view
from bridge.core.search import PAGE, SearchPage, clean_query, search_terms
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork

SEARCH_CANDIDATES = 1000


class Network:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    def degree(self, viewer_id: int, target_id: int) -> Degree:
        return Degree.from_distance(self._d.graph.distance(viewer_id, target_id))

    def view(self, viewer_id: int, member: Member, typed_handle: bool = False) -> MemberView:
        """`member` as the viewer may see them (`views.member_view`); ``typed_handle``: the
        viewer named them by @handle, which may be echoed back."""
        return member_view(member, self.degree(viewer_id, member.id), typed_handle=typed_handle)

    async def views(self, viewer_id: int, ids: list[int]) -> list[MemberView]:
        """Views of many members in the given order, degrees computed in one pass."""
        async with self._d.store.transaction() as tx:
            members = await tx.members.get_many(ids)
        degrees = self._d.graph.distances_from(viewer_id, members.keys())
        return [
            member_view(members[i], Degree.from_distance(degrees.get(i)))
            for i in ids
            if i in members
        ]

    async def degree_info(self, viewer_id: int, target_id: int) -> DegreeInfo:
        graph = self._d.graph
        degree = self.degree(viewer_id, target_id)
        # Nobody is a mutual connection between a member and themself.
        mutual = graph.mutual(viewer_id, target_id) if viewer_id != target_id else []
        path = graph.path(viewer_id, target_id) or []
        return DegreeInfo(
            degree=degree,
            mutual=await self.views(viewer_id, mutual),
            path=await self.views(viewer_id, path),
        )

    async def profile(self, viewer_id: int, target_id: int) -> ProfileCard:
        """A profile card with the actions that fit the viewer's relation to the member."""
        async with self._d.store.transaction() as tx:
            target = await existing_member(tx, target_id)
            viewer = await existing_member(tx, viewer_id)
            if await tx.blocks.exists(target_id, viewer_id):
                raise errors.MemberNotFound(handle=target.handle)
            await record_view(tx, viewer, target_id, self._d.clock.now())
            actions = await self._actions(tx, viewer, target)
            connections = await tx.connections.count(target_id)
            degree = self.degree(viewer_id, target_id)
            conversation = (
                await tx.conversations.between(viewer_id, target_id)
                if degree > Degree.SECOND
                else None
            )
            contacted = conversation is not None and await contacted_in(tx, conversation, viewer_id)
            # What the viewer keeps on them, for them alone (`bridge.core.contacts`).
            note = await tx.notes.get(viewer_id, target_id)
            tags = await tx.tags.on_contact(viewer_id, target_id)
            now = self._d.clock.now()
            own = viewer_id == target_id
            allowance = await invite_allowance(self._d, tx, viewer_id, now) if own else None
            after = None if own else await reinvite_after(self._d, tx, viewer_id, target_id, now)
        mutual = self._d.graph.mutual(viewer_id, target_id) if viewer_id != target_id else []
        return ProfileCard(
            view=member_view(target, degree, contacted=contacted),
            about=target.about,
            connections=connections,
            mutual=await self.views(viewer_id, mutual[:5]),
            actions=actions,
            note=note,
            tags=tags,
            allowance=allowance,
            reinvite_after=after,
        )

    async def _actions(self, tx: UnitOfWork, viewer: Member, target: Member) -> list[str]:
        if viewer.id == target.id:
            return ["edit"]
        if await tx.blocks.exists(viewer.id, target.id):
            return ["unblock"]
        degree = self.degree(viewer.id, target.id)
        if degree == Degree.FIRST:
            return ["message", "remove"]
        actions: list[str] = []
        if await tx.invitations.pending(target.id, viewer.id):
            actions += ["accept", "message"]
        elif await outstanding(tx, viewer.id, target.id):  # a decline looks pending too
            actions += ["withdraw", "message"]
        elif target.invite_policy == InvitePolicy.EVERYONE or degree == Degree.SECOND:
            actions.append("invite")
        if degree in (Degree.SECOND, Degree.THIRD) and "message" not in actions:
            actions.append("intro")  # ask a common connection (`introductions`)
        if not target.inmail_opt_out:
            actions.append("inmail")
        return actions

    async def search(self, viewer_id: int, query: str, limit: int = 10) -> list[MemberView]:
        """Members matching every word, closest degree first, names masked by degree."""
        ranked, _ = await self._ranked(viewer_id, search_terms(query))
        return ranked[:limit]

    async def find(self, viewer_id: int, query: str, limit: int = PAGE) -> SearchPage:
        """/find: the first page of a search, kept so that its other pages can be turned."""
        shown = clean_query(query)
        terms = search_terms(shown)
        async with self._d.store.transaction() as tx:
            search_id = await tx.members.save_search(viewer_id, shown, self._d.clock.now())
        return await self._page(viewer_id, search_id, shown, terms, 0, limit)

    async def find_page(
        self, viewer_id: int, search_id: int, offset: int, limit: int = PAGE
    ) -> SearchPage:
        """Another page of one of the viewer's own searches (anyone else's does not exist)."""
        async with self._d.store.read() as tx:
            query = await tx.members.saved_search(search_id, viewer_id)
        if query is None:
            raise errors.SearchExpired()
        return await self._page(viewer_id, search_id, query, search_terms(query), offset, limit)

    async def _page(
        self, viewer_id: int, search_id: int, query: str, terms: list[str], offset: int, limit: int
    ) -> SearchPage:
        ranked, capped = await self._ranked(viewer_id, terms)
        if offset >= len(ranked):  # a page of an older, longer result: the last one now
            offset = max(0, (len(ranked) - 1) // limit * limit)
        offset = max(offset, 0)
        return SearchPage(
            search_id=search_id,
            query=query,
            results=ranked[offset : offset + limit],
            offset=offset,
            total=len(ranked),
            capped=capped,
        )

    async def _ranked(self, viewer_id: int, terms: list[str]) -> tuple[list[MemberView], bool]:
        async with self._d.store.read() as tx:
            candidates = await tx.members.search(terms, SEARCH_CANDIDATES)
            hidden = await tx.blocks.related(viewer_id)
        capped = len(candidates) >= SEARCH_CANDIDATES
        candidates = [m for m in candidates if m.id != viewer_id and m.id not in hidden]
        degrees = self._d.graph.distances_from(viewer_id, [m.id for m in candidates])
        ranked = sorted(
            candidates,
            key=lambda m: (Degree.from_distance(degrees.get(m.id)), m.full_name.casefold(), m.id),
        )
        return [member_view(m, Degree.from_distance(degrees.get(m.id))) for m in ranked], capped

    async def connections(
        self, viewer_id: int, offset: int = 0, limit: int = 10
    ) -> tuple[list[MemberView], int]:
        async with self._d.store.transaction() as tx:
            ids = await tx.connections.list(viewer_id, max(offset, 0), limit)
            total = await tx.connections.count(viewer_id)
        return await self.views(viewer_id, ids), total

    async def check_connected(self, actor_id: int, target_id: int) -> None:
        """Before asking "Remove them?": they must be a connection."""
        async with self._d.store.transaction() as tx:
            if not await tx.connections.exists(actor_id, target_id):
                raise errors.NotAConnection()

    async def remove_connection(self, actor_id: int, target_id: int) -> MemberView:
        """Remove a connection; returns them as the actor saw them when asked "Remove?"."""
        async with self._d.store.transaction() as tx:
            target = await existing_member(tx, target_id)
            # Seen before the removal commits: once it has, another worker's notice of it
            # can reach this worker's graph index (its follower) at any moment.
            seen = self.view(actor_id, target)
            if not await tx.connections.remove(actor_id, target_id):
                raise errors.NotAConnection()
        await connection_changed(self._d, actor_id, target_id, added=False)
        return seen

    async def view_of(self, viewer_id: int, member_id: int) -> MemberView:
        """One member as the viewer may see them (`view`), by id."""
        async with self._d.store.read() as tx:
            member = await existing_member(tx, member_id)
        return self.view(viewer_id, member)
