"""Every text the bot sends comes from `bridge/templates/<feature>.j2`, HTML-escaped, its
words from the gettext catalogs in `bridge/locale` (jinja2's i18n extension).

One template tree for every language: each template holds macros whose words are message ids
(`{% trans %}`, `_()`, `ngettext`); `Renderer.text(lang, "invitations", "received", ...)`
calls one with that language's catalog installed (one environment per language, cached).
Autoescape is on for every file (`select_autoescape` would not cover `.j2`), so user content
can never break a message or inject markup; translations are markup, their values escaped.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bridge.core.models import Attachment, Degree
from bridge.locale import LANGUAGES, SOURCE_LANGUAGE, translations
from bridge.runtime.wording import (
    clip,
    day,
    de,
    dot,
    duration,
    gettext_functions,
    language_name,
    moment,
    reading_in,
)

__all__ = ["LANGUAGES", "TEMPLATES", "Renderer", "clip", "de", "dot", "duration", "split_html"]

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TELEGRAM_TEXT_MAX = 4096
TELEGRAM_CAPTION_MAX = 1024


def environment(root: Path, lang: str) -> Environment:
    """The jinja2 environment of one language: its catalog, its grammar, its date formats."""
    env = Environment(
        loader=FileSystemLoader(str(root)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # templates ship with the package: read once per process
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # set by the i18n extension
    env.globals.update(gettext_functions(lang, translations(lang)))
    env.globals.update(Degree=Degree, LANGUAGES=LANGUAGES)
    env.filters.update(
        duration=duration,
        dot=dot,
        clip=clip,
        de=de,
        language_name=language_name,
        moment=partial(moment, lang=lang),
        day=partial(day, lang=lang),
    )
    return env


class Renderer:
    """Every text, in every language: one cached environment (catalog installed) per language."""

    def __init__(self, root: Path = TEMPLATES, default_language: str = "en") -> None:
        self.root = root
        # A language without a catalog reads English, as a member's unknown language does.
        self.default_language = (
            default_language if default_language in LANGUAGES else SOURCE_LANGUAGE
        )
        self._environments: dict[str, Environment] = {}

    def lang(self, language: str | None) -> str:
        return language if language in LANGUAGES else self.default_language

    def environment(self, lang: str) -> Environment:
        lang = self.lang(lang)
        if lang not in self._environments:
            self._environments[lang] = environment(self.root, lang)
        return self._environments[lang]

    def _module(self, lang: str, feature: str) -> Any:
        return self.environment(lang).get_template(f"{feature}.j2").module

    def text(
        self, lang: str, feature: str, name: str, /, *, zone: str | None = None, **params: Any
    ) -> str:
        """Macro `name` of `feature` in `lang`; dates in it show in `zone` (the reader's)."""
        macro = getattr(self._module(lang, feature), name, None)
        if macro is None:
            raise KeyError(f"no macro {name!r} in {feature}.j2")
        with reading_in(zone):
            return str(macro(**params)).strip()

    def has(self, lang: str, feature: str, name: str) -> bool:
        return hasattr(self._module(lang, feature), name)

    def badge(self, lang: str, degree: Degree) -> str:
        return self.text(lang, "common", "badge", degree=degree)

    def kind(self, lang: str, attachment: Attachment | None) -> str:
        return self.text(lang, "common", "kind", attachment=attachment)

    def age(self, lang: str, moment: datetime, now: datetime) -> str:
        return self.text(lang, "common", "age", seconds=int((now - moment).total_seconds()))


_TAG = re.compile(r"<(/?)[a-zA-Z][^>]*>")


def _open_element(html: str) -> int | None:
    """Where the outermost element still open at the end of `html` starts (None: all closed)."""
    opened: list[int] = []
    for tag in _TAG.finditer(html):
        if not tag[1]:
            opened.append(tag.start())
        elif opened:
            opened.pop()
    return opened[0] if opened else None


def split_html(text: str, limit: int = TELEGRAM_TEXT_MAX) -> list[str]:
    """Split rendered HTML into messages of at most `limit` characters, preferring line then
    word boundaries, never cutting a tag, an entity or an element: Telegram parses each
    message alone, so an element open at a cut moves whole to the next message (unless it
    alone is longer than a message)."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n"), -1)
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        # never cut inside an entity (&amp;) or a tag (<b>)
        amp, semi = window.rfind("&", 0, cut), window.rfind(";", 0, cut)
        if amp > semi:
            cut = amp
        lt, gt = window.rfind("<", 0, cut), window.rfind(">", 0, cut)
        if lt > gt:
            cut = lt
        start = _open_element(window[:cut])
        if start:  # <b>… still open here: the element starts the next message
            cut = start
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        chunks.append(rest)
    return [Markup(c) if isinstance(text, Markup) else c for c in chunks if c]
