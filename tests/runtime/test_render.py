"""Rendering helpers: long texts split at 4,096 without cutting tags or entities; the
filters the templates use (elision, clipping, full stops)."""

from __future__ import annotations

import re

from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from bridge.runtime.render import split_html

WORDS = [
    "a",
    "bb",
    Markup("<b>x</b>"),
    Markup("<i>Zoë</i>"),
    "&",
    "Zoë",
    "lorem ipsum",
    "<b>typed</b>",
    Markup("<code>@alice_martin</code>"),
]


@st.composite
def texts(draw: st.DrawFn) -> Markup:
    """Real markup among the words (Markup is kept, plain text is escaped), sometimes glued
    into long runs with no space or line to cut at, so the splitter meets tags and entities
    at its cut points. No tag holds a space or a newline (templates keep them on one line)."""
    glue = draw(st.sampled_from([("",), ("", " "), ("", " ", "\n")]))
    parts = draw(
        st.lists(
            st.tuples(st.sampled_from(WORDS), st.sampled_from(glue)), min_size=150, max_size=1500
        )
    )
    return Markup("<b>Header</b>\n") + Markup("").join(
        Markup.escape(word) + separator for word, separator in parts
    )


_TAG = re.compile(r"</?(\w+)>")


def _balanced(chunk: str) -> bool:
    """Every tag whole and closed in the same chunk (Telegram parses each message alone)."""
    if re.search(r"<[^>]*$|^[^<]*>", chunk):
        return False
    stack: list[str] = []
    for match in _TAG.finditer(chunk):
        if match[0].startswith("</"):
            if not stack or stack.pop() != match[1]:
                return False
        else:
            stack.append(match[1])
    return not stack


# No shrinking: these texts are long, shrinking one takes minutes, and the failing chunk
# printed says enough.
@settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(texts())
def test_split_keeps_every_character_and_respects_the_limit(html: Markup) -> None:
    chunks = split_html(html, limit=500)
    assert all(len(c) <= 500 for c in chunks)
    assert "".join(c.replace("\n", "").replace(" ", "") for c in chunks) == html.replace(
        "\n", ""
    ).replace(" ", "")
    for chunk in chunks:  # never a broken entity or tag at an edge
        assert not re.search(r"&\w*$", chunk.rstrip()), chunk[-10:]
        assert _balanced(chunk), chunk


def test_a_tag_at_the_limit_moves_whole_to_the_next_message() -> None:
    assert split_html("a" * 498 + "<b>x</b>", limit=500) == ["a" * 498, "<b>x</b>"]
    assert split_html("a" * 497 + "&amp;b", limit=500) == ["a" * 497, "&amp;b"]


def test_short_text_is_one_message():
    assert split_html("hello") == ["hello"]


def test_french_de_elides_before_a_vowel_or_mute_h() -> None:
    from bridge.runtime.render import de

    assert [str(de(n)) for n in ("Alice", "Élodie", "Hugo", "Yves", "Bob", "Yann", "@chloe")] == [
        "d'Alice",
        "d'Élodie",
        "d'Hugo",
        "d'Yves",
        "de Bob",
        "de Yann",
        "de @chloe",
    ]
    assert de(Markup("<b>Alice</b> · 2e")) == Markup("d'<b>Alice</b> · 2e")
    assert de("<Ana>") == Markup("de &lt;Ana&gt;")  # plain text is escaped, never markup


def test_labels_are_cut_at_a_word_and_say_so() -> None:
    from bridge.handlers.buttons import ViewProfile
    from bridge.handlers.keyboards import keyboard
    from bridge.runtime.render import clip, dot

    assert clip("Senior recruitment partnerships lead", 30) == "Senior recruitment…"
    assert clip("Short", 30) == "Short"
    assert clip("Unbreakablewordwithoutspaces", 10) == "Unbreakab…"
    label = keyboard(
        [[("Bob Durand · 1st — " + "word " * 20, ViewProfile(member_id=1))]]
    ).inline_keyboard[0][0]
    assert len(label.text) <= 64 and label.text.endswith("word…")
    assert dot("Dave S.") == "Dave S." and dot("@dave") == "@dave."
