"""Warm introductions: on a 2nd- or 3rd-degree profile, a member asks one of their
connections who knows that member (a mutual connection, or the next step on /degree's path)
to introduce them, with a note; the connection forwards it with one tap — both introduced
members are told, and may write to each other from then on — or declines, silently.

Authorized here: only the asked connection answers, and only once (one conditional UPDATE);
the choice of connection is checked against the graph when asked, not trusted from a button.
"""

from __future__ import annotations

from bridge.core import errors
from bridge.core.awaiting import Prompt, PromptKind, answered
from bridge.core.deps import CoreDeps
from bridge.core.members import check_not_blocked, existing_member
from bridge.core.models import (
    Degree,
    Introduction,
    IntroductionChoice,
    IntroductionStatus,
    IntroductionView,
    Member,
    NotificationKind,
)
from bridge.core.owed import notify
from bridge.core.views import member_view
from bridge.storage.port import ConstraintViolation, UnitOfWork

VIA_SHOWN = 5  # connections offered to ask, closest first


class Introductions:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    def _degree(self, a: int, b: int) -> Degree:
        return Degree.from_distance(self._d.graph.distance(a, b))

    def _intermediaries(self, actor_id: int, target_id: int) -> list[int]:
        """The actor's connections one or two steps from the target: mutual connections
        first (they know the target), then those on a path to a 3rd-degree member."""
        graph = self._d.graph
        mutual = graph.mutual(actor_id, target_id)
        if mutual:
            return mutual
        return sorted(n for n in graph.neighbours(actor_id) if graph.distance(n, target_id, 2) == 2)

    async def choices(self, actor_id: int, target_id: int) -> IntroductionChoice:
        """Whom the actor may ask to introduce them to the target (2nd or 3rd degree)."""
        async with self._d.store.read() as tx:
            target = await self._check_target(tx, actor_id, target_id)
        via = self._intermediaries(actor_id, target_id)[:VIA_SHOWN]
        async with self._d.store.read() as tx:
            people = await tx.members.get_many(via)
        return IntroductionChoice(
            target=member_view(target, self._degree(actor_id, target_id)),
            via=[member_view(people[i], Degree.FIRST) for i in via if i in people],
            note_limit=self._d.rules.note_max,
        )

    async def ask_note(self, actor_id: int, target_id: int, via_id: int) -> IntroductionChoice:
        """The actor's next text is the note to `via_id` asking for the introduction."""
        async with self._d.store.transaction() as tx:
            target, via = await self._check(tx, actor_id, target_id, via_id)
            actor = await existing_member(tx, actor_id)
            prompt = Prompt(kind=PromptKind.INTRODUCTION, arg=f"{target_id}.{via_id}")
            actor.awaiting = prompt.encode()
            await tx.members.save(actor)
        return IntroductionChoice(
            target=member_view(target, self._degree(actor_id, target_id)),
            via=[member_view(via, Degree.FIRST)],
            note_limit=self._d.rules.note_max,
        )

    async def ask(
        self,
        actor_id: int,
        target_id: int,
        via_id: int,
        note: str,
        answering: Prompt | None = None,
    ) -> IntroductionView:
        """Send the request to `via_id`, who is told (outbox) in the same transaction."""
        note = note.strip()
        if not note:
            raise errors.EmptyMessage()
        limit = self._d.rules.note_max
        if len(note) > limit:
            raise errors.IntroductionNoteTooLong(limit=limit, length=len(note))
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            await self._check(tx, actor_id, target_id, via_id)
            try:
                asked = await tx.introductions.add(actor_id, target_id, via_id, note, now)
            except ConstraintViolation:  # a concurrent request won the unique index
                raise errors.IntroductionAlreadyAsked() from None
            await notify(
                tx, via_id, NotificationKind.INTRODUCTION_ASKED, asked.id, now, sender_id=actor_id
            )
            await answered(tx, actor_id, answering)
            return await self._view(tx, asked, actor_id)

    async def forward(self, actor_id: int, introduction_id: int) -> IntroductionView:
        """The asked connection introduces them: both are told, and may write to each other."""
        return await self._answer(actor_id, introduction_id, IntroductionStatus.FORWARDED)

    async def decline(self, actor_id: int, introduction_id: int) -> IntroductionView:
        """The asked connection declines; the requester is never told."""
        return await self._answer(actor_id, introduction_id, IntroductionStatus.DECLINED)

    async def for_delivery(self, introduction_id: int, member_id: int) -> IntroductionView | None:
        """The introduction as `member_id` (one of its three members) sees it; None if gone."""
        async with self._d.store.read() as tx:
            intro = await tx.introductions.get(introduction_id)
            if intro is None or member_id not in (
                intro.requester_id,
                intro.target_id,
                intro.intermediary_id,
            ):
                return None
            return await self._view(tx, intro, member_id)

    async def _answer(
        self, actor_id: int, introduction_id: int, status: IntroductionStatus
    ) -> IntroductionView:
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            intro = await tx.introductions.answer(introduction_id, actor_id, status, now)
            if intro is None:
                raise errors.IntroductionNotAvailable()
            if status == IntroductionStatus.FORWARDED:
                await check_not_blocked(tx, intro.requester_id, intro.target_id)
                if await tx.conversations.between(intro.requester_id, intro.target_id) is None:
                    await tx.conversations.create(intro.requester_id, intro.target_id, now)
                for member_id, other_id in (
                    (intro.requester_id, intro.target_id),
                    (intro.target_id, intro.requester_id),
                ):
                    await notify(
                        tx,
                        member_id,
                        NotificationKind.INTRODUCED,
                        intro.id,
                        now,
                        sender_id=other_id,
                    )
            return await self._view(tx, intro, actor_id)

    async def _check_target(self, tx: UnitOfWork, actor_id: int, target_id: int) -> Member:
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        target = await existing_member(tx, target_id)
        await check_not_blocked(tx, actor_id, target_id)
        degree = self._degree(actor_id, target_id)
        if degree == Degree.FIRST:
            raise errors.IntroductionNotNeeded()
        if degree == Degree.OUT:
            raise errors.NoIntroductionPath()
        if await tx.introductions.asked(actor_id, target_id) is not None:
            raise errors.IntroductionAlreadyAsked()
        return target

    async def _check(
        self, tx: UnitOfWork, actor_id: int, target_id: int, via_id: int
    ) -> tuple[Member, Member]:
        target = await self._check_target(tx, actor_id, target_id)
        if via_id not in self._intermediaries(actor_id, target_id):
            raise errors.IntermediaryUnavailable()
        via = await existing_member(tx, via_id)
        await check_not_blocked(tx, via_id, target_id)
        return target, via

    async def _view(self, tx: UnitOfWork, intro: Introduction, viewer_id: int) -> IntroductionView:
        people = await tx.members.get_many(
            (intro.requester_id, intro.target_id, intro.intermediary_id)
        )
        # Once introduced, a common connection vouched for each of the two: full names
        # between them (before that, the target stays masked by degree for the requester).
        introduced = intro.status == IntroductionStatus.FORWARDED and viewer_id in (
            intro.requester_id,
            intro.target_id,
        )

        def seen(member_id: int) -> Degree:
            return self._degree(viewer_id, member_id)

        conversation = None
        if intro.status == IntroductionStatus.FORWARDED:
            conversation = await tx.conversations.between(intro.requester_id, intro.target_id)

        return IntroductionView(
            id=intro.id,
            requester=member_view(
                people[intro.requester_id], seen(intro.requester_id), contacted=True
            ),
            target=member_view(
                people[intro.target_id], seen(intro.target_id), contacted=introduced
            ),
            intermediary=member_view(people[intro.intermediary_id], seen(intro.intermediary_id)),
            note=intro.note,
            status=intro.status,
            conversation_id=conversation.id if conversation is not None else None,
        )
