"""Conversions between SQLite rows and core models (timestamps as sortable UTC ISO text)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bridge.core.models import Attachment, Message


def ts(moment: datetime) -> str:
    """UTC, microseconds, fixed width: text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def row_dict(row: aiosqlite.Row) -> dict[str, Any]:
    return {key: row[key] for key in row.keys()}


ATTACHMENT_COLUMNS = (
    "kind", "file_id", "file_unique_id", "duration", "file_size", "mime_type", "file_name",
    "width", "height", "length", "emoji", "title",
)


def attachment_values(attachment: Attachment | None) -> list[Any]:
    if attachment is None:
        return [None] * len(ATTACHMENT_COLUMNS)
    data = attachment.model_dump(mode="json")
    return [data[column] for column in ATTACHMENT_COLUMNS]


def message_from_row(row: aiosqlite.Row) -> Message:
    data = row_dict(row)
    attachment = {column: data.pop(f"att_{column}") for column in ATTACHMENT_COLUMNS}
    data["attachment"] = Attachment.model_validate(attachment) if attachment["kind"] else None
    return Message.model_validate(data)
