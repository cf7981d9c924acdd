"""What a member keeps on their contacts, for them alone: tags (free-form names with a colour,
several per contact) and one private note per contact; and the preview shown beside every
message from a contact, which gathers them with what the network knows (mutual connections).
"""

from __future__ import annotations

import re
import zlib

from bridge.core import errors
from bridge.core.awaiting import Prompt, PromptKind, answered
from bridge.core.conversations import contacted_in, participant_conversation
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member
from bridge.core.models import (
    ContactNote,
    ContactPreview,
    ContactTags,
    Degree,
    Member,
    MemberView,
    TagCount,
)
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork

TAG_LIMIT = 32  # characters in a tag's name
NOTE_LIMIT = 1000  # characters in a note
# A tag's colour: the one typed before its name (`/tag @bob 🟢 candidate`), else one drawn from
# its name, so the same name has the same colour for everyone and in every session.
COLOURS = ("🔴", "🟠", "🟡", "🟢", "🔵", "🟣", "🟤", "⚫")
_NAME = re.compile(r"^[\w-]+$")


def parse_tags(words: list[str]) -> list[tuple[str, str]]:
    """``["🟢", "#Candidate", "lyon"]`` → ``[("candidate", "🟢"), ("lyon", <its colour>)]``:
    names case-folded without their ``#``, each with the colour typed before it, if any.
    Every name is checked before anything changes."""
    found: list[tuple[str, str]] = []
    colour: str | None = None
    for word in words:
        if word in COLOURS or word.rstrip("\ufe0f") in COLOURS:
            colour = word.rstrip("\ufe0f")
            continue
        name = word.removeprefix("#").casefold()
        if not name or len(name) > TAG_LIMIT or not _NAME.match(name):
            raise errors.InvalidTag(tag=word, limit=TAG_LIMIT)
        found.append((name, colour or COLOURS[zlib.crc32(name.encode()) % len(COLOURS)]))
        colour = None
    if not found:
        raise errors.InvalidTag(tag=" ".join(words), limit=TAG_LIMIT)
    return found


