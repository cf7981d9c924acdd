"""The gettext catalogs: one per language besides English, complete (every message id
translated, nothing fuzzy), current (exactly the ids the templates hold today, as
`make catalogs` extracts them), consistent (same placeholders and markup as the English),
and compiled (the committed `.mo` says what its `.po` says)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections import Counter
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bridge.locale import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]


def _po(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _catalog(lang: str) -> Catalog:
    with _po(lang).open("rb") as f:
        return read_po(f, locale=lang)


def _ids(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def test_the_languages_are_the_catalogs() -> None:
    """Adding a language is adding its catalog: the list the bot speaks is read from them."""
    pos = sorted(p.parents[1].name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    mos = sorted(p.parents[1].name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    assert pos == mos, "every .po compiled to its .mo (make catalogs), and no .mo alone"
    assert LANGUAGES == (SOURCE_LANGUAGE, *pos)
    assert "fr" in TRANSLATED


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang: str) -> None:
    catalog = _catalog(lang)
    assert not catalog.fuzzy, "the header is marked fuzzy"
    assert not catalog.obsolete, sorted(catalog.obsolete)
    untranslated = [
        m.id
        for m in _messages(catalog)
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    fuzzy = [m.id for m in _messages(catalog) if m.fuzzy]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


@pytest.mark.parametrize("lang", TRANSLATED)
def test_plural_forms_are_the_languages_own(lang: str) -> None:
    """French counts 0 and 1 as singular ("0 crédit"); the header must say so."""
    catalog = _catalog(lang)
    expected = get_plural(lang)
    assert (catalog.num_plurals, catalog.plural_expr) == (
        expected.num_plurals,
        expected.plural_expr,
    )
    for m in _messages(catalog):
        if isinstance(m.id, tuple):
            assert len(m.string) == expected.num_plurals, m.id


_TAG = re.compile(r"</?[a-z]+>")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_placeholders_and_markup(lang: str) -> None:
    catalog = _catalog(lang)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, problems  # placeholders: the same names, none unknown
    for m in _messages(catalog):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in strings:
            assert Counter(_TAG.findall(text)) == Counter(_TAG.findall(ids[0])), (m.id, text)
            assert "<" not in _TAG.sub("", text), f"a bare < in {text!r}: write &lt;"
            placeholders = set(re.findall(r"%\((\w+)\)s", text))
            assert placeholders <= set(re.findall(r"%\((\w+)\)s", " ".join(ids))) | {"num"}, (
                m.id,
                text,
            )


def test_the_catalogs_hold_exactly_what_the_templates_say(tmp_path: Path) -> None:
    """Extraction is current: what `make catalogs` would extract today is what each catalog
    translates — no text missing from a catalog, no leftover."""
    pot = tmp_path / "bridge.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as f:
        extracted = _ids(read_po(f))
    assert len(extracted) > 300  # the templates were found
    for lang in TRANSLATED:
        ids = _ids(_catalog(lang))
        assert not extracted - ids, (
            f"{lang}: not in the catalog (make catalogs, translate): {sorted(extracted - ids)}"
        )
        assert not ids - extracted, f"{lang}: no longer in any template: {sorted(ids - extracted)}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalog_is_current(lang: str) -> None:
    """The bot reads the `.mo`: it must say what the `.po` says (`make catalogs`)."""
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    compiled.seek(0)
    with _po(lang).with_suffix(".mo").open("rb") as f:
        committed = GNUTranslations(f)
    assert committed._catalog == GNUTranslations(compiled)._catalog, (
        f"{lang}: bridge.mo is older than bridge.po — run make catalogs"
    )
