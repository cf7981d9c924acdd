"""Rendering helpers: long texts split at 4,096 without cutting tags or entities."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from bridge.handlers.render import split_html

words = st.lists(st.sampled_from(["a", "bb", "<b>x</b>", "&", "Zoë", "\n", "lorem ipsum"]),
                 max_size=3000)


@settings(max_examples=60, deadline=None)
@given(words)
def test_split_keeps_every_character_and_respects_the_limit(parts):
    html = "<b>Header</b>\n" + str(escape(" ".join(parts)))
    chunks = split_html(html, limit=500)
    assert all(len(c) <= 500 for c in chunks)
    assert "".join(c.replace("\n", "").replace(" ", "") for c in chunks) == \
        html.replace("\n", "").replace(" ", "")
    for chunk in chunks:  # never a broken entity or tag at an edge
        assert not chunk.rstrip().endswith("&") and chunk.count("<") == chunk.count(">")


def test_short_text_is_one_message():
    assert split_html("hello") == ["hello"]


def test_french_de_elides_before_a_vowel_or_mute_h() -> None:
    from markupsafe import Markup

    from bridge.handlers.render import de

    assert [str(de(n)) for n in ("Alice", "Élodie", "Hugo", "Yves", "Bob", "Yann", "@chloe")] \
        == ["d'Alice", "d'Élodie", "d'Hugo", "d'Yves", "de Bob", "de Yann", "de @chloe"]
    assert de(Markup("<b>Alice</b> · 2e")) == Markup("d'<b>Alice</b> · 2e")
    assert de("<Ana>") == Markup("de &lt;Ana&gt;")  # plain text is escaped, never markup


def test_labels_are_cut_at_a_word_and_say_so() -> None:
    from bridge.handlers.buttons import ViewProfile
    from bridge.handlers.keyboards import keyboard
    from bridge.handlers.render import clip, dot

    assert clip("Senior recruitment partnerships lead", 30) == "Senior recruitment…"
    assert clip("Short", 30) == "Short"
    assert clip("Unbreakablewordwithoutspaces", 10) == "Unbreakab…"
    label = keyboard([[("Bob Durand · 1st — " + "word " * 20, ViewProfile(member_id=1))]]
                     ).inline_keyboard[0][0]
    assert len(label.text) <= 64 and label.text.endswith("word…")
    assert dot("Dave S.") == "Dave S." and dot("@dave") == "@dave."
