"""A digest as a message, text and buttons: the same for /digest and for the scheduled
digest the notifier pushes (its own module, so that the notifier needs no feature's
handlers)."""

from __future__ import annotations

from bridge.core.models import Digest, Member
from bridge.handlers.callbacks import Op, cb
from bridge.handlers.keyboards import keyboard
from bridge.handlers.render import Renderer

PAGE = 10


def render_digest(renderer: Renderer, member: Member, digest: Digest, now, first: bool):
    lang = renderer.lang(member.language)
    text = renderer.text(lang, "digest", "digest", d=digest, now=now, first=first)
    rows = [[(renderer.text(lang, "digest", "open_button", entry=e),
              cb(Op.CONV_OPEN, e.conversation.id))] for e in digest.entries]
    nav = []
    if digest.next_cursor:
        nav.append((renderer.text(lang, "digest", "more_button"),
                    cb(Op.DIGEST_PAGE, 0, digest.next_cursor)))
    if digest.summary.messages:
        nav.append((renderer.text(lang, "inbox", "read_all"), cb(Op.READ_ALL)))
    rows.append(nav)
    if digest.invitations:  # invitations to answer, with or without a note: act on them
        rows.append([(renderer.text(lang, "digest", "invitations_button", n=digest.invitations),
                      cb(Op.INVITATIONS_LIST))])
    return text, keyboard(rows)
