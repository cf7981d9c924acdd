"""Configuration: every setting is documented in `.env.example`, which itself loads."""

from __future__ import annotations

from pathlib import Path

from bridge.config import Settings

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def _entries() -> dict[str, list[str]]:
    """Each KEY=value line of the example, with the comment that opens its paragraph."""
    entries: dict[str, list[str]] = {}
    comment: list[str] = []
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comment.append(line)
        elif "=" in line:
            entries[line.split("=", 1)[0].strip()] = comment
        else:
            comment = []
    return entries


def test_every_setting_is_in_env_example_with_a_comment() -> None:
    entries = _entries()
    for name in Settings.model_fields:
        assert name.upper() in entries, f"{name.upper()} is missing from .env.example"
        assert entries[name.upper()], f"{name.upper()} has no comment in .env.example"
    assert set(entries) <= {name.upper() for name in Settings.model_fields}


def test_env_example_loads_as_settings() -> None:
    settings = Settings(_env_file=EXAMPLE)
    assert settings.playground_port == 8080
    assert settings.database_url.startswith("sqlite:///")
