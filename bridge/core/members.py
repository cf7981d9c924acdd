"""Members: registration, handles, profiles, settings and blocking."""

from __future__ import annotations

import re

from bridge.core import errors
from bridge.core.awaiting import Prompt, answered
from bridge.core.deps import CoreDeps
from bridge.core.graph_changes import connection_changed
from bridge.core.handles import PLACEHOLDER_PREFIX, chosen_handle, generated_handle, name_stem
from bridge.core.invitation_status import outstanding
from bridge.core.models import (
    PROFILE_FIELD_ALIASES,
    PROFILE_FIELDS,
    InvitationStatus,
    InvitePolicy,
    Member,
    NewMember,
)
from bridge.core.rules import Rules
from bridge.locale import LANGUAGES  # the languages with a catalog: the one list
from bridge.storage.port import UnitOfWork

_HANDLE = re.compile(r"^[a-z0-9_]{2,32}$")


def normalize_language(code: str | None, default: str) -> str:
    """Telegram's ``fr-CA`` → ``fr``; anything we don't speak → the default."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else default


def parse_handle(text: str) -> str:
    """``@Alice_M`` → ``alice_m``; anything that can't be a handle is a typed error."""
    handle = text.strip().removeprefix("@").lower()
    if not _HANDLE.match(handle):
        raise errors.InvalidHandle(handle=text.strip()[:40])
    return handle


def handle_stem(first: str, last: str, length: int = 24) -> str:
    """The ASCII start of a full-name handle: ``Élise Guérin`` → ``eliseguerin``."""
    slug = name_stem(f"{first}{last}", length)
    return slug if len(slug) >= 2 else "member"


def profile_field(name: str) -> str:
    """A profile field as a member may name it: ``headline`` or its French label ``titre``
    (the bot shows French speakers the labels, so it accepts them back)."""
    field = name.strip().lower()
    field = PROFILE_FIELD_ALIASES.get(field, field)
    if field not in PROFILE_FIELDS:
        raise errors.UnknownProfileField(field=name.strip()[:40], fields=list(PROFILE_FIELDS))
    return field


def field_limit(rules: Rules, field: str) -> int:
    """How long a profile field may be (the prompt for a field says it up front)."""
    return {"headline": rules.headline_max, "about": rules.about_max}.get(
        field, rules.short_field_max
    )


AUTO_REPLY_MAX = 500  # the automatic answer to an invitation without a note