def first_line(note: str | None, limit: int = 80) -> str:
    """A note's first non-empty line, cut at `limit` characters (with "…")."""
    line = next((part.strip() for part in (note or "").splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


async def contact_preview(
    deps: CoreDeps, tx: UnitOfWork, viewer_id: int, contact_id: int
) -> ContactPreview:
    """The preview beside a message from `contact_id`: one indexed read (the note and the
    tags) and the graph index's mutual count (microseconds), cheap enough for every
    relayed message."""
    note, tags = await tx.notes.with_tags(viewer_id, contact_id)
    return ContactPreview(
        mutual=len(deps.graph.mutual(viewer_id, contact_id)),
        tags=tags,
        note_line=first_line(note),
    )


class Contacts:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def _contact(self, tx: UnitOfWork, actor_id: int, contact_id: int) -> Member:
        if contact_id == actor_id:
            raise errors.CannotTargetSelf()
        return await existing_member(tx, contact_id)

    async def _view(self, tx: UnitOfWork, actor_id: int, contact: Member) -> MemberView:
        """The contact as the actor may see them (masked by degree unless they wrote)."""
        degree = Degree.from_distance(self._d.graph.distance(actor_id, contact.id))
        conversation = await tx.conversations.between(actor_id, contact.id)
        contacted = conversation is not None and await contacted_in(tx, conversation, actor_id)
        return member_view(contact, degree, contacted=contacted, typed_handle=True)

    async def _tags_of(self, tx: UnitOfWork, actor_id: int, contact: Member) -> ContactTags:
        counts = await tx.tags.counts(actor_id)
        on = await tx.tags.on_contact(actor_id, contact.id)
        return ContactTags(
            contact=await self._view(tx, actor_id, contact),
            tags=[c.tag for c in counts],
            on=[t.id for t in on],
        )

    async def tag(self, actor_id: int, contact_id: int, words: list[str]) -> ContactTags:
        """Put one or more tags on a contact (`/tag @handle name…`); a new name becomes a
        new tag. Tagging twice changes nothing."""
        wanted = parse_tags(words)
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            contact = await self._contact(tx, actor_id, contact_id)
            for name, colour in wanted:
                tag = await tx.tags.ensure(actor_id, name, colour, now)
                await tx.tags.attach(tag.id, contact.id, now)
            return await self._tags_of(tx, actor_id, contact)

    async def untag(self, actor_id: int, contact_id: int, words: list[str]) -> ContactTags:
        """Take tags off a contact; a name the contact does not carry is an error and
        nothing changes (the tag itself stays, for other contacts and the card's buttons)."""
        wanted = parse_tags(words)
        async with self._d.store.transaction() as tx:
            contact = await self._contact(tx, actor_id, contact_id)
            carried = {t.name: t for t in await tx.tags.on_contact(actor_id, contact.id)}
            for name, _ in wanted:
                if name not in carried:
                    raise errors.TagNotOnContact(tag=name)
            for name, _ in wanted:
                await tx.tags.detach(carried[name].id, contact.id)
            return await self._tags_of(tx, actor_id, contact)

    async def tags(self, actor_id: int) -> list[TagCount]:
        """Every tag of the member, by name, with how many contacts carry it."""
        async with self._d.store.read() as tx:
            return await tx.tags.counts(actor_id)

    async def tags_in_conversation(self, actor_id: int, conversation_id: int) -> ContactTags:
        """A conversation card's Tags button: the other member's tags, to toggle."""
        async with self._d.store.read() as tx:
            conversation = await participant_conversation(tx, actor_id, conversation_id)
            contact = await existing_member(tx, conversation.other(actor_id))
            return await self._tags_of(tx, actor_id, contact)

    async def toggle(self, actor_id: int, conversation_id: int, tag_id: int) -> ContactTags:
        """A tag's button on a card: on if the other member did not carry it, else off. The
        button's ids are only a claim: the conversation must be the actor's, the tag theirs."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            conversation = await participant_conversation(tx, actor_id, conversation_id)
            tag = await tx.tags.owned(actor_id, tag_id)
            if tag is None:
                raise errors.TagNotFound()
            contact = await existing_member(tx, conversation.other(actor_id))
            if not await tx.tags.attach(tag.id, contact.id, now):
                await tx.tags.detach(tag.id, contact.id)
            return await self._tags_of(tx, actor_id, contact)

    async def set_note(
        self, actor_id: int, contact_id: int, text: str, answering: Prompt | None = None
    ) -> ContactNote:
        """Write the note on a contact, replacing the one before (`/note @handle text`, or
        the text answering the card's 📝 question, which ends with it)."""
        text = text.strip()
        if len(text) > NOTE_LIMIT:
            raise errors.ContactNoteTooLong(limit=NOTE_LIMIT, length=len(text))
        async with self._d.store.transaction() as tx:
            contact = await self._contact(tx, actor_id, contact_id)
            if text:
                await tx.notes.set(actor_id, contact.id, text, self._d.clock.now())
            else:
                await tx.notes.remove(actor_id, contact.id)
            await answered(tx, actor_id, answering)
            return ContactNote(contact=await self._view(tx, actor_id, contact), text=text or None)

    async def ask_note(self, actor_id: int, conversation_id: int) -> ContactNote:
        """A conversation card's 📝 Note: the actor's next text is their note on the other
        member (the conversation checked as theirs); returns the note as it is now."""
        async with self._d.store.transaction() as tx:
            conversation = await participant_conversation(tx, actor_id, conversation_id)
            contact = await existing_member(tx, conversation.other(actor_id))
            actor = await existing_member(tx, actor_id)
            actor.awaiting = Prompt(kind=PromptKind.CONTACT_NOTE, arg=str(contact.id)).encode()
            await tx.members.save(actor)
            return ContactNote(
                contact=await self._view(tx, actor_id, contact),
                text=await tx.notes.get(actor_id, contact.id),
            )

    async def note(self, actor_id: int, contact_id: int) -> ContactNote:
        """The note on a contact (`/note @handle`), None when there is none."""
        async with self._d.store.read() as tx:
            contact = await self._contact(tx, actor_id, contact_id)
            return ContactNote(
                contact=await self._view(tx, actor_id, contact),
                text=await tx.notes.get(actor_id, contact.id),
            )
