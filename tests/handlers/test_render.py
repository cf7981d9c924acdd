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
