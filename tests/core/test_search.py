"""What a /find query means: folded, bounded words, each matched as a word's start."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.search import MAX_QUERY_CHARS, search_terms


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("recruteur", "Recruteuse"),
        ("directeur", "directrice"),
        ("Fondateur", "fondatrice"),
        ("ingénieur", "INGENIEURES"),
        ("chargé", "chargée"),
        ("recruiter", "recruiters"),
    ],
)
def test_gendered_and_plural_forms_share_their_term(one: str, other: str) -> None:
    assert search_terms(one) == search_terms(other)


def test_terms_are_folded_words_and_control_characters_go() -> None:
    assert search_terms("  Élodie\x00 @durand_m  n°01 ") == ["elodie", "durand", "m", "n", "01"]


@pytest.mark.parametrize("query", ["", "   ", "\x00", "!!! ***", "\x00\x01"])
def test_nothing_to_look_for_is_a_typed_error(query: str) -> None:
    with pytest.raises(errors.EmptyQuery):
        search_terms(query)


def test_a_query_is_bounded() -> None:
    with pytest.raises(errors.QueryTooLong):
        search_terms("x" * (MAX_QUERY_CHARS + 1))
    assert len(search_terms(" ".join(f"w{i}" for i in range(50)))) == 8