class Members:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def register(self, new: NewMember) -> tuple[Member, bool]:
        """Create the member for a Telegram user, or refresh the one we know; True if created.

        Coming back (``/start``) also marks a member reachable again after they had blocked
        the bot. The handle never comes from the Telegram username (`bridge.core.handles`).
        """
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            known = await tx.members.by_telegram_id(new.telegram_id)
            if known is not None:
                known.first_name, known.last_name = new.first_name, new.last_name
                known.username = new.username
                known.reachable = True
                await tx.members.save(known)
                return known, False
            handle = await generated_handle(tx, new.first_name, new.last_name, new.username)
            member = await tx.members.add(new, handle, now)
            return member, True

    async def get(self, member_id: int) -> Member:
        async with self._d.store.read() as tx:
            member = await tx.members.get(member_id)
        if member is None:
            raise errors.MemberNotFound(handle=str(member_id))
        return member

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        async with self._d.store.read() as tx:
            return await tx.members.by_telegram_id(telegram_id)

    async def resolve(self, handle_text: str) -> Member:
        """The member a typed ``@handle`` names."""
        handle = parse_handle(handle_text)
        async with self._d.store.read() as tx:
            member = await tx.members.by_handle(handle)
        if member is None or member.left_at is not None:
            raise errors.MemberNotFound(handle=handle)
        return member

    async def choose_handle(
        self, actor_id: int, text: str, answering: Prompt | None = None
    ) -> Member:
        """/handle name: the member's handle from now on, if it is valid and free (their
        current one is free for them). The old one stops resolving at once."""
        handle = chosen_handle(text)
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, actor_id)
            holder = await tx.members.by_handle(handle)
            if holder is not None and holder.id != actor_id:
                raise errors.HandleTaken(handle=handle)
            member.handle = handle
            await tx.members.save(member)
            await answered(tx, actor_id, answering)
            return await existing_member(tx, actor_id)

    async def settle_placeholder_handles(self) -> int:
        """Give every member whose handle is a placeholder (migration 0012 took away the
        handles made from Telegram usernames) one made from their name; returns how many.
        Run at start: saving the member also rewrites their search text, which held the
        username too. Nothing to do, nothing written, on every later start."""
        settled = 0
        async with self._d.store.transaction() as tx:
            for member in await tx.members.with_handle_prefix(PLACEHOLDER_PREFIX):
                member.handle = await generated_handle(
                    tx, member.first_name, member.last_name, member.username
                )
                await tx.members.save(member)
                settled += 1
        return settled

    def is_admin(self, member: Member) -> bool:
        return member.telegram_id in self._d.admin_telegram_ids

    def admin_telegram_ids(self) -> frozenset[int]:
        """Whom to tell when something breaks (their Telegram ids: they may not be members)."""
        return self._d.admin_telegram_ids

    async def edit_profile(
        self, actor_id: int, field: str, text: str, answering: Prompt | None = None
    ) -> Member:
        """``answering``: the question ("Send your headline") this value answers ends with
        it."""
        field = profile_field(field)
        value = text.strip()
        limit = field_limit(self._d.rules, field)
        if len(value) > limit:
            raise errors.ProfileFieldTooLong(field=field, limit=limit, length=len(value))
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, actor_id)
            setattr(member, field, value)
            await tx.members.save(member)
            await answered(tx, actor_id, answering)
            return await existing_member(tx, actor_id)

    async def set_language(self, actor_id: int, language: str) -> Member:
        language = language.strip().lower()
        if language not in LANGUAGES:
            raise errors.InvalidSetting(
                setting="language", value=language[:20], choices=list(LANGUAGES)
            )
        return await self._update(actor_id, language=language)

    async def set_invite_policy(self, actor_id: int, policy: str) -> Member:
        try:
            chosen = InvitePolicy(policy)
        except ValueError:
            raise errors.InvalidSetting(
                setting="invite_policy", value=policy[:20], choices=[p.value for p in InvitePolicy]
            ) from None
        return await self._update(actor_id, invite_policy=chosen)

    async def set_inmail_opt_out(self, actor_id: int, opted_out: bool) -> Member:
        return await self._update(actor_id, inmail_opt_out=opted_out)

    async def set_auto_reply(
        self, actor_id: int, on: bool, text: str | None = None, answering: Prompt | None = None
    ) -> Member:
        """Answer (or stop answering) invitations without a note automatically; `text`
        replaces the answer (the front end gives the default, in the member's language,
        when there is none yet). ``answering``: the question this text answers ends with it."""
        if text is not None:
            text = text.strip()
            if not text:
                raise errors.EmptyMessage()
            if len(text) > AUTO_REPLY_MAX:
                raise errors.MessageTooLong(limit=AUTO_REPLY_MAX, length=len(text))
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, actor_id)
            member.auto_reply_on = on
            if text is not None:
                member.auto_reply = text
            await tx.members.save(member)
            await answered(tx, actor_id, answering)
            return member

    async def set_require_note(self, actor_id: int, required: bool) -> Member:
        return await self._update(actor_id, require_note=required)

    async def set_reachable(self, member_id: int, reachable: bool) -> Member:
        return await self._update(member_id, reachable=reachable)

    async def _update(self, member_id: int, **changes: object) -> Member:
        return await update_member(self._d, member_id, **changes)

    async def block(self, actor_id: int, target_id: int) -> None:
        """Block: no contact either way, hidden from each other's search, connection removed."""
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            await existing_member(tx, target_id)
            if await tx.blocks.exists(actor_id, target_id):
                raise errors.AlreadyBlocked()
            await tx.blocks.add(actor_id, target_id, now)
            removed = await tx.connections.remove(actor_id, target_id)
            for sender, recipient in ((actor_id, target_id), (target_id, actor_id)):
                pending = await outstanding(tx, sender, recipient)
                if pending is not None:
                    await tx.invitations.set_status(pending.id, InvitationStatus.WITHDRAWN, now)
        if removed:
            await connection_changed(self._d, actor_id, target_id, added=False)

    async def unblock(self, actor_id: int, target_id: int) -> None:
        async with self._d.store.transaction() as tx:
            if not await tx.blocks.remove(actor_id, target_id):
                raise errors.NotBlocked()


async def update_member(deps: CoreDeps, member_id: int, **changes: object) -> Member:
    """Set some of a member's fields in one transaction."""
    async with deps.store.transaction() as tx:
        member = await existing_member(tx, member_id)
        for name, value in changes.items():
            setattr(member, name, value)
        await tx.members.save(member)
        return member


async def existing_member(tx: UnitOfWork, member_id: int) -> Member:
    member = await tx.members.get(member_id)
    if member is None:
        raise errors.MemberNotFound(handle=str(member_id))
    return member


async def existing_pair(tx: UnitOfWork, actor_id: int, target_id: int) -> tuple[Member, Member]:
    """`existing_member` for both sides of a contact, in one read."""
    found = await tx.members.get_many((actor_id, target_id))
    for member_id in (actor_id, target_id):
        if member_id not in found:
            raise errors.MemberNotFound(handle=str(member_id))
    return found[actor_id], found[target_id]


def require_admin(deps: CoreDeps, member: Member) -> None:
    """Admin actions are authorized here, against the acting member, not in the front end."""
    if member.telegram_id not in deps.admin_telegram_ids:
        raise errors.NotAdmin()


async def check_not_blocked(tx: UnitOfWork, actor_id: int, target_id: int) -> None:
    """The rules every kind of contact shares: blocks, and a member who left."""
    target = await tx.members.get(target_id)
    refuse_blocked(
        target,
        you_blocked=await tx.blocks.exists(actor_id, target_id),
        they_blocked=await tx.blocks.exists(target_id, actor_id),
    )


def refuse_blocked(target: Member | None, *, you_blocked: bool, they_blocked: bool) -> None:
    """`check_not_blocked` on what was read already (a message's route reads the blocks
    with the conversation: `ConversationRepo.route`)."""
    if target is not None and target.left_at is not None:
        raise errors.MemberLeft()
    if you_blocked:
        raise errors.YouBlockedThem()
    if they_blocked:
        raise errors.TheyBlockedYou()
