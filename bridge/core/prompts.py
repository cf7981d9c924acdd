"""What a member's next text message is for, when the bot asked for one: the note of an
invitation ("Write a note"), a profile field ("Edit headline"), an InMail from a profile
card ("✉️ InMail": `Subject | Message`).

Kept in the database (``members.awaiting``), not in the front end's memory, so a restart
between the question and the answer neither loses it nor sends the text somewhere else. The
answer's use case ends the question in its own transaction (`awaiting.answered`), so one
answer is used once; asking anything else (or /open, /close) replaces it.
"""

from __future__ import annotations

from bridge.core import errors
from bridge.core.awaiting import Prompt, PromptKind
from bridge.core.credits import check_can_inmail
from bridge.core.deps import CoreDeps
from bridge.core.invitations import check_invitable
from bridge.core.members import existing_member, field_limit, profile_field
from bridge.core.models import Degree, Member, MemberView, Model
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork

__all__ = ["Prompt", "PromptKind", "Prompts"]


class NotePrompt(Model):
    """What "Write your note to …" says: to whom, and how long the note may be."""

    target: MemberView
    limit: int


class FieldPrompt(Model):
    """What "Send your new headline …" says: the field, its limit and its current value."""

    field: str
    limit: int
    current: str


class Prompts:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def ask_note(self, actor_id: int, target_id: int) -> NotePrompt:
        """The actor's next text is the note of an invitation to `target_id` — if inviting
        them would work now: no note is written for an invitation that can't go."""
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        async with self._d.store.transaction() as tx:
            target = await check_invitable(self._d, tx, actor_id, target_id, self._d.clock.now())
            await self._put(tx, actor_id, Prompt(kind=PromptKind.NOTE, arg=str(target_id)))
        degree = Degree.from_distance(self._d.graph.distance(actor_id, target_id))
        return NotePrompt(target=member_view(target, degree), limit=self._d.rules.note_max)

    async def ask_field(self, actor_id: int, field: str) -> FieldPrompt:
        """The actor's next text is the new value of a profile field (named in English or
        by its French label)."""
        field = profile_field(field)
        async with self._d.store.transaction() as tx:
            member = await self._put(tx, actor_id, Prompt(kind=PromptKind.FIELD, arg=field))
        return FieldPrompt(
            field=field, limit=field_limit(self._d.rules, field), current=getattr(member, field)
        )

    async def ask_auto_reply(self, actor_id: int) -> Member:
        """The actor's next text is their automatic reply to invitations without a note."""
        async with self._d.store.transaction() as tx:
            return await self._put(tx, actor_id, Prompt(kind=PromptKind.AUTO_REPLY, arg="text"))

    async def ask_handle(self, actor_id: int) -> Member:
        """The actor's next text is their new handle; returns them (their current one)."""
        async with self._d.store.transaction() as tx:
            return await self._put(tx, actor_id, Prompt(kind=PromptKind.HANDLE, arg="new"))

    async def ask_inmail(self, actor_id: int, target_id: int) -> MemberView:
        """The actor's next text is an InMail to `target_id` (`Subject | Message`), if one
        could go now: no member should write a whole InMail to hear then that it can't be
        sent. Returns the recipient as the actor may see them."""
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            actor = await existing_member(tx, actor_id)
            target = await existing_member(tx, target_id)
            await check_can_inmail(tx, self._d.rules, actor, target, now)
            actor.awaiting = Prompt(kind=PromptKind.INMAIL, arg=str(target_id)).encode()
            await tx.members.save(actor)
        return member_view(
            target, Degree.from_distance(self._d.graph.distance(actor_id, target_id))
        )

    async def pending(self, actor_id: int) -> Prompt | None:
        """The question the actor's next text answers, if any (an unreadable one is none)."""
        async with self._d.store.read() as tx:
            member = await existing_member(tx, actor_id)
        return Prompt.decode(member.awaiting)

    async def cancel(self, actor_id: int) -> None:
        await self._set(actor_id, None)

    async def _set(self, actor_id: int, prompt: Prompt | None) -> None:
        async with self._d.store.transaction() as tx:
            await self._put(tx, actor_id, prompt)

    async def _put(self, tx: UnitOfWork, actor_id: int, prompt: Prompt | None) -> Member:
        member = await existing_member(tx, actor_id)
        member.awaiting = prompt.encode() if prompt is not None else None
        await tx.members.save(member)
        return member
