"""Campaigns and their leads (one SQL text for every backend)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bridge.core.models import Campaign, CampaignCounts, CampaignLead, CampaignStatus, CampaignStep
from bridge.storage.sql.db import Db
from bridge.storage.sql.rows import row_dict, ts

_CAMPAIGN = (
    "id, member_id, name, status, wait_days, follow_up_days, note, welcome, follow_up, created_at"
)
_LEAD = "l.campaign_id, l.lead_id, l.step, l.due_at, l.invitation_id, l.added_at, l.outcome"
STAMPS = frozenset(
    {"visited_at", "invited_at", "accepted_at", "welcomed_at", "followed_up_at", "left_at"}
)
# The conversation of a campaign's member and a lead, by its unique (member_a < member_b) key.
_PAIR = (
    "v.member_a = CASE WHEN c.member_id < l.lead_id THEN c.member_id ELSE l.lead_id END"
    " AND v.member_b = CASE WHEN c.member_id < l.lead_id THEN l.lead_id ELSE c.member_id END"
)
WAITING = tuple(s.value for s in CampaignStep if s not in (CampaignStep.DONE, CampaignStep.LEFT))


class SqlCampaigns:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(
        self,
        member_id: int,
        name: str,
        wait_days: int,
        follow_up_days: int,
        note: str | None,
        welcome: str | None,
        follow_up: str | None,
        now: datetime,
    ) -> Campaign:
        cursor = await self._conn.execute(
            "INSERT INTO campaigns (member_id, name, wait_days, follow_up_days, note, welcome,"
            f" follow_up, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_CAMPAIGN}",
            (member_id, name, wait_days, follow_up_days, note, welcome, follow_up, ts(now)),
        )
        row = await cursor.fetchone()
        assert row is not None
        return Campaign.model_validate(row_dict(row))

    async def get(self, campaign_id: int) -> Campaign | None:
        cursor = await self._conn.execute(
            f"SELECT {_CAMPAIGN} FROM campaigns WHERE id = ?", (campaign_id,)
        )
        row = await cursor.fetchone()
        return Campaign.model_validate(row_dict(row)) if row else None

    async def of_member(self, member_id: int) -> list[Campaign]:
        cursor = await self._conn.execute(
            f"SELECT {_CAMPAIGN} FROM campaigns WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [Campaign.model_validate(row_dict(row)) for row in await cursor.fetchall()]

    async def set_status(self, campaign_id: int, status: CampaignStatus) -> None:
        await self._conn.execute(
            "UPDATE campaigns SET status = ? WHERE id = ?", (status.value, campaign_id)
        )

    async def add_lead(self, campaign_id: int, lead_id: int, now: datetime) -> bool:
        cursor = await self._conn.execute(
            "INSERT INTO campaign_leads (campaign_id, lead_id, step, due_at, added_at)"
            " VALUES (?, ?, 'visit', ?, ?) ON CONFLICT (campaign_id, lead_id) DO NOTHING"
            " RETURNING lead_id",
            (campaign_id, lead_id, ts(now), ts(now)),
        )
        return await cursor.fetchone() is not None

    async def due(self, now: datetime, limit: int) -> list[CampaignLead]:
        marks = ", ".join("?" * len(WAITING))
        cursor = await self._conn.execute(
            f"SELECT {_LEAD} FROM campaign_leads l JOIN campaigns c ON c.id = l.campaign_id"
            f" WHERE l.due_at <= ? AND l.step IN ({marks}) AND c.status = 'active'"
            " ORDER BY l.due_at, l.campaign_id, l.lead_id LIMIT ?",
            (ts(now), *WAITING, limit),
        )
        return [CampaignLead.model_validate(row_dict(row)) for row in await cursor.fetchall()]

    async def departing(self, limit: int) -> list[CampaignLead]:
        marks = ", ".join("?" * len(WAITING))
        cursor = await self._conn.execute(
            f"SELECT {_LEAD} FROM campaign_leads l JOIN campaigns c ON c.id = l.campaign_id"
            f" WHERE l.step IN ({marks}) AND c.status = 'active' AND ("
            "  EXISTS (SELECT 1 FROM conversations v JOIN messages m ON m.conversation_id = v.id"
            f"   WHERE {_PAIR} AND m.sender_id = l.lead_id AND m.kind = 'message'"
            "   AND m.created_at >= l.added_at)"
            "  OR EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = c.member_id"
            "   AND b.blocked_id = l.lead_id) OR (b.blocker_id = l.lead_id"
            "   AND b.blocked_id = c.member_id))"
            "  OR EXISTS (SELECT 1 FROM spam_reports r"
            "   WHERE r.reporter_id = l.lead_id AND r.reported_id = c.member_id))"
            " ORDER BY l.campaign_id, l.lead_id LIMIT ?",
            (*WAITING, limit),
        )
        return [CampaignLead.model_validate(row_dict(row)) for row in await cursor.fetchall()]

    async def claim(
        self,
        lead: CampaignLead,
        step: CampaignStep,
        due_at: datetime,
        now: datetime,
        stamps: Sequence[str] = (),
        invitation_id: int | None = None,
        outcome: str | None = None,
    ) -> bool:
        unknown = set(stamps) - STAMPS
        if unknown:
            raise ValueError(f"not a campaign step's time: {sorted(unknown)}")
        sets = "".join(f", {column} = ?" for column in stamps)
        cursor = await self._conn.execute(
            "UPDATE campaign_leads SET step = ?, due_at = ?,"
            " invitation_id = COALESCE(?, invitation_id), outcome = COALESCE(?, outcome)"
            f"{sets} WHERE campaign_id = ? AND lead_id = ? AND step = ? AND due_at = ?",
            (
                step.value,
                ts(due_at),
                invitation_id,
                outcome,
                *(ts(now) for _ in stamps),
                lead.campaign_id,
                lead.lead_id,
                lead.step.value,
                ts(lead.due_at),
            ),
        )
        return cursor.rowcount == 1

    async def counts(self, campaign_id: int) -> CampaignCounts:
        cursor = await self._conn.execute(
            "SELECT COUNT(*) AS leads, COUNT(visited_at) AS visited, COUNT(invited_at) AS invited,"
            " COUNT(accepted_at) AS accepted, COUNT(welcomed_at) AS welcomed,"
            " COUNT(followed_up_at) AS followed_up,"
            " COALESCE(SUM(CASE WHEN outcome = 'replied' THEN 1 ELSE 0 END), 0) AS replied,"
            " COALESCE(SUM(CASE WHEN step = 'left' THEN 1 ELSE 0 END), 0) AS left"
            " FROM campaign_leads WHERE campaign_id = ?",
            (campaign_id,),
        )
        row = await cursor.fetchone()
        return CampaignCounts.model_validate(row_dict(row)) if row else CampaignCounts()

    async def replied_since(self, member_id: int, lead_id: int, since: datetime) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM conversations v JOIN messages m ON m.conversation_id = v.id"
            " WHERE v.member_a = ? AND v.member_b = ? AND m.sender_id = ?"
            " AND m.created_at >= ? AND m.kind = 'message' LIMIT 1",
            (min(member_id, lead_id), max(member_id, lead_id), lead_id, ts(since)),
        )
        return await cursor.fetchone() is not None

    async def reported(self, reporter_id: int, reported_id: int) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM spam_reports WHERE reporter_id = ? AND reported_id = ? LIMIT 1",
            (reporter_id, reported_id),
        )
        return await cursor.fetchone() is not None
