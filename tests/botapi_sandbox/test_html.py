"""Telegram's HTML parse mode: what the user sees, and what Telegram refuses."""

from __future__ import annotations

import pytest

from botapi_sandbox.contract import ApiError
from botapi_sandbox.telegram_html import normalize, parse_html, to_html


def test_escaped_markup_shows_literally() -> None:
    text, entities = parse_html("&lt;b&gt;Bob&lt;/b&gt; &amp; Co &quot;x&quot; &#65;&#x42;")
    assert text == '<b>Bob</b> & Co "x" AB'
    assert entities == []


def test_entities_have_utf16_offsets_and_nest() -> None:
    text, entities = parse_html("👋 <b>Hi <i>you</i></b> <a href='https://x.org'>link</a>")
    assert text == "👋 Hi you link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 6},
        {"type": "italic", "offset": 6, "length": 3},
        {"type": "text_link", "offset": 10, "length": 4, "url": "https://x.org"},
    ]


def test_all_allowed_tags() -> None:
    source = (
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike>"
        '<del>g</del><span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler>'
        '<code>j</code><pre><code class="language-python">k</code></pre>'
        "<blockquote>l</blockquote><blockquote expandable>m</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    text, entities = parse_html(source)
    assert text == "abcdefghijklm👍"
    kinds = [e["type"] for e in entities]
    assert kinds == [
        "bold",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ]
    assert entities[10]["language"] == "python"


def test_unknown_named_entities_and_bare_ampersands_stay_literal() -> None:
    assert parse_html("AT&T &nbsp; &amp") == ("AT&T &nbsp; &", [])


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<a href>x</a>", "Expected equal sign"),
    ],
)
def test_malformed_html_is_refused_with_telegrams_words(source: str, error: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_html(source)
    assert caught.value.code == 400
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
    assert error in caught.value.description


def test_normalize_trims_like_telegram() -> None:
    text, entities = normalize("\n  <b>x</b>  \r\n", [])
    assert text == "<b>x</b>"
    text, entities = normalize(" hi  there \n", [{"type": "bold", "offset": 1, "length": 10}])
    assert text == "hi  there"
    assert entities == [{"type": "bold", "offset": 0, "length": 9}]
    bold = [{"type": "bold", "offset": 0, "length": 3}]
    assert normalize(" hi", bold) == (" hi", bold)  # leading blanks inside an entity stay
    with pytest.raises(ApiError, match="message text is empty"):
        normalize(" \n ", [])
    assert normalize(" ", [], allow_empty=True) == ("", [])


def test_whitespace_only_entities_vanish() -> None:
    assert normalize("a  b", [{"type": "bold", "offset": 1, "length": 2}]) == ("a  b", [])


def test_to_html_is_safe_and_keeps_formatting() -> None:
    text, entities = parse_html('<b>&lt;script&gt;</b> <a href="https://e.org/?a=1&amp;b=2">e</a>')
    rendered = to_html(text, entities)
    assert rendered == (
        '<b>&lt;script&gt;</b> <a href="https://e.org/?a=1&amp;b=2" rel="noopener">e</a>'
    )
    assert to_html("😀 x", [{"type": "italic", "offset": 3, "length": 1}]) == "😀 <i>x</i>"
