"""Admin commands (ADMIN_IDS): /plan, /grant, /reports. Anyone else gets the ordinary
unknown-command answer — the core refuses with NotAdmin, mapped to that answer."""

from __future__ import annotations

import re

from telegram import Update

from bridge.core.errors import NotAdmin
from bridge.handlers.button_handler import ButtonHandler, Toast
from bridge.handlers.buttons import ReviewReport
from bridge.handlers.commands import Command, Usage, handle_and_rest
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import keyboard

_AMOUNT = re.compile(r"[0-9]+")


def _require_admin(context: BridgeContext) -> None:
    if not context.core.members.is_admin(context.member):
        raise NotAdmin()


async def plan(update: Update, context: BridgeContext) -> None:
    """/plan @handle <plan>"""
    _require_admin(context)
    handle, name = handle_and_rest(update, "plan", need_rest=True)
    target = await context.core.members.resolve(handle)
    member = await context.core.credits.set_plan(context.member, target.id, name.strip())
    account = await context.core.credits.account(member.id, entries=0)
    await context.reply(update, "admin", "plan_set", member=member, account=account)


async def grant(update: Update, context: BridgeContext) -> None:
    """/grant @handle <n>"""
    _require_admin(context)
    handle, amount = handle_and_rest(update, "grant", need_rest=True)
    # ASCII digits only: str.isdigit() also accepts "²" or "３", which int() refuses or reads.
    digits = amount.strip()
    if not _AMOUNT.fullmatch(digits):
        raise Usage("grant")
    # A huge number is still a number: the core answers with the allowed range.
    number = int(digits) if len(digits) <= 18 else 10**18
    target = await context.core.members.resolve(handle)
    member = await context.core.credits.grant(context.member, target.id, number)
    await context.reply(update, "admin", "granted", member=member, amount=number)


async def reports(update: Update, context: BridgeContext) -> None:
    """/reports: unreviewed spam reports, each with a Reviewed button."""
    _require_admin(context)
    items = await context.core.inbox.reports(context.member)
    ids = {r.reporter_id for r in items} | {r.reported_id for r in items}
    members = {i: await context.core.members.get(i) for i in ids}
    failures = await context.core.outbox.failures(context.member, limit=5)
    await context.reply(
        update,
        "admin",
        "reports",
        reports=items,
        members=members,
        failures=failures,
        keyboard=keyboard([[(f"✓ #{r.id}", ReviewReport(report_id=r.id))] for r in items]),
    )


async def on_review(update: Update, context: BridgeContext, data: ReviewReport) -> Toast:
    """✓ #n under /reports: that report is marked reviewed (admins only: the core checks)."""
    await context.core.inbox.review_report(context.member, data.report_id)
    return context.plain("admin", "reviewed")


COMMANDS = [
    Command("plan", plan, admin=True),
    Command("grant", grant, admin=True),
    Command("reports", reports, admin=True),
]


def handlers() -> list:
    return [ButtonHandler(ReviewReport, on_review)]
