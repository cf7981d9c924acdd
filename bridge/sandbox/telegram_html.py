"""Telegram's HTML parse mode: the allowed tags, entity parsing into plain text + entities,
and Telegram's error for anything malformed."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

from bridge.sandbox.contract import bad

_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "code": "code", "pre": "pre",
    "a": "text_link", "blockquote": "blockquote", "span": "spoiler", "tg-emoji": "custom_emoji",
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.text: list[str] = []
        self.length = 0
        self.stack: list[tuple[str, int, dict[str, Any]]] = []
        self.entities: list[dict[str, Any]] = []

    def _add(self, chunk: str) -> None:
        self.text.append(chunk)
        self.length += utf16_len(chunk)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            raise bad(f"can't parse entities: unsupported start tag \"{tag}\"")
        attributes = dict(attrs)
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise bad("can't parse entities: unsupported start tag \"span\"")
        if tag == "a" and not attributes.get("href"):
            raise bad("can't parse entities: missing href in <a>")
        self.stack.append((tag, self.length, attributes))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            raise bad(f"can't parse entities: unmatched end tag \"{tag}\"")
        _, start, attributes = self.stack.pop()
        entity: dict[str, Any] = {"type": _TAGS[tag], "offset": start,
                                  "length": self.length - start}
        if tag == "a":
            entity["url"] = attributes["href"]
        if entity["length"]:
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self._add(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            raise bad(f"can't parse entities: unsupported entity \"&{name};\"")
        self._add(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._add(html.unescape(f"&#{name};"))


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities, as a Telegram client would show them."""
    parser = _Parser()
    parser.feed(source)
    parser.close()
    if parser.stack:
        raise bad(f"can't parse entities: unclosed start tag \"{parser.stack[-1][0]}\"")
    # a bare "&" or "<" that isn't markup: the parser passes it through as data,
    # Telegram refuses a "<" that doesn't open a tag
    text = "".join(parser.text)
    return text, sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


def to_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Safe HTML for display (the playground): escape everything, re-apply the entities."""
    units = text.encode("utf-16-le")
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    tags = {"bold": "b", "italic": "i", "underline": "u", "strikethrough": "s",
            "code": "code", "pre": "pre", "blockquote": "blockquote", "spoiler": "span",
            "text_link": "a"}
    for entity in entities:
        tag = tags.get(entity["type"])
        if tag is None:
            continue
        start, end = entity["offset"], entity["offset"] + entity["length"]
        open_tag = f"<{tag}>"
        if tag == "a":
            open_tag = f'<a href="{html.escape(entity.get("url", ""))}" rel="noopener">'
        elif tag == "span":
            open_tag = '<span class="spoiler">'
        opens.setdefault(start, []).append(open_tag)
        closes.setdefault(end, []).insert(0, f"</{tag}>")
    out: list[str] = []
    count = len(units) // 2
    for i in range(count + 1):
        out.extend(closes.get(i, []))
        out.extend(opens.get(i, []))
        if i < count:
            unit = units[2 * i:2 * i + 2]
            if 0xD800 <= int.from_bytes(unit, "little") <= 0xDBFF:
                pair = units[2 * i:2 * i + 4].decode("utf-16-le")
                out.append(html.escape(pair))
            elif 0xDC00 <= int.from_bytes(unit, "little") <= 0xDFFF:
                continue
            else:
                out.append(html.escape(unit.decode("utf-16-le")))
    return "".join(out)
