"""What a /find query means: bounded, cleaned, folded words, each matched as the start of a
word of a member's name, handle, headline, company, location or industry.

The storage matches each term as a word prefix in an index that folds case and accents the
same way (`fold`), so "ingenieur", "INGÉNIEUR" and "ingénieur" find "Ingénieure".
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel

from bridge.core import errors
from bridge.core.models import MemberView

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
PAGE = 10
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what the index's tokenizer keeps
_MIN_STEM = 4

# Job titles change their ending with gender (recruteur / recruteuse, directeur / directrice,
# chargé / chargée) and number (a final s or x goes first). Snowball's French stemmer keeps
# "recruteur" and "recruteuse" apart, so a query word is cut back to what its forms share
# and matched as a prefix: "recruteur" → "recrut" finds Recruteur, Recruteuse, Recruteurs.
_ENDINGS: tuple[tuple[str, str], ...] = (
    ("trice", "t"),
    ("ienne", "ien"),
    ("iere", "ier"),
    ("euse", ""),
    ("eure", ""),
    ("eur", ""),
    ("ive", "i"),
    ("if", "i"),
    ("ee", "e"),
)


class SearchPage(BaseModel):
    """One page of a saved search's results, closest degree first."""

    search_id: int
    query: str
    results: list[MemberView]
    offset: int
    total: int
    capped: bool  # more members matched than were ranked

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.results) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def fold(text: str) -> str:
    """Lower case without accents: "Élodie" → "elodie" (as the index's tokenizer does)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def stem(word: str) -> str:
    """The start a folded word's gendered and plural forms share (see `_ENDINGS`)."""
    base = (
        word[:-1]
        if len(word) > _MIN_STEM and word.endswith(("s", "x")) and not word.endswith("ss")
        else word
    )
    for ending, replacement in _ENDINGS:
        if base.endswith(ending):
            cut = base[: -len(ending)] + replacement
            return cut if len(cut) >= _MIN_STEM else word
    return base


def clean_query(text: str) -> str:
    """The query as shown back to the member: control characters (NUL...) removed, bounded."""
    cleaned = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in " \t\n")
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > MAX_QUERY_CHARS:
        raise errors.QueryTooLong(limit=MAX_QUERY_CHARS, length=len(cleaned))
    return cleaned


def search_terms(text: str) -> list[str]:
    """The word prefixes a query matches, every one required; a typed error when there is
    nothing to look for or too much."""
    words = _WORD.findall(fold(clean_query(text)))
    if not words:
        raise errors.EmptyQuery()
    terms: list[str] = []
    for word in words:
        term = stem(word)
        if term not in terms:
            terms.append(term)
    return terms[:MAX_WORDS]
