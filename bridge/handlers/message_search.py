"""/search words: the member's own messages with those words, newest first, each with a
button that opens its conversation; Older ▶️ pages back in place. (/find searches members.)"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bridge.core.message_search import MessageSearchPage as Page
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import MessageSearchPage, OpenConversation
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import Row, keyboard


async def search(update: Update, context: BridgeContext) -> None:
    """/search <words>: messages in your conversations, names masked by degree."""
    query = argument_text(update)
    if not query:
        raise Usage("search")
    page = await context.core.message_search.search(context.member.id, query)
    text, markup = _results(context, page, first=True)
    await context.send_html(chat_id_of(update), text, markup)


def _results(
    context: BridgeContext, page: Page, first: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = context.t("search", "results", page=page, now=context.core.now(), first=first)
    rows: list[Row] = [
        [
            (
                context.t("search", "open_button", hit=hit),
                OpenConversation(conversation_id=hit.message.conversation_id),
            )
        ]
        for hit in page.hits
    ]
    if page.older is not None:
        rows.append(
            [
                (
                    context.t("search", "older"),
                    MessageSearchPage(search_id=page.search_id, before_id=page.older),
                )
            ]
        )
    return text, keyboard(rows)


async def on_older(update: Update, context: BridgeContext, data: MessageSearchPage) -> Toast:
    """Older ▶️: the next (older) results, in place."""
    page = await context.core.message_search.older(
        context.member.id, data.search_id, data.before_id
    )
    await edit_in_place(update, *_results(context, page, first=False))
    return None


COMMANDS = [Command("search", search)]


def handlers() -> list:
    return [ButtonHandler(MessageSearchPage, on_older)]
