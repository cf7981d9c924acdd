"""Payments in Telegram Stars (one SQL text for every backend)."""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import StarPayment
from bridge.storage.sql.db import Db
from bridge.storage.sql.rows import row_dict, ts

_COLUMNS = (
    "charge_id",
    "member_id",
    "offer_id",
    "stars",
    "credits",
    "plan",
    "paid_at",
    "refunded_at",
    "credits_taken_back",
)


class SqlPayments:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(self, payment: StarPayment) -> bool:
        cursor = await self._conn.execute(
            "INSERT INTO star_payments (charge_id, member_id, offer_id, stars, credits, plan,"
            " paid_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (charge_id) DO NOTHING RETURNING charge_id",
            (
                payment.charge_id,
                payment.member_id,
                payment.offer_id,
                payment.stars,
                payment.credits,
                payment.plan,
                ts(payment.paid_at),
            ),
        )
        return await cursor.fetchone() is not None

    async def get(self, charge_id: str) -> StarPayment | None:
        cursor = await self._conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM star_payments WHERE charge_id = ?", (charge_id,)
        )
        row = await cursor.fetchone()
        return StarPayment.model_validate(row_dict(row)) if row else None

    async def set_granted(self, charge_id: str, credits: int) -> None:
        await self._conn.execute(
            "UPDATE star_payments SET credits = ? WHERE charge_id = ?", (credits, charge_id)
        )

    async def mark_refunded(self, charge_id: str, now: datetime) -> int | None:
        # One statement decides what is taken back from the balance as it is now.
        cursor = await self._conn.execute(
            "UPDATE star_payments SET refunded_at = ?, credits_taken_back = ("
            " SELECT CASE WHEN m.credits < star_payments.credits THEN m.credits"
            " ELSE star_payments.credits END FROM members m WHERE m.id = star_payments.member_id)"
            " WHERE charge_id = ? AND refunded_at IS NULL RETURNING credits_taken_back",
            (ts(now), charge_id),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else None
