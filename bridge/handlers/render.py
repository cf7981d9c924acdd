"""Every text the bot sends comes from `templates/<lang>/<feature>.j2`, HTML-escaped.

Templates hold macros; `Renderer.text(lang, "invitations", "received", ...)` calls one.
Autoescape is on for every file (`select_autoescape` would not cover `.j2`), so user content
can never break a message or inject markup.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from bridge.core.languages import LANGUAGES
from bridge.core.models import Attachment, Degree

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TELEGRAM_TEXT_MAX = 4096
TELEGRAM_CAPTION_MAX = 1024


def duration(seconds: int | None) -> str:
    seconds = int(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


def dot(text: str) -> str:
    """End a sentence after a name: "Dave S." stays "Dave S.", never "Dave S..".
    (Markup in, Markup out: the "." is escaped like any other text.)"""
    return text if str(text).rstrip().endswith((".", "…", "!", "?")) else text + "."


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary and ending with "…" when cut."""
    text = str(text)
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 1)]
    cut = head.rsplit(" ", 1)[0] if " " in head.strip() else head
    return cut.rstrip(" ,;:-–—·") + "…"


_TAG = re.compile(r"<[^>]*>")
_ELIDED = set("aeiouhAEIOUHàâäéèêëîïôöùûüÀÂÄÉÈÊËÎÏÔÖÙÛÜœŒæÆ")


def de(text: str) -> Markup:
    """French "de" before a name, elided before a vowel or a (mute) h: "d'Alice", "d'Hugo",
    "de Bob", "d'Yves" but "de Yann" (a y before a vowel is a consonant). Looks past the
    markup: ``<b>Alice</b>`` → ``d'<b>Alice</b>``."""
    markup = text if isinstance(text, Markup) else Markup.escape(text)
    visible = html.unescape(_TAG.sub("", str(markup))).lstrip()
    first, second = (visible + "  ")[:2]
    elide = first in _ELIDED or (first in "yY" and second.lower() not in "aeiouy")
    return Markup("d'") + markup if elide else Markup("de ") + markup


class Renderer:
    def __init__(self, root: Path = TEMPLATES, default_language: str = "en") -> None:
        self.env = Environment(
            loader=FileSystemLoader(str(root)), autoescape=True, trim_blocks=True,
            lstrip_blocks=True, undefined=StrictUndefined, enable_async=False,
        )
        self.env.filters["duration"] = duration
        self.env.filters["dot"] = dot
        self.env.filters["clip"] = clip
        self.env.filters["de"] = de
        self.env.globals["Degree"] = Degree
        self.default_language = default_language

    def lang(self, language: str | None) -> str:
        return language if language in LANGUAGES else self.default_language

    def _module(self, lang: str, feature: str) -> Any:
        try:
            return self.env.get_template(f"{self.lang(lang)}/{feature}.j2").module
        except TemplateNotFound:  # a translation not written yet: English, not a crash
            return self.env.get_template(f"en/{feature}.j2").module

    def text(self, lang: str, feature: str, name: str, /, **params: Any) -> str:
        module = self._module(lang, feature)
        macro = getattr(module, name, None)
        if macro is None:
            raise KeyError(f"no macro {name!r} in {lang}/{feature}.j2")
        return str(macro(**params)).strip()

    def has(self, lang: str, feature: str, name: str) -> bool:
        return hasattr(self._module(lang, feature), name)

    def badge(self, lang: str, degree: Degree) -> str:
        return self.text(lang, "common", "badge", degree=degree)

    def kind(self, lang: str, attachment: Attachment | None) -> str:
        return self.text(lang, "common", "kind", attachment=attachment)

    def age(self, lang: str, moment: datetime, now: datetime) -> str:
        return self.text(lang, "common", "age", seconds=int((now - moment).total_seconds()))


def split_html(text: str, limit: int = TELEGRAM_TEXT_MAX) -> list[str]:
    """Split rendered HTML into messages of at most `limit` characters, never cutting a tag
    or an entity, preferring line then word boundaries. Tags never span our split points
    because templates close every tag on the line it opens."""
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
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        chunks.append(rest)
    return [Markup(c) if isinstance(text, Markup) else c for c in chunks if c]
