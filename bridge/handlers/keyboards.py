"""Small builders for inline keyboards from (label, button) pairs."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bridge.handlers.buttons import Button
from bridge.runtime.render import clip

LABEL_MAX = 64  # what a button shows before clients cut it anyway
Row = list[tuple[str, Button]]  # (label, button) pairs, left to right


def keyboard(rows: Iterable[Sequence[tuple[str, Button]]]) -> InlineKeyboardMarkup | None:
    """Rows of buttons, each packed (and checked within 64 bytes) here; empty rows dropped."""
    # Labels are rendered by the (HTML-escaping) templates but shown as plain text; a long
    # one is cut at a word and says so ("…"), never mid-word.
    built = [
        [
            InlineKeyboardButton(clip(html.unescape(label), LABEL_MAX), callback_data=button.pack())
            for label, button in row
        ]
        for row in rows
        if row
    ]
    return InlineKeyboardMarkup(built) if built else None
