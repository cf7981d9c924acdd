"""Small builders for inline keyboards from (label, callback) pairs."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup


def keyboard(rows: Iterable[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    # Labels are rendered by the (HTML-escaping) templates but shown as plain text.
    built = [[InlineKeyboardButton(html.unescape(label)[:64], callback_data=data)
              for label, data in row]
             for row in rows if row]
    return InlineKeyboardMarkup(built) if built else None
