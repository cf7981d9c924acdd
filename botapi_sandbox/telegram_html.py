"""Telegram's HTML parse mode, as the Bot API server (TDLib) implements it: the text a
client shows plus its entities, or Telegram's error for anything malformed.

Why hand-written and not `html.parser`: Telegram's rules differ from a browser's — a bare
``<`` is an error ("Unsupported start tag"), an unknown ``&name;`` stays literal, the
``;`` of an entity is optional, tags must close in order, only a few tags are allowed — and
the sandbox must refuse exactly what Telegram refuses. `normalize` then trims and cleans the
text the way Telegram does before it counts the length.
"""

from __future__ import annotations

import html
from typing import Any

from botapi_sandbox.contract import bad

_ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\n\r\f\v"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _error(message: str) -> Exception:
    return bad(f"can't parse entities: {message}")


def _decode_entity(source: str, pos: int) -> tuple[str, int] | None:
    """The character of the ``&...`` reference at `pos` and the position after it."""
    end = pos + 1
    if source.startswith("#", end):
        end += 1
        value = 0
        hexadecimal = source.startswith(("x", "X"), end)
        if hexadecimal:
            end += 1
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < len(source) and source[end] in digits:
            value = value * (16 if hexadecimal else 10) + int(source[end], 16)
            end += 1
            if value >= 0x10FFFF:
                return None
        if value == 0 or end - pos >= 10 or 0xD800 <= value <= 0xDFFF:
            return None
        char = chr(value)
    else:
        while end < len(source) and source[end].isascii() and source[end].isalpha():
            end += 1
        char = _NAMED.get(source[pos + 1 : end], "")
        if not char:
            return None
    if source.startswith(";", end):
        end += 1
    return char, end


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.offset = 0  # UTF-16 offset in the output
        self.stack: list[dict[str, Any]] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, pos: int) -> int:
        return len(self.source[:pos].encode("utf-8"))

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.offset += utf16_len(chunk)

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        source, i = self.source, 0
        while i < len(source):
            char = source[i]
            if char == "&":
                decoded = _decode_entity(source, i)
                if decoded is not None:
                    self.emit(decoded[0])
                    i = decoded[1]
                    continue
            if char != "<":
                self.emit(char)
                i += 1
                continue
            if source.startswith("</", i):
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            raise _error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1]["tag"]}"'
            )
        return "".join(self.out), self.entities

    def start_tag(self, begin: int) -> int:
        source, i = self.source, begin + 1
        while i < len(source) and source[i] not in _SPACES and source[i] != ">":
            i += 1
        if i >= len(source):
            raise _error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = source[begin + 1 : i].lower()
        if tag not in _ENTITY_OF_TAG:
            raise _error(f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}')
        attributes: dict[str, str] = {}
        while True:
            while i < len(source) and source[i] in _SPACES:
                i += 1
            if i >= len(source):
                raise _error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if source[i] == ">":
                break
            name_start = i
            while i < len(source) and source[i] not in _SPACES and source[i] not in "=>":
                i += 1
            name = source[name_start:i].lower()
            if not name:
                raise _error(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            while i < len(source) and source[i] in _SPACES:
                i += 1
            if i >= len(source) or source[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    attributes["expandable"] = ""
                    continue
                raise _error(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {self.byte_offset(begin)}'
                )
            i += 1
            while i < len(source) and source[i] in _SPACES:
                i += 1
            if i >= len(source):
                raise _error(f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}')
            value, i = self.attribute_value(i)
            attributes[name] = value
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise _error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(
            {
                "tag": tag,
                "start": self.offset,
                "attributes": attributes,
                "text_start": len(self.out),
            }
        )
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        source = self.source
        if source[i] not in "'\"":
            start = i
            while i < len(source) and (source[i].isalnum() or source[i] in ".-"):
                i += 1
            if i < len(source) and source[i] not in _SPACES and source[i] != ">":
                raise _error(
                    f"Unexpected end of name token at byte offset {self.byte_offset(start)}"
                )
            return source[start:i].lower(), i
        quote, value = source[i], []
        i += 1
        while i < len(source) and source[i] != quote:
            if source[i] == "&":
                decoded = _decode_entity(source, i)
                if decoded is not None:
                    value.append(decoded[0])
                    i = decoded[1]
                    continue
            value.append(source[i])
            i += 1
        return "".join(value), i + 1

    def end_tag(self, begin: int) -> int:
        source = self.source
        if not self.stack:
            raise _error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while i < len(source) and source[i] not in _SPACES and source[i] != ">":
            i += 1
        name = source[begin + 2 : i].lower()
        while i < len(source) and source[i] in _SPACES:
            i += 1
        if i >= len(source) or source[i] != ">":
            raise _error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack.pop()
        if name and name != opened["tag"]:
            raise _error(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened["tag"]}>", found "</{name}>"'
            )
        if self.offset > opened["start"]:
            self.close(opened)
        return i + 1

    def close(self, opened: dict[str, Any]) -> None:
        tag, attributes = opened["tag"], opened["attributes"]
        entity: dict[str, Any] = {
            "type": _ENTITY_OF_TAG[tag],
            "offset": opened["start"],
            "length": self.offset - opened["start"],
        }
        if tag == "a":
            url = attributes.get("href") or "".join(self.out[opened["text_start"] :])
            if url.startswith("tg://user?id="):
                entity["type"] = "text_mention"
                entity["user"] = {
                    "id": int(url.split("=", 1)[1] or 0),
                    "is_bot": False,
                    "first_name": "",
                }
            elif "." in url or ":" in url:
                entity["url"] = url
            else:
                return  # not a URL: Telegram keeps the text without a link
        elif tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            emoji_id = attributes.get("emoji-id", "")
            if not emoji_id.isdigit():
                raise _error("Custom emoji entity must contain a valid custom emoji identifier")
            entity["custom_emoji_id"] = emoji_id
        elif tag == "code":
            language = attributes.get("class", "")
            parent = self.stack[-1] if self.stack else None
            if (
                language.startswith("language-")
                and parent
                and parent["tag"] == "pre"
                and parent["start"] == opened["start"]
            ):
                parent["language"] = language[len("language-") :]
                return  # <pre><code class="language-x"> is one pre entity
        elif tag == "pre" and opened.get("language"):
            entity["language"] = opened["language"]
        self.entities.append(entity)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities (UTF-16 offsets), as a Telegram client shows them."""
    text, entities = _Parser(source).parse()
    return text, sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _is_blank(char: str) -> bool:
    return char in (" ", "\n")


def normalize(
    text: str, entities: list[dict[str, Any]], allow_empty: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """What Telegram stores: control characters become spaces, ``\\r`` and a few invisible
    marks are dropped, entities covering only blanks vanish, and the text is trimmed."""
    chars: list[str] = []
    new_at: dict[int, int] = {}  # old UTF-16 offset → new UTF-16 offset
    old = new = 0
    for char in text:
        new_at[old] = new
        width = utf16_len(char)
        old += width
        if char == "\r" or "\u2028" <= char <= "\u202e" or char in "\u0333\u033f\u030a":
            continue
        if ord(char) < 32 and char != "\n":
            char = " "
        chars.append(char)
        new += width
    new_at[old] = new
    offsets = [0]  # UTF-16 offset of each char of `chars`, and the end
    for char in chars:
        offsets.append(offsets[-1] + utf16_len(char))
    index_of = {offset: i for i, offset in enumerate(offsets)}
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = new_at.get(entity["offset"])
        end = new_at.get(entity["offset"] + entity["length"])
        if start is None or end is None or start not in index_of or end not in index_of:
            raise bad("can't parse entities: entity ends in a middle of a UTF-16 symbol")
        if any(not _is_blank(c) for c in chars[index_of[start] : index_of[end]]):
            kept.append({**entity, "offset": start, "length": end - start})
    last = max((i + 1 for i, c in enumerate(chars) if not _is_blank(c)), default=0)
    if last == 0:
        if not allow_empty:
            raise bad("message text is empty")
        return "", []
    chars = chars[:last]
    cut = offsets[last]
    kept = [{**e, "length": min(e["length"], cut - e["offset"])} for e in kept]
    first_entity = min((index_of[e["offset"]] for e in kept), default=len(chars))
    skip = 0
    while skip < first_entity and _is_blank(chars[skip]):
        skip += 1
    shift = offsets[skip]
    kept = [{**e, "offset": e["offset"] - shift} for e in kept]
    return "".join(chars[skip:]), sorted(kept, key=lambda e: (e["offset"], -e["length"]))


_DISPLAY_TAG = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "expandable_blockquote": "blockquote",
    "spoiler": "span",
    "text_link": "a",
    "url": "a",
    "text_mention": "a",
}


def _open_tag(entity: dict[str, Any], text: str) -> str:
    kind = entity["type"]
    if kind == "spoiler":
        return '<span class="spoiler">'
    if kind in ("text_link", "url"):
        url = entity.get("url") or text
        if not url.lower().startswith(("http://", "https://", "tg://", "mailto:")):
            url = "https://" + url
        return f'<a href="{html.escape(url)}" rel="noopener">'
    if kind == "text_mention":
        return f'<a href="tg://user?id={int(entity.get("user", {}).get("id", 0))}">'
    return f"<{_DISPLAY_TAG[kind]}>"


def to_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Safe HTML for display (the playground): everything escaped, the entities re-applied
    as a few harmless tags."""
    starts = [0]  # UTF-16 offset of each code point, and the end
    for char in text:
        starts.append(starts[-1] + utf16_len(char))
    index_of = {offset: i for i, offset in enumerate(starts)}
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        if entity.get("type") not in _DISPLAY_TAG:
            continue
        start = index_of.get(entity["offset"])
        end = index_of.get(entity["offset"] + entity["length"])
        if start is None or end is None or end <= start:
            continue
        opens.setdefault(start, []).append(_open_tag(entity, text[start:end]))
        closes.setdefault(end, []).insert(0, f"</{_DISPLAY_TAG[entity['type']]}>")
    out: list[str] = []
    for i in range(len(text) + 1):
        out.extend(closes.get(i, []))
        out.extend(opens.get(i, []))
        if i < len(text):
            out.append(html.escape(text[i], quote=False))
    return "".join(out)
