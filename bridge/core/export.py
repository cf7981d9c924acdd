"""/export: everything the network holds about a member, as they may see it — their
profile, connections, conversations with every message they still have (the sales mailbox's
too), their tags and private notes on contacts, and credit ledger.

Names of others are masked as everywhere (`views.member_view`: what the member could read
in their chat, nothing more). Not the member's Telegram identity: it is not Bridge's data.
"""

from __future__ import annotations

from datetime import datetime

from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member
from bridge.core.models import (
    Degree,
    InboxFilter,
    LedgerEntry,
    Member,
    MemberView,
    Message,
    Model,
)
from bridge.core.views import member_view

PAGE = 500
# A member's own fields in the export (ids, Telegram identity and internal state aside).
PROFILE_FIELDS = (
    "handle",
    "first_name",
    "last_name",
    "language",
    "headline",
    "company",
    "location",
    "industry",
    "about",
    "invite_policy",
    "inmail_opt_out",
    "plan",
    "credits",
    "notify_mode",
    "quiet_start",
    "quiet_end",
    "timezone",
    "digest_at",
    "created_at",
)


class ExportedConversation(Model):
    other: MemberView
    archived: bool
    spam: bool
    messages: list[Message]  # oldest first, only what the member still has


class ExportedTag(Model):
    contact: MemberView
    tag: str
    colour: str


class ExportedNote(Model):
    contact: MemberView
    text: str


class MemberExport(Model):
    exported_at: datetime
    profile: dict[str, object]
    connections: list[MemberView]
    conversations: list[ExportedConversation]
    ledger: list[LedgerEntry]  # newest first
    tags: list[ExportedTag] = []  # by tag name
    notes: list[ExportedNote] = []


def profile_of(member: Member) -> dict[str, object]:
    data = member.model_dump(mode="json")
    return {name: data[name] for name in PROFILE_FIELDS}


class Export:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def collect(self, actor_id: int) -> MemberExport:
        """The member's data, read in one transaction (a consistent picture)."""
        async with self._d.store.read() as tx:
            member = await existing_member(tx, actor_id)
            connection_ids: list[int] = []
            while batch := await tx.connections.list(actor_id, len(connection_ids), PAGE):
                connection_ids += batch
            pairs = {}
            for chosen in (
                InboxFilter.ALL,
                InboxFilter.ARCHIVED,
                InboxFilter.SPAM,
                InboxFilter.SALES,
            ):
                cursor: tuple[datetime, int] | None = None
                while rows := await tx.conversations.inbox(actor_id, chosen, cursor, PAGE):
                    pairs.update({c.id: (c, s) for c, s in rows})
                    cursor = (rows[-1][1].last_activity_at, rows[-1][0].id)
            tagged = await tx.tags.assignments(actor_id)
            noted = await tx.notes.all(actor_id)
            others = await tx.members.get_many(
                set(connection_ids)
                | {c.other(actor_id) for c, _ in pairs.values()}
                | {contact for contact, _ in tagged}
                | {contact for contact, _ in noted}
            )
            histories: dict[int, list[Message]] = {}
            for conversation, state in pairs.values():
                history: list[Message] = []
                before: int | None = None
                while older := await tx.messages.history(
                    conversation.id, state.cleared_through, before, PAGE
                ):
                    history = older + history
                    before = older[0].id
                histories[conversation.id] = history
            written = await tx.messages.written_to(actor_id, list(pairs))
            ledger = await tx.ledger.recent(actor_id, 1_000_000)
        degrees = self._d.graph.distances_from(actor_id, list(others))

        def seen(member_id: int, contacted: bool = False) -> MemberView:
            degree = Degree.from_distance(degrees.get(member_id))
            return member_view(others[member_id], degree, contacted=contacted)

        conversations = [
            ExportedConversation(
                other=seen(c.other(actor_id), contacted=c.id in written),
                archived=s.archived,
                spam=s.spam,
                messages=histories[c.id],
            )
            for c, s in sorted(pairs.values(), key=lambda p: p[0].id)
        ]
        return MemberExport(
            exported_at=self._d.clock.now(),
            profile=profile_of(member),
            connections=[seen(i) for i in connection_ids if i in others],
            conversations=conversations,
            ledger=ledger,
            tags=[
                ExportedTag(contact=seen(contact), tag=tag.name, colour=tag.colour)
                for contact, tag in tagged
                if contact in others
            ],
            notes=[
                ExportedNote(contact=seen(contact), text=text)
                for contact, text in noted
                if contact in others
            ],
        )
