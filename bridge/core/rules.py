"""The network's tunable limits, in one pydantic model the settings fill in."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, Field


class RefundPolicy(StrEnum):
    """When an InMail credit comes back to its sender."""

    NO_RESPONSE = "no_response"  # returned if no response within `no_response_window`
    RESPONSE = "response"  # returned when a response arrives within `response_window`


DEFAULT_PLANS: dict[str, int] = {
    "free": 0,
    "premium_career": 5,
    "premium_business": 15,
    "sales_navigator": 60,
    "recruiter_lite": 30,
}


# What members can buy with Telegram Stars: InMail credit packs (credits → Stars) and plans
# (plan → Stars; the plan then renews monthly like any plan).
DEFAULT_STAR_PACKS: dict[int, int] = {10: 50, 25: 110, 60: 240}
DEFAULT_STAR_PLANS: dict[str, int] = {"premium_career": 300, "premium_business": 750}


class Rules(BaseModel):
    note_max: int = 300
    reinvite_cooldown: timedelta = timedelta(days=21)
    invites_per_window: int = 100
    invite_window: timedelta = timedelta(days=7)
    headline_max: int = 220
    about_max: int = 2600
    short_field_max: int = 100  # company, location, industry
    message_max: int = 8000
    caption_max: int = 1024
    subject_max: int = 200
    inmail_body_max: int = 1900
    plans: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_PLANS))
    # The plans that may run campaigns (`campaigns`).
    prospecting_plans: tuple[str, ...] = ("premium_business", "sales_navigator", "recruiter_lite")
    rollover_months: int = 3
    refund_policy: RefundPolicy = RefundPolicy.NO_RESPONSE
    no_response_window: timedelta = timedelta(days=7)
    response_window: timedelta = timedelta(days=90)
    burst_window: timedelta = timedelta(minutes=1)  # a sender's burst rings once
    star_packs: dict[int, int] = Field(default_factory=lambda: dict(DEFAULT_STAR_PACKS))
    star_plans: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_STAR_PLANS))
    # Pending this long, an invitation expires (LinkedIn: six months).
    invitation_expiry: timedelta = timedelta(days=183)
    # Plans with a sales mailbox apart from the main inbox (LinkedIn's Sales Navigator and
    # Recruiter): what these members start, and their InMails, live there.
    sales_plans: frozenset[str] = frozenset({"sales_navigator", "recruiter_lite"})

    def has_sales_mailbox(self, plan: str) -> bool:
        return plan in self.sales_plans

    def allowance(self, plan: str) -> int:
        return self.plans.get(plan, 0)

    def credit_cap(self, plan: str) -> int:
        return self.allowance(plan) * self.rollover_months
