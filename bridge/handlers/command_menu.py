"""The command list, every feature's commands in one place: it feeds the handlers
(`registry.register`), Telegram's menu in each language (`registry.publish_commands`) and
/help, so the three never disagree. /help lives here because it shows this list (in a
feature's module it would have to import the list that imports the feature)."""

from __future__ import annotations

from telegram import Update

from bridge.handlers import (
    admin,
    campaigns,
    cards,
    cleanup,
    contacts,
    digests,
    inbox,
    inmail,
    introductions,
    invitations,
    leads,
    message_search,
    message_templates,
    payments,
    profile,
    profile_views,
    relay,
    reminders,
    saved_searches,
    settings,
    stats,
    your_data,
)
from bridge.handlers.commands import Command
from bridge.handlers.context import BridgeContext

FEATURES = (
    profile,
    invitations,
    relay,
    inbox,
    inmail,
    message_templates,
    payments,
    digests,
    settings,
    message_search,
    cleanup,
    your_data,
    contacts,
    reminders,
    leads,
    saved_searches,
    profile_views,
    cards,
    introductions,
    stats,
    campaigns,
    admin,
)


async def help_command(update: Update, context: BridgeContext) -> None:
    """The commands, in the user's language (admin ones only for admins)."""
    names = [c.name for c in visible_commands(context.core.members.is_admin(context.member))]
    await context.reply(update, "help", "help", names=names)


# /help first: /start, first of the features' list, is not in the menu.
COMMANDS: list[Command] = [
    Command("help", help_command),
    *(c for feature in FEATURES for c in feature.COMMANDS),
]


def visible_commands(is_admin: bool) -> list[Command]:
    return [c for c in COMMANDS if c.menu and (is_admin or not c.admin)]
