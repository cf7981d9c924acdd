"""/card: the member's business card, a picture with a QR code of their profile link."""

from __future__ import annotations

import asyncio

from telegram import Update

from bridge.handlers.commands import Command
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.runtime.pictures.card import draw_card, profile_link


async def card(update: Update, context: BridgeContext) -> None:
    """A photo: name, headline, company, @handle and a QR code of `t.me/<bot>?start=p_<handle>`."""
    member = await context.core.members.get(context.member.id)
    link = profile_link(context.bot.username, member.handle)
    picture = await asyncio.to_thread(  # drawing takes ~0.1 s of CPU: off the event loop
        draw_card,
        [
            member.headline,
            member.company,
            context.plain("cards", "handle_line", handle=member.handle),
        ],
        member.full_name,
        context.plain("cards", "scan"),
        link,
    )
    caption = context.t("cards", "caption", link=link)
    await context.send_photo(chat_id_of(update), picture, caption, filename="card.png")


COMMANDS = [Command("card", card)]


def handlers() -> list:
    return []
