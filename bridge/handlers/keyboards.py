"""Small builders for inline keyboards from (label, callback) pairs."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bridge.handlers.render import clip

LABEL_MAX = 64  # what a button shows before clients cut it anyway


def keyboard(rows: Iterable[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    # Labels are rendered by the (HTML-escaping) templates but shown as plain text; a long
    # one is cut at a word and says so ("…"), never mid-word.
    built = [[InlineKeyboardButton(clip(html.unescape(label), LABEL_MAX), callback_data=data)
              for label, data in row]
             for row in rows if row]
    return InlineKeyboardMarkup(built) if built else None
