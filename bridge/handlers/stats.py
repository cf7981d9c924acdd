"""/stats: a picture of the member's last 90 days with the same figures as text under it;
/stats network (admins): members, connections, messages per day, delivery backlog."""

from __future__ import annotations

import asyncio

from telegram import Update

from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.runtime.pictures.stats_chart import Pair, draw_member_stats, draw_network_stats

NETWORK = {"network", "réseau", "reseau"}  # the word in each language we speak


async def stats(update: Update, context: BridgeContext) -> None:
    """The member's chart and figures, or the network's (`/stats network`, admins)."""
    argument = argument_text(update).lower()
    if argument in NETWORK:
        await _network(update, context)
        return
    if argument:
        raise Usage("stats")
    figures = await context.core.stats.member(context.member.id)

    def pair(total: str, part: str, rate: float | None) -> Pair:
        return Pair(
            _bar_label(context, total),
            getattr(figures, total),
            _bar_label(context, part),
            getattr(figures, part),
            context.plain("stats", "rate", value=rate),
        )

    pairs = [
        pair("invitations_sent", "invitations_accepted", figures.acceptance_rate),
        pair("messages_received", "messages_answered", figures.reply_rate),
        pair("inmails_sent", "inmails_answered", figures.inmail_answer_rate),
    ]
    title = context.plain("stats", "title", days=figures.days)
    picture = await asyncio.to_thread(draw_member_stats, title, pairs)  # CPU: off the loop
    caption = context.t("stats", "summary", stats=figures)
    await context.send_photo(chat_id_of(update), picture, caption, filename="stats.png")


async def _network(update: Update, context: BridgeContext) -> None:
    figures = await context.core.stats.network(context.member)  # admins only: the core says
    picture = await asyncio.to_thread(
        draw_network_stats,
        context.plain("stats", "network_title", days=len(figures.messages_per_day)),
        context.plain("stats", "network_subtitle", stats=figures),
        figures.messages_per_day,
    )
    caption = context.t("stats", "network_summary", stats=figures)
    await context.send_photo(chat_id_of(update), picture, caption, filename="network.png")


def _bar_label(context: BridgeContext, name: str) -> str:
    """Under its bar, on two lines: the first word, then the rest (six bars share the
    picture's width: "Messages / received")."""
    return context.plain("stats", "bar", name=name).replace(" ", "\n", 1)


COMMANDS = [Command("stats", stats)]


def handlers() -> list:
    return []
