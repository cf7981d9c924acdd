"""When a member wants to be told: notification mode, quiet hours in their time zone, and
their daily digest time. The delivery worker asks `Outbox.plan`, which uses these rules."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member
from bridge.core.models import Delivery, Member, NotificationKind, nothing_to_digest
from bridge.core.owed import notify, replan_member
from bridge.core.saved_searches import owe_search_alerts

_HHMM = re.compile(r"^([01]?\d|2[0-3])[:hH.]([0-5]\d)$")


class NotifyMode(StrEnum):
    INSTANT = "instant"  # each message pushed
    DIGEST = "digest"  # nothing pushed; digests only
    MUTED = "muted"  # nothing pushed; inbox only


# What "digest" and "muted" stop pushing (digests themselves still come in digest mode).
PUSHED_BY_MODE = {
    NotificationKind.MESSAGE,
    NotificationKind.INVITATION,
    NotificationKind.ACCEPTED,
    NotificationKind.INMAIL_ANSWERED,
    NotificationKind.CREDIT_REFUNDED,
}


class PlanAction(StrEnum):
    SEND = "send"
    LATER = "later"
    SKIP = "skip"
    HOLD = "hold"  # the member can't be reached (blocked the bot, or has no chat at all)
    WAIT = "wait"  # an earlier notification of the member waits: keep their order


class Plan(BaseModel):
    action: PlanAction
    silent: bool = False
    until: datetime | None = None
    reason: str = ""
    # A message to send: what the recipient's chat shows, read with the plan's checks (the
    # front end need not read it again).
    delivery: Delivery | None = None


def parse_hhmm(text: str) -> str:
    match = _HHMM.match(text.strip())
    if not match:
        raise errors.InvalidTime(value=text.strip()[:20])
    return f"{int(match.group(1)):02d}:{match.group(2)}"


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`. Only names from the zone list are looked up: a folder
    of zones (``Europe``), a path or an over-long name is not a zone, and must not reach the
    file system (it raised IsADirectoryError or "file name too long")."""
    if name not in _zone_names():
        raise errors.InvalidTimezone(value=name[:40])
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise errors.InvalidTimezone(value=name[:40]) from None


def _t(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def quiet_until(member: Member, now: datetime) -> datetime | None:
    """The moment the member's quiet hours end, if `now` falls within them."""
    if not member.quiet_start or not member.quiet_end:
        return None
    tz = zone(member.timezone)
    local = now.astimezone(tz)
    start, end = _t(member.quiet_start), _t(member.quiet_end)
    current = local.time().replace(second=0, microsecond=0, tzinfo=None)
    if start == end:
        return None
    overnight = start > end
    inside = (current >= start or current < end) if overnight else (start <= current < end)
    if not inside:
        return None
    end_day = local.date()
    if overnight and current >= start:
        end_day += timedelta(days=1)
    resume = datetime.combine(end_day, end, tzinfo=tz)
    return resume.astimezone(now.tzinfo)


def digest_due(member: Member, now: datetime) -> str | None:
    """The local date whose digest is due now (time reached, not sent yet), else None."""
    if not member.digest_at:
        return None
    local = now.astimezone(zone(member.timezone))
    today = local.date().isoformat()
    if member.last_digest_on == today or local.time() < _t(member.digest_at):
        return None
    return today


class Preferences:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def _update(self, member_id: int, **changes: object) -> Member:
        """Save the new settings, and re-plan at once what the old ones held (quiet hours
        turned off end now, not when the old window would have ended)."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, member_id)
            for name, value in changes.items():
                setattr(member, name, value)
            await tx.members.save(member)
            await replan_member(tx, member_id, now)
            return member

    async def set_mode(self, actor_id: int, mode: str) -> Member:
        # The French words the /settings buttons show are accepted too, accents or not.
        aliases = {
            "mute": "muted",
            "instant": "instant",
            "digest": "digest",
            "muted": "muted",
            "instantane": "instant",
            "resume": "digest",
            "sourdine": "muted",
        }
        folded = unicodedata.normalize("NFKD", mode.strip().lower())
        value = aliases.get("".join(c for c in folded if not unicodedata.combining(c)))
        if value is None:
            raise errors.InvalidSetting(
                setting="notify", value=mode[:20], choices=["instant", "digest", "mute"]
            )
        return await self._update(actor_id, notify_mode=value)

    async def set_quiet_hours(self, actor_id: int, text: str) -> Member:
        """``22:00-08:00`` sets them; ``off`` clears them."""
        text = text.strip().lower()
        if text in ("off", "none", "0"):
            return await self._update(actor_id, quiet_start=None, quiet_end=None)
        start, sep, end = text.replace("–", "-").partition("-")
        if not sep:
            raise errors.InvalidTime(value=text[:20])
        return await self._update(
            actor_id, quiet_start=parse_hhmm(start), quiet_end=parse_hhmm(end)
        )

    async def set_timezone(self, actor_id: int, name: str) -> Member:
        name = name.strip()
        zone(name)
        return await self._update(actor_id, timezone=name)

    async def set_digest_time(self, actor_id: int, text: str) -> Member:
        text = text.strip().lower()
        if text in ("off", "none"):
            return await self._update(actor_id, digest_at=None)
        return await self._update(actor_id, digest_at=parse_hhmm(text))

    async def schedule_digests(self, batch: int = 1000) -> int:
        """Owe today's digest to every member whose digest time has come (JobQueue tick).

        Members are read a batch at a time, so any number of them is served; which of the
        due ones have anything to tell is one query per batch (nothing unread and no pending
        invitation: no digest, as in /digest). Claimed (`claim_digest`) in the same
        transaction as the outbox row, so a restart never sends one twice or skips one, and
        several workers' ticks firing together owe each member's digest once: a claiming
        transaction, since the claim itself is what keeps it once (not a serializable batch
        that any member's change would make run again)."""
        now = self._d.clock.now()
        owed = 0
        after = 0
        while True:
            async with self._d.store.claiming() as tx:
                members = await tx.members.with_digest_time(after, batch)
                if not members:
                    return owed
                after = members[-1].id
                due = [(m, day) for m in members if (day := digest_due(m, now)) is not None]
                if not due:
                    continue
                worth = await tx.conversations.unread_pages([m.id for m, _ in due], 1)
                for member, day in due:
                    if not await tx.members.claim_digest(member.id, day):
                        continue  # another worker's tick owed it first
                    if await owe_search_alerts(tx, member.id, now):
                        owed += 1
                    found = worth.get(member.id)
                    if found is not None and not nothing_to_digest(
                        found.summary, found.invitations, found.sales
                    ):
                        await notify(
                            tx,
                            member.id,
                            NotificationKind.DIGEST,
                            None,
                            now,
                            {"day": day, "scheduled": True},
                        )
                        owed += 1
