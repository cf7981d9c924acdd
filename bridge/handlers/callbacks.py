"""Typed callback data: one codec packs and parses every inline button's payload.

Format ``<op>:<arg>[:<extra>]`` in ASCII, at most 64 bytes (Telegram's limit). The payload is
never trusted: parsing only checks shape; the core authorizes the action against the member
who pressed the button.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ValidationError, field_validator

MAX_BYTES = 64
_EXTRA = re.compile(r"^[A-Za-z0-9._-]{0,40}$")


class Op(StrEnum):
    INV_ACCEPT = "ia"
    INV_DECLINE = "id"
    INV_REPLY = "ir"
    INV_WITHDRAW = "iw"
    PROFILE_INVITE = "pi"
    PROFILE_MESSAGE = "pm"
    PROFILE_INMAIL = "pn"
    PROFILE_VIEW = "pv"
    PROFILE_ACCEPT = "pa"  # arg: the inviting member
    PROFILE_WITHDRAW = "pw"  # arg: the invited member
    INMAIL_YES = "my"
    INMAIL_NO = "mn"
    INMAIL_REPLY = "mr"
    INBOX_PAGE = "ip"  # arg: unused 0, extra: "<filter>.<cursor>"
    CONV_SHOW = "cs"
    CONV_OPEN = "co"
    CONV_READ = "cr"
    CONV_UNREAD = "cu"
    CONV_ARCHIVE = "ca"
    CONV_UNARCHIVE = "cx"
    CONV_DELETE = "cd"
    CONV_SPAM = "cp"
    CONV_NOT_SPAM = "cn"
    READ_ALL = "ra"
    SET_LANG = "sl"  # extra: en|fr
    SET_INVITE_POLICY = "sp"  # extra: everyone|second_degree
    SET_INMAIL = "so"  # arg: 1 opted out, 0 not
    SET_NOTIFY = "sn"  # extra: instant|digest|muted
    DIGEST_PAGE = "dp"
    CONNECTIONS_PAGE = "np"
    REPORT_REVIEW = "rr"
    FIND_PAGE = "fp"  # arg: the saved search, extra: the page's offset
    HELD_SEND = "hs"  # arg: a held message ("Send to …")
    INVITATIONS_LIST = "il"  # the digest's invitations button
    NOOP = "no"
    INVITE_SEND = "is"  # arg: the member to invite, without a note
    INVITE_NOTE = "it"  # arg: the member to invite; the next text is the note
    EDIT_FIELD = "pe"  # extra: the profile field; the next text is its value
    REMOVE_CONFIRM = "rc"  # arg: the connection to remove
    REMOVE_KEEP = "rk"  # arg: the connection kept


class Callback(BaseModel):
    op: Op
    arg: int = 0
    extra: str = ""

    @field_validator("arg")
    @classmethod
    def _arg(cls, value: int) -> int:
        if not 0 <= value < 2**53:
            raise ValueError("arg out of range")
        return value

    @field_validator("extra")
    @classmethod
    def _extra(cls, value: str) -> str:
        if not _EXTRA.match(value):
            raise ValueError("bad extra")
        return value

    def pack(self) -> str:
        data = f"{self.op.value}:{self.arg:x}" + (f":{self.extra}" if self.extra else "")
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data too long: {data!r}")
        return data

    @classmethod
    def parse(cls, data: str | None) -> Callback | None:
        """The callback, or None for anything malformed, foreign or forged in shape."""
        if not data or len(data.encode()) > MAX_BYTES:
            return None
        parts = data.split(":", 2)
        if len(parts) < 2:
            return None
        try:
            return cls(op=Op(parts[0]), arg=int(parts[1], 16),
                       extra=parts[2] if len(parts) == 3 else "")
        except (ValueError, ValidationError):
            return None


def cb(op: Op, arg: int = 0, extra: str = "") -> str:
    return Callback(op=op, arg=arg, extra=extra).pack()
