"""/views: who viewed my profile (private browsing is switched in /settings)."""

from __future__ import annotations

from telegram import Update

from bridge.handlers.commands import Command
from bridge.handlers.context import BridgeContext


async def views(update: Update, context: BridgeContext) -> None:
    """The last 90 days' viewers, masked by degree; none while browsing privately."""
    seen = await context.core.profile_views.viewers(context.member.id)
    await context.reply(update, "profile_views", "viewers", seen=seen)


COMMANDS = [Command("views", views)]


def handlers() -> list:
    return []
