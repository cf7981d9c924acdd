"""The gettext catalogs: one `<lang>/LC_MESSAGES/bridge.po` per language, compiled to `.mo`.

English is the source language (the message ids are English), so it needs no catalog; every
other language is one `.po` file here, and the languages the bot speaks are read from this
folder — adding a language is adding its catalog (then `make catalogs`). The compiled `.mo`
files are committed beside their `.po` so a fresh clone and an installed wheel both work
without a build step; a test fails when one is older than its `.po`.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent
DOMAIN = "bridge"
SOURCE_LANGUAGE = "en"


def catalog_languages(root: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The languages that have a compiled catalog, sorted."""
    return tuple(sorted(p.parents[1].name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")))


# The one list of languages the bot speaks: the source language, then every catalog.
LANGUAGES: tuple[str, ...] = (
    SOURCE_LANGUAGE,
    *(lang for lang in catalog_languages() if lang != SOURCE_LANGUAGE),
)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang`; the source language reads its message ids as they are."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
