"""The languages the bot speaks, stated once: a member's language setting (the core), the
templates and the command menu (the front end) and the playground all read this list.

When the texts come from gettext catalogs, this is the one place to derive it from them.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "fr")
