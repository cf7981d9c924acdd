"""Every text the bot sends comes from `templates/<lang>/<feature>.j2`, HTML-escaped.

Templates hold macros; `Renderer.text(lang, "invitations", "received", ...)` calls one.
Autoescape is on for every file (`select_autoescape` would not cover `.j2`), so user content
can never break a message or inject markup.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from bridge.core.models import Attachment, Degree

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LANGUAGES = ("en", "fr")
TELEGRAM_TEXT_MAX = 4096
TELEGRAM_CAPTION_MAX = 1024


def duration(seconds: int | None) -> str:
    seconds = int(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


class Renderer:
    def __init__(self, root: Path = TEMPLATES, default_language: str = "en") -> None:
        self.env = Environment(
            loader=FileSystemLoader(str(root)), autoescape=True, trim_blocks=True,
            lstrip_blocks=True, undefined=StrictUndefined, enable_async=False,
        )
        self.env.filters["duration"] = duration
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
