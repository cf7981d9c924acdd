"""Conversions between SQLite rows and core models (timestamps as sortable UTC ISO text)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bridge.core.models import Attachment, Message
from bridge.storage.sql.db import Row


def ts(moment: datetime) -> str:
    """UTC, microseconds, fixed width: text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def row_dict(row: Row) -> dict[str, Any]:
    return {key: row[key] for key in row.keys()}


ATTACHMENT_COLUMNS = (
    "kind",
    "file_id",
    "file_unique_id",
    "duration",
    "file_size",
    "mime_type",
    "file_name",
    "width",
    "height",
    "length",
    "emoji",
    "title",
)


CONVERSATION_COLUMNS = (
    "id",
    "member_a",
    "member_b",
    "created_at",
    "last_message_id",
    "last_activity_at",
    "invitation_id",
    "inmail_id",
)
STATE_COLUMNS = (
    "conversation_id",
    "member_id",
    "unread_count",
    "last_read_message_id",
    "archived",
    "deleted",
    "cleared_through",
    "spam",
    "inmail",
    "last_activity_at",
)
MESSAGE_COLUMNS = (
    "id",
    "conversation_id",
    "sender_id",
    "kind",
    "text",
    "subject",
    *[f"att_{c}" for c in ATTACHMENT_COLUMNS],
    "reply_to_id",
    "forwarded_from_id",
    "created_at",
    "edited_at",
)


def attachment_values(attachment: Attachment | None) -> list[Any]:
    if attachment is None:
        return [None] * len(ATTACHMENT_COLUMNS)
    data = attachment.model_dump(mode="json")
    return [data[column] for column in ATTACHMENT_COLUMNS]


def message_from_row(row: Row) -> Message:
    return message_from_dict(row_dict(row))


def message_from_dict(data: dict[str, Any]) -> Message:
    """`data` holds the messages table's columns (attachment ones prefixed `att_`)."""
    attachment = {column: data.pop(f"att_{column}") for column in ATTACHMENT_COLUMNS}
    data["attachment"] = Attachment.model_validate(attachment) if attachment["kind"] else None
    return Message.model_validate(data)
