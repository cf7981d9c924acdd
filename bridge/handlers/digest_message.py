"""A digest as a message, text and buttons: the same for /digest and for the scheduled
digest the notifier pushes (its own module, so that the notifier needs no feature's
handlers)."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bridge.core.models import Digest, InboxFilter, Member
from bridge.handlers.buttons import DigestInvitations, DigestPage, OpenConversation, ReadAll
from bridge.handlers.keyboards import Row, keyboard
from bridge.runtime.render import Renderer

PAGE = 10


def render_digest(
    renderer: Renderer, member: Member, digest: Digest, now: datetime, first: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    lang = renderer.lang(member.language)
    text = renderer.text(lang, "digest", "digest", d=digest, now=now, first=first)
    rows: list[Row] = [
        [
            (
                renderer.text(lang, "digest", "open_button", entry=e),
                OpenConversation(conversation_id=e.conversation_id),
            )
        ]
        for e in digest.entries
    ]
    nav: Row = []
    if digest.next_cursor:
        nav.append(
            (renderer.text(lang, "digest", "more_button"), DigestPage(cursor=digest.next_cursor))
        )
    if digest.summary.messages:
        nav.append((renderer.text(lang, "inbox", "read_all"), ReadAll(filter=InboxFilter.ALL)))
    rows.append(nav)
    if digest.invitations:  # invitations to answer, with or without a note: act on them
        rows.append(
            [
                (
                    renderer.text(lang, "digest", "invitations_button", n=digest.invitations),
                    DigestInvitations(),
                )
            ]
        )
    return text, keyboard(rows)
