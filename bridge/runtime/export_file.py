"""The /export file: a zip with the member's data as JSON (everything, nested) and CSV (one
table per kind, for a spreadsheet). Rendering, not rules: the core decided what is in it
(`bridge.core.export`)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from bridge.core.export import MemberExport
from bridge.core.models import MemberView, Message

# What a member is shown as in the files: their name as the exporter may see it.
Person = dict[str, Any]


def _person(view: MemberView) -> Person:
    return {
        "name": view.name if view.named else None,
        "handle": view.handle,
        "degree": int(view.degree),
        "headline": view.headline,
        "company": view.company,
        "location": view.location,
    }


def _message(message: Message, me: int, other: MemberView) -> dict[str, Any]:
    attachment = message.attachment
    return {
        "id": message.id,
        "sent_at": message.created_at.isoformat(),
        "from": "me" if message.sender_id == me else _label(other),
        "kind": message.kind.value,
        "subject": message.subject,
        "text": message.text,
        "attachment": attachment.kind.value if attachment else None,
        "file_name": attachment.file_name if attachment else None,
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
    }


def _label(view: MemberView) -> str:
    return view.name if view.named else f"@{view.handle}" if view.handle else "member"


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export_zip(data: MemberExport, me: int) -> bytes:
    """profile.json, connections.csv, messages.csv, ledger.csv, tags.csv, notes.csv and
    export.json (all of it)."""
    connections = [_person(v) for v in data.connections]
    conversations = [
        {
            "with": _person(c.other),
            "archived": c.archived,
            "spam": c.spam,
            "messages": [_message(m, me, c.other) for m in c.messages],
        }
        for c in data.conversations
    ]
    messages = [
        {"with": _label(c.other), **_message(m, me, c.other)}
        for c in data.conversations
        for m in c.messages
    ]
    ledger = [e.model_dump(mode="json", exclude={"member_id"}) for e in data.ledger]
    tags = [{"contact": _label(t.contact), "tag": t.tag, "colour": t.colour} for t in data.tags]
    notes = [{"contact": _label(n.contact), "note": n.text} for n in data.notes]
    everything = {
        "exported_at": data.exported_at.isoformat(),
        "profile": data.profile,
        "connections": connections,
        "conversations": conversations,
        "ledger": ledger,
        "tags": tags,
        "notes": notes,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", json.dumps(everything, ensure_ascii=False, indent=2))
        archive.writestr("profile.json", json.dumps(data.profile, ensure_ascii=False, indent=2))
        archive.writestr("connections.csv", _csv(connections, list(_PERSON_COLUMNS)))
        archive.writestr("messages.csv", _csv(messages, ["with", *_MESSAGE_COLUMNS]))
        archive.writestr("ledger.csv", _csv(ledger, list(_LEDGER_COLUMNS)))
        archive.writestr("tags.csv", _csv(tags, ["contact", "tag", "colour"]))
        archive.writestr("notes.csv", _csv(notes, ["contact", "note"]))
    return buffer.getvalue()


_PERSON_COLUMNS = ("name", "handle", "degree", "headline", "company", "location")
_MESSAGE_COLUMNS = (
    "id",
    "sent_at",
    "from",
    "kind",
    "subject",
    "text",
    "attachment",
    "file_name",
    "edited_at",
)
_LEDGER_COLUMNS = ("id", "created_at", "kind", "delta", "balance_after", "reason", "inmail_id")
