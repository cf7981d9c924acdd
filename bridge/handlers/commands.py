"""One command registry: it feeds the handlers, `setMyCommands` (per language) and /help,
so the three never disagree. Also the small argument parsers every command shares."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Update

from bridge.core.members import parse_handle

if TYPE_CHECKING:
    from bridge.handlers.context import BridgeContext

# What CommandHandler calls: a coroutine function of the update and our context.
Callback = Callable[[Update, "BridgeContext"], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Command:
    name: str
    callback: Callback
    admin: bool = False  # hidden from non-admins, who get the unknown-command answer
    menu: bool = True  # listed in Telegram's command menu


class Usage(Exception):
    """A command's argument is missing or malformed: answer with its usage line."""

    def __init__(self, command: str) -> None:
        super().__init__(command)
        self.command = command


def argument_text(update: Update) -> str:
    """Everything after the command, newlines kept (context.args would lose them)."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    parts = text.split(maxsplit=1)
    if not parts or not parts[0].startswith("/"):
        return text.strip()
    return parts[1].strip() if len(parts) > 1 else ""


def handle_and_rest(update: Update, command: str, need_rest: bool = False) -> tuple[str, str]:
    """``/msg @bob hello there`` → ("bob", "hello there"); usage error when missing."""
    text = argument_text(update)
    if not text:
        raise Usage(command)
    head, _, rest = text.partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = f"{more}\n{rest}".strip() if rest else more
    rest = rest.strip()
    if need_rest and not rest:
        raise Usage(command)
    return parse_handle(head), rest


def only_handle(update: Update, command: str) -> str:
    handle, rest = handle_and_rest(update, command)
    return handle
