"""What a member's next text message is for, when the bot asked for one: the note of an
invitation ("Write a note"), a profile field ("Edit headline").

Kept in the database (``members.awaiting``), not in the front end's memory, so a restart
between the question and the answer neither loses it nor sends the text somewhere else; taken
in the transaction that reads it, so one answer is used once.
"""

from __future__ import annotations

from enum import StrEnum

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.invitations import check_invitable
from bridge.core.members import existing_member, field_limit, profile_field
from bridge.core.models import Degree, Member, MemberView, Model
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork


class PromptKind(StrEnum):
    NOTE = "note"  # arg: the member to invite
    FIELD = "field"  # arg: the profile field


class Prompt(Model):
    kind: PromptKind
    arg: str

    def encode(self) -> str:
        return f"{self.kind.value}:{self.arg}"

    @classmethod
    def decode(cls, text: str | None) -> Prompt | None:
        """The stored prompt; anything unreadable is no prompt (never a crash)."""
        kind, sep, arg = (text or "").partition(":")
        if not sep or kind not in {k.value for k in PromptKind} or not arg:
            return None
        return cls(kind=PromptKind(kind), arg=arg)

    @property
    def target_id(self) -> int:
        return int(self.arg)


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
            target = await check_invitable(self._d, tx, actor_id, target_id,
                                           self._d.clock.now())
            await self._put(tx, actor_id, Prompt(kind=PromptKind.NOTE, arg=str(target_id)))
        degree = Degree.from_distance(self._d.graph.distance(actor_id, target_id))
        return NotePrompt(target=member_view(target, degree), limit=self._d.rules.note_max)

    async def ask_field(self, actor_id: int, field: str) -> FieldPrompt:
        """The actor's next text is the new value of a profile field (named in English or
        by its French label)."""
        field = profile_field(field)
        async with self._d.store.transaction() as tx:
            member = await self._put(tx, actor_id, Prompt(kind=PromptKind.FIELD, arg=field))
        return FieldPrompt(field=field, limit=field_limit(self._d.rules, field),
                           current=getattr(member, field))

    async def take(self, actor_id: int) -> Prompt | None:
        """The prompt the actor's text answers, cleared in the same transaction."""
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, actor_id)
            if member.awaiting is None:
                return None
            prompt = Prompt.decode(member.awaiting)
            member.awaiting = None
            await tx.members.save(member)
        if prompt is not None and prompt.kind == PromptKind.NOTE and not prompt.arg.isdigit():
            return None
        return prompt

    async def restore(self, actor_id: int, prompt: Prompt) -> None:
        """Ask again: the answer was refused (too long, empty) and can be sent again."""
        await self._set(actor_id, prompt)

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
