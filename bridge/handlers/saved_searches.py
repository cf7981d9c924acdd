"""Saved searches: 🔔 under /find results keeps the search; /searches lists them with a
🗑 button each; the daily digest brings the members who join and match (the notifier)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bridge.core.models import SavedSearch
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import DeleteSavedSearch, SaveSearch
from bridge.handlers.commands import Command
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import keyboard


def _listing(
    context: BridgeContext, searches: list[SavedSearch]
) -> tuple[str, InlineKeyboardMarkup | None]:
    rows = [
        [
            (
                context.t("saved_searches", "delete_button", search=s),
                DeleteSavedSearch(saved_id=s.id),
            )
        ]
        for s in searches
    ]
    return context.t("saved_searches", "listing", searches=searches), keyboard(rows)


async def searches(update: Update, context: BridgeContext) -> None:
    """/searches: the saved searches, 🗑 to delete one."""
    kept = await context.core.saved_searches.of_member(context.member.id)
    await context.send_html(chat_id_of(update), *_listing(context, kept))


async def on_save(update: Update, context: BridgeContext, data: SaveSearch) -> Toast:
    """🔔 Save this search: kept; the digest will list new members who match."""
    saved = await context.core.saved_searches.save(context.member.id, data.search_id)
    has_digest = context.member.digest_at is not None
    await context.reply(update, "saved_searches", "saved", search=saved, has_digest=has_digest)
    return None


async def on_delete(update: Update, context: BridgeContext, data: DeleteSavedSearch) -> Toast:
    """🗑 under /searches: that one goes; the list shows the rest, in place."""
    await context.core.saved_searches.delete(context.member.id, data.saved_id)
    kept = await context.core.saved_searches.of_member(context.member.id)
    await edit_in_place(update, *_listing(context, kept))
    return context.plain("saved_searches", "deleted")


COMMANDS = [Command("searches", searches)]


def handlers() -> list:
    return [ButtonHandler(SaveSearch, on_save), ButtonHandler(DeleteSavedSearch, on_delete)]
