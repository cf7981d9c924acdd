"""How the templates put words together: gettext with each language's grammar, the filters
(names, clipping, durations), and dates and times in the reader's zone and language (Babel).

The zone is per text, not per template: `Renderer.text` sets it for the time of one render
(`reading_in`), so one cached template module per language serves every member.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from gettext import NullTranslations
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format, get_timezone
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

DEFAULT_ZONE = "UTC"
_ZONE: ContextVar[str] = ContextVar("reader_zone", default=DEFAULT_ZONE)


@contextmanager
def reading_in(zone: str | None) -> Iterator[None]:
    """Dates rendered inside this block show in `zone` (an IANA name, e.g. Europe/Paris)."""
    token = _ZONE.set(zone or DEFAULT_ZONE)
    try:
        yield
    finally:
        _ZONE.reset(token)


def _local(value: datetime) -> tuple[datetime, str]:
    """`value` in the reader's zone, and that zone's name (UTC if it is not a known zone)."""
    zone = _ZONE.get()
    try:
        tz = get_timezone(zone)
    except LookupError:
        zone, tz = DEFAULT_ZONE, get_timezone(DEFAULT_ZONE)
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(tz), zone


def moment(value: datetime, lang: str) -> str:
    """A date and time as the reader's language writes it, in their zone, naming the zone:
    "Nov 23, 2026, 10:30 AM Europe/Paris", "23 nov. 2026, 10:30 Europe/Paris"."""
    local, zone = _local(value)
    # Babel annotates a DateTimePattern but returns the locale's str ("{1}, {0}"); str()
    # is that text either way.
    pattern = str(get_datetime_format("medium", locale=lang))
    text = pattern.replace("{1}", format_date(local, "medium", locale=lang)).replace(
        "{0}", format_time(local, "short", locale=lang)
    )
    return f"{text} {zone}"


def day(value: datetime, lang: str) -> str:
    """A date as the reader's language writes it, in their zone: "Nov 23, 2026"."""
    return format_date(_local(value)[0], "medium", locale=lang)


def language_name(code: str) -> str:
    """A language in its own words, as its speakers would pick it: "English", "Français"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


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


def elides(text: str) -> bool:
    """Whether French elides a "de" before `text`: before a vowel or a (mute) h, and before
    a y that is not followed by a vowel ("d'Yves" but "de Yann"). Looks past the markup."""
    markup = text if isinstance(text, Markup) else Markup.escape(text)
    visible = html.unescape(_TAG.sub("", str(markup))).lstrip()
    padded = visible + "  "
    first, second = padded[0], padded[1]
    return first in _ELIDED or (first in "yY" and second.lower() not in "aeiouy")


def de(text: str) -> Markup:
    """French "de" before a name: "d'Alice", "d'Hugo", "de Bob"; ``<b>Alice</b>`` →
    ``d'<b>Alice</b>``. Plain text is escaped, never taken as markup."""
    markup = text if isinstance(text, Markup) else Markup.escape(text)
    return (Markup("d'") if elides(markup) else Markup("de ")) + markup


# --- each language's grammar, applied to a translation before its values are filled in -----
Grammar = Callable[[str, dict[str, Any]], str]
_DE_BEFORE = re.compile(r"\bde %\((\w+)\)s")


def french(text: str, values: dict[str, Any]) -> str:
    """A French translation writes "de %(name)s"; before "Alice" it becomes "d'Alice"."""

    def elide(match: re.Match[str]) -> str:
        value = values.get(match[1])
        return ("d'" if value is not None and elides(value) else "de ") + f"%({match[1]})s"

    return _DE_BEFORE.sub(elide, text)


GRAMMAR: dict[str, Grammar] = {"fr": french}


def gettext_functions(lang: str, catalog: NullTranslations) -> dict[str, Callable[..., str]]:
    """jinja2's "newstyle" gettext callables for one language (`_`, `gettext`, `ngettext`,
    `pgettext`, `npgettext`): the translation is markup, its values are escaped, and the
    language's grammar sees the values before they are filled in (jinja2's own callables
    fill them in without letting anything look at them)."""
    grammar = GRAMMAR.get(lang)

    def fill(context: Context, text: str, values: dict[str, Any]) -> str:
        if grammar is not None:
            text = grammar(text, values)
        rv = Markup(text) if context.eval_ctx.autoescape else text
        return rv % values

    @pass_context
    def gettext(__context: Context, __string: str, **values: Any) -> str:
        return fill(__context, catalog.gettext(__string), values)

    @pass_context
    def ngettext(
        __context: Context, __singular: str, __plural: str, __num: int, **values: Any
    ) -> str:
        values.setdefault("num", __num)
        return fill(__context, catalog.ngettext(__singular, __plural, __num), values)

    @pass_context
    def pgettext(__context: Context, __ctx: str, __string: str, **values: Any) -> str:
        values.setdefault("context", __ctx)
        return fill(__context, catalog.pgettext(__ctx, __string), values)

    @pass_context
    def npgettext(
        __context: Context, __ctx: str, __singular: str, __plural: str, __num: int, **values: Any
    ) -> str:
        values.setdefault("context", __ctx)
        values.setdefault("num", __num)
        return fill(__context, catalog.npgettext(__ctx, __singular, __plural, __num), values)

    return {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
