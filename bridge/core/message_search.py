"""/search: the member's own messages by their words, newest first.

The query is read the way /find reads one (`search.search_terms`: folded, cleaned, each word
a prefix, gendered job titles alike); the storage matches it in a full-text index. Names are
masked as everywhere (`views.member_view`): someone who wrote in the conversation shows who
they are, as in the inbox.
"""

from __future__ import annotations

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member
from bridge.core.models import Degree, MemberView, Message, Model
from bridge.core.search import clean_query, search_terms
from bridge.core.views import member_view

PAGE = 8


class MessageHit(Model):
    message: Message
    other: MemberView  # the other member of the conversation, as the searcher may see them
    mine: bool  # the searcher wrote it


class MessageSearchPage(Model):
    search_id: int  # the saved query, for the next page's button
    query: str
    hits: list[MessageHit]
    older: int | None  # the `before_id` of the next (older) page, if there is one


class MessageSearch:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def search(self, actor_id: int, query: str, limit: int = PAGE) -> MessageSearchPage:
        """The newest `limit` messages in the actor's conversations matching every word of
        `query` (a typed error when it has none, or is too long). The query is saved for the
        older pages' button (callback data can't hold it), as /find's are."""
        try:
            terms = search_terms(query)
        except errors.EmptyQuery:
            raise errors.EmptyQuery(command="search") from None  # its example is /search's
        shown = clean_query(query)
        async with self._d.store.transaction() as tx:
            await existing_member(tx, actor_id)
            search_id = await tx.members.save_search(actor_id, shown, self._d.clock.now())
        return await self._page(actor_id, search_id, shown, terms, None, limit)

    async def older(
        self, actor_id: int, search_id: int, before_id: int, limit: int = PAGE
    ) -> MessageSearchPage:
        """The next page of a saved search: its messages older than `before_id`."""
        async with self._d.store.read() as tx:
            query = await tx.members.saved_search(search_id, actor_id)
        if query is None:
            raise errors.SearchExpired()
        return await self._page(actor_id, search_id, query, search_terms(query), before_id, limit)

    async def _page(
        self,
        actor_id: int,
        search_id: int,
        query: str,
        terms: list[str],
        before_id: int | None,
        limit: int,
    ) -> MessageSearchPage:
        async with self._d.store.read() as tx:
            await existing_member(tx, actor_id)
            found = await tx.messages.search(actor_id, terms, before_id, limit + 1)
            found, more = found[:limit], len(found) > limit
            conversations = {
                cid: await tx.conversations.get(cid) for cid in {m.conversation_id for m in found}
            }
            others = {
                cid: (c.member_b if c.member_a == actor_id else c.member_a)
                for cid, c in conversations.items()
                if c is not None
            }
            members = await tx.members.get_many(set(others.values()))
            written = await tx.messages.written_to(actor_id, list(others))
        degrees = self._d.graph.distances_from(actor_id, list(set(others.values())))
        hits = [
            MessageHit(
                message=m,
                other=member_view(
                    members[others[m.conversation_id]],
                    Degree.from_distance(degrees.get(others[m.conversation_id])),
                    contacted=m.conversation_id in written,
                ),
                mine=m.sender_id == actor_id,
            )
            for m in found
            if m.conversation_id in others and others[m.conversation_id] in members
        ]
        return MessageSearchPage(
            search_id=search_id, query=query, hits=hits, older=found[-1].id if more else None
        )
